/* array_map: the C twin of array_map.ny (size N: the sieve's limit). The map is an open-addressing hash
   table of NUL-terminated keys that remembers insertion order, as MapBox does.
   Build: cc -O2 -ffp-contract=off array_map.c */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096 /* power of two; far more than the 202 keys the program can make */
#define KEY_BYTES 24

typedef struct {
    char keys[SLOTS][KEY_BYTES];
    int64_t counts[SLOTS];
    int used[SLOTS];
    int order[SLOTS]; /* slot numbers in insertion order */
    int size;
} Map;

static uint64_t hash(const char *s) {
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot holding `key`, or the empty slot where it belongs. */
static int find_slot(const Map *m, const char *key) {
    int slot = (int)(hash(key) & (SLOTS - 1));
    while (m->used[slot] && strcmp(m->keys[slot], key) != 0) slot = (slot + 1) & (SLOTS - 1);
    return slot;
}

static void count(Map *m, const char *key) {
    int slot = find_slot(m, key);
    if (m->used[slot]) {
        m->counts[slot] += 1;
        return;
    }
    if (m->size >= SLOTS / 2) {
        fputs("array_map: map full\n", stderr);
        exit(1);
    }
    strcpy(m->keys[slot], key);
    m->counts[slot] = 1;
    m->used[slot] = 1;
    m->order[m->size++] = slot;
}

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 5000;
    unsigned char *sieve = malloc((size_t)n + 1);
    Map *counts = calloc(1, sizeof(Map));
    if (!sieve || !counts) return 1;
    for (int64_t i = 0; i <= n; i++) sieve[i] = i < 2 ? 0 : 1;
    for (int64_t i = 2; i * i <= n; i++)
        if (sieve[i] == 1)
            for (int64_t j = i * i; j <= n; j += i) sieve[j] = 0;
    int64_t primes = 0, sum = 0;
    char key[KEY_BYTES];
    for (int64_t i = 2; i <= n; i++) {
        snprintf(key, sizeof key, "c%" PRId64, i % 101);
        if (sieve[i] == 1) {
            primes++;
            sum = (sum + i) % 1000000007;
            snprintf(key, sizeof key, "p%" PRId64, i % 101);
        }
        count(counts, key);
    }
    int64_t check = 0;
    for (int k = 0; k < counts->size; k++)
        check = (check + counts->counts[counts->order[k]] * (k + 1)) % 1000000007;
    printf("array_map(%" PRId64 ") = %" PRId64 " %" PRId64 " %d %" PRId64 "\n", n, primes, sum, counts->size,
           check);
    free(sieve);
    free(counts);
    return 0;
}
