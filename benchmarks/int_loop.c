/* int_loop: the C twin of int_loop.ny (size N: iterations). Build: cc -O2 -ffp-contract=off int_loop.c */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 20000;
    int64_t a = 0, b = 1, c = 0, d = 7;
    for (int64_t i = 0; i < n; i++) {
        int64_t r = i % 7;
        if (r == 0) {
            a = (a + i) % 1000003;
        } else if (r < 3) {
            b = (b * 3 + i) % 999983;
        } else if (r == 3) {
            c = (c + i / 3 + r) % 65521;
        } else {
            d = (d * 31 + i % 1000) % 1000033;
        }
        if (i % 3 == 0) a = a + 1;
    }
    printf("int_loop(%" PRId64 ") = %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n", n, a, b, c, d);
    return 0;
}
