/* string_build: the C twin of string_build.ny (size N: words appended). Both buffers are NUL-terminated
   char arrays with their lengths kept beside them. Build: cc -O2 -ffp-contract=off string_build.c */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *WORDS[8] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};

/* Appends `len` bytes of `text` to `buf`, which holds `*used` bytes and has room to spare. */
static void append(char *buf, size_t *used, const char *text, size_t len) {
    memcpy(buf + *used, text, len);
    *used += len;
    buf[*used] = '\0';
}

/* Keeps the last `keep` bytes of `buf`. */
static void keep_last(char *buf, size_t *used, size_t keep) {
    memmove(buf, buf + *used - keep, keep);
    *used = keep;
    buf[keep] = '\0';
}

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 3000;
    char buf[512] = "", tail[128] = "";
    size_t blen = 0, tlen = 0;
    int64_t seed = 42, found = 0, total = 0;
    for (int64_t i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const char *w = WORDS[seed / 65536 % 8];
        append(buf, &blen, w, strlen(w));
        append(buf, &blen, ",", 1);
        if (blen > 240) keep_last(buf, &blen, 120);
        const char *key = WORDS[seed / 8192 % 8];
        const char *hit = strstr(buf, key);
        if (hit) {
            int64_t p = hit - buf;
            found++;
            total = (total + p) % 1000003;
            const char *again = strstr(hit + 1, key);
            if (again) total = (total + (again - buf) * 3) % 1000003;
            append(tail, &tlen, hit, 2);
            if (tlen > 60) keep_last(tail, &tlen, tlen - 30);
        }
    }
    printf("string_build(%" PRId64 ") = %" PRId64 " %" PRId64 " %zu [%s]\n", n, found, total, blen, tail);
    return 0;
}
