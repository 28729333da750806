/* chip8: the C twin of chip8.ny (size N: machine steps). Build: cc -O2 -ffp-contract=off chip8.c */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define LCG(s) (((s) * 1103515245 + 12345) % 2147483648)

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 5000;
    int64_t v[16] = {0}, mem[4096];
    for (int64_t k = 0; k < 4096; k++) mem[k] = k % 251;
    int64_t seed = 12345, ireg = 0, acc = 0, skips = 0;
    for (int64_t step = 0; step < n; step++) {
        seed = LCG(seed);
        int64_t opcode = seed / 32768;
        int64_t op = opcode / 4096, x = opcode / 256 % 16, y = opcode / 16 % 16, nn = opcode % 256;
        if (op == 0) {
            v[x] = nn;
        } else if (op == 1) {
            v[x] = (v[x] + nn) % 256;
        } else if (op == 2) {
            v[x] = v[y];
        } else if (op == 3) {
            int64_t sum = v[x] + v[y];
            v[x] = sum % 256;
            v[15] = sum / 256;
        } else if (op == 4) {
            int64_t vx = v[x], vy = v[y];
            if (vx >= vy) {
                v[x] = vx - vy;
                v[15] = 1;
            } else {
                v[x] = vx - vy + 256;
                v[15] = 0;
            }
        } else if (op == 5) {
            if (v[x] % 16 == nn % 16) {
                seed = LCG(seed);
                skips++;
            }
        } else if (op == 6) {
            if (v[x] < v[y]) {
                seed = LCG(seed);
                skips++;
            }
        } else if (op == 7) {
            ireg = (ireg + v[x] + nn) % 4096;
        } else if (op == 8) {
            int64_t vx = v[x];
            v[15] = vx % 2;
            v[x] = vx / 2;
        } else if (op == 9) {
            int64_t vx = v[x];
            v[15] = vx / 128;
            v[x] = vx * 2 % 256;
        } else if (op == 10) {
            v[x] = (v[x] * 3 + v[y] + 1) % 256;
        } else if (op == 11) {
            mem[ireg] = v[x];
            ireg = (ireg + 1) % 4096;
        } else if (op == 12) {
            v[x] = mem[(ireg + nn) % 4096];
        } else if (op == 13) {
            acc = (acc + v[x] * v[y] + nn) % 1000007;
        } else if (op == 14) {
            for (int64_t row = 0; row < 4; row++)
                acc = (acc + mem[(ireg + row) % 4096] * (row + 1)) % 1000007;
        } else {
            v[x] = (ireg + nn) % 256;
        }
    }
    int64_t regs = 0, memsum = 0;
    for (int64_t k = 0; k < 16; k++) regs += v[k] * (k + 1);
    for (int64_t k = 0; k < 4096; k++) memsum = (memsum + mem[k] * (k % 7 + 1)) % 1000007;
    printf("chip8(%" PRId64 ") = %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n",
           n, acc, ireg, regs, memsum, skips);
    return 0;
}
