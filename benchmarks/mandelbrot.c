/* mandelbrot: the C twin of mandelbrot.ny (size N: an N x N grid; same Float operation order).
   Build: cc -O2 -ffp-contract=off mandelbrot.c  (no FMA contraction, no fast-math: results must match
   Python's doubles bit for bit). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 24;
    const int64_t max_iter = 50;
    int64_t total = 0, inside = 0;
    for (int64_t py = 0; py < n; py++) {
        double ci = -1.5 + 3.0 * (double)py / (double)n;
        for (int64_t px = 0; px < n; px++) {
            double cr = -2.0 + 3.0 * (double)px / (double)n;
            double zr = 0.0, zi = 0.0;
            int64_t k = 0;
            while (k < max_iter) {
                double zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0) break;
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                k++;
            }
            total += k;
            if (k == max_iter) inside++;
        }
    }
    printf("mandelbrot(%" PRId64 ") = %" PRId64 " %" PRId64 "\n", n, total, inside);
    return 0;
}
