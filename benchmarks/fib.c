/* fib: recursive Fibonacci, the C twin of fib.ny (size N: prints fib(N)).
   Build: cc -O2 -ffp-contract=off fib.c */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t fib(int64_t n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 20;
    printf("fib(%" PRId64 ") = %" PRId64 "\n", n, fib(n));
    return 0;
}
