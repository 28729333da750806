/* plugin_calls: the C twin of plugin_calls.ny (size N: loop trips). The two plugin calls are calls through
   function pointers (as a plugin's vtable is), which the compiler cannot inline.
   Build: cc -O2 -ffp-contract=off plugin_calls.c */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { int64_t value; } Counter;

static int64_t counter_inc(Counter *c) { return ++c->value; }
static int64_t fixture_echo(int64_t v) { return v; }

int64_t (*volatile inc_fn)(Counter *) = counter_inc;
int64_t (*volatile echo_fn)(int64_t) = fixture_echo;

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 3000;
    Counter counter = {0};
    int64_t (*inc)(Counter *) = inc_fn;
    int64_t (*echo)(int64_t) = echo_fn;
    int64_t acc = 0;
    for (int64_t i = 0; i < n; i++)
        acc = (acc + inc(&counter) * 3 + echo(i % 1000)) % 1000003;
    printf("plugin_calls(%" PRId64 ") = %" PRId64 " %" PRId64 "\n", n, acc, counter.value);
    return 0;
}
