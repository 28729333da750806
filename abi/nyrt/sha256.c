/* sha256.c -- SHA-256 (FIPS 180-4) and the ids derived from it (abi.md sections 1.2 and 2).
 *
 * Type ids and method ids are the first 8 bytes, little-endian, of SHA-256 of a name. Method ids are
 * looked up on every dynamic call, so nyrt_method_id keeps a small direct-mapped cache keyed by the
 * name's text (never its address: callers pass temporaries).
 */
#include <stdio.h>
#include <string.h>

#include "nyrt.h"
#include "abi_internal.h"

typedef struct sha256_ctx {
    uint32_t h[8];
    uint8_t block[64];
    size_t used;        /* bytes in block */
    uint64_t total;     /* bytes hashed so far */
} sha256_ctx;

static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(sha256_ctx *c, const uint8_t *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    uint32_t e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g; g = f; f = e; e = d + t1; d = cc; cc = b; b = a; a = t1 + t2;
    }
    c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
    c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

static void sha256_init(sha256_ctx *c) {
    static const uint32_t H0[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                   0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
    memcpy(c->h, H0, sizeof H0);
    c->used = 0;
    c->total = 0;
}

static void sha256_update(sha256_ctx *c, const uint8_t *data, size_t len) {
    c->total += len;
    while (len > 0) {
        size_t take = 64 - c->used < len ? 64 - c->used : len;
        memcpy(c->block + c->used, data, take);
        c->used += take;
        data += take;
        len -= take;
        if (c->used == 64) {
            sha256_block(c, c->block);
            c->used = 0;
        }
    }
}

static void sha256_final(sha256_ctx *c, uint8_t out[32]) {
    uint64_t bits = c->total * 8;
    uint8_t pad = 0x80, zero = 0, len_be[8];
    sha256_update(c, &pad, 1);
    while (c->used != 56)
        sha256_update(c, &zero, 1);
    for (int i = 0; i < 8; i++)
        len_be[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(c, len_be, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(c->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)c->h[i];
    }
}

void nyrt_sha256(const uint8_t *data, size_t len, uint8_t out[32]) {
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final(&c, out);
}

static uint64_t key_of_bytes(const uint8_t *data, size_t len) {
    uint8_t digest[32];
    uint64_t key = 0;
    nyrt_sha256(data, len, digest);
    for (int i = 7; i >= 0; i--)          /* little-endian: byte 0 is the least significant */
        key = key << 8 | digest[i];
    return key;
}

uint64_t nyrt_fast_key(const char *name) {
    return name ? key_of_bytes((const uint8_t *)name, strlen(name)) : 0;
}

/* ---- method ids: "NAME/ARITY", cached ------------------------------------------------------------ */
#define ID_CACHE_SLOTS 256
#define ID_CACHE_NAME 48   /* longer names are hashed every time; method names are short */

typedef struct id_slot {
    char key[ID_CACHE_NAME];   /* "NAME/ARITY", NUL-terminated; "" = empty */
    uint64_t id;
} id_slot;

/* cffi drops the GIL around every nyrt call, so two Python threads (the adaptive backend's compiler and
 * the program) may look ids up at once: a spinlock guards the slots, held only for a copy. */
static id_slot id_cache[ID_CACHE_SLOTS];
static nyrt_spinlock id_lock = NYRT_SPINLOCK_INIT;

static uint32_t fnv1a(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

uint64_t nyrt_method_id(const char *name, int32_t arity) {
    char key[ID_CACHE_NAME];
    int n = snprintf(key, sizeof key, "%s/%d", name ? name : "", (int)arity);
    if (n < 0)
        return 0;
    if ((size_t)n >= sizeof key) {               /* too long for the cache: hash the full text */
        size_t len = strlen(name) + 16;
        char *big = nyrt_mem_alloc(len);
        if (!big)
            return 0;
        snprintf(big, len, "%s/%d", name, (int)arity);
        uint64_t id = key_of_bytes((const uint8_t *)big, strlen(big));
        nyrt_mem_free(big, len);
        return id;
    }
    id_slot *slot = &id_cache[fnv1a(key, (size_t)n) % ID_CACHE_SLOTS];
    nyrt_spin_lock(&id_lock);
    int hit = strcmp(slot->key, key) == 0;
    uint64_t id = slot->id;
    nyrt_spin_unlock(&id_lock);
    if (hit)
        return id;
    id = key_of_bytes((const uint8_t *)key, (size_t)n);
    nyrt_spin_lock(&id_lock);
    memcpy(slot->key, key, (size_t)n + 1);
    slot->id = id;
    nyrt_spin_unlock(&id_lock);
    return id;
}
