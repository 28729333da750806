/* nyplug.h -- the few helpers every example plugin needs on top of nyrt_typebox.h: SHA-256 for stable ids,
 * type ids and method ids (abi.md sections 1.2 and 2), filling a TypeBox, and a method table that maps
 * method ids (and names) to the plugin's own method numbers.
 *
 * Header-only (static functions), C11, libc only: a plugin stays one translation unit that needs nothing of
 * nyrt but the ABI header. A plugin author may copy this file next to their source.
 */
#ifndef NYPLUG_H
#define NYPLUG_H

#include <stdio.h>
#include <string.h>

#include "nyrt_typebox.h"

#if defined(_WIN32)
#define NYPLUG_EXPORT __declspec(dllexport)
#define NYPLUG_CALLCONV NYRT_CALLCONV_WIN64
#else
#define NYPLUG_EXPORT __attribute__((visibility("default")))
#define NYPLUG_CALLCONV NYRT_CALLCONV_SYSV
#endif

/* ---- SHA-256 (FIPS 180-4), one-shot -------------------------------------------------------------- */
#define NYPLUG_ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static inline void nyplug_sha256_block(uint32_t h[8], const uint8_t *p) {
    static const uint32_t k[64] = {
        0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
        0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
        0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
        0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
        0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
        0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
        0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
        0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
    };
    uint32_t w[64], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = NYPLUG_ROTR(w[i - 15], 7) ^ NYPLUG_ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = NYPLUG_ROTR(w[i - 2], 17) ^ NYPLUG_ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, h, sizeof v);
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = v[7] + (NYPLUG_ROTR(v[4], 6) ^ NYPLUG_ROTR(v[4], 11) ^ NYPLUG_ROTR(v[4], 25)) +
                      ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[i] + w[i];
        uint32_t t2 = (NYPLUG_ROTR(v[0], 2) ^ NYPLUG_ROTR(v[0], 13) ^ NYPLUG_ROTR(v[0], 22)) +
                      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += v[i];
}

static inline void nyplug_sha256(const void *data, size_t len, uint8_t out[32]) {
    uint32_t h[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                     0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
    const uint8_t *p = data;
    uint8_t tail[128] = {0};
    size_t full = len / 64 * 64, rest = len - full;
    for (size_t i = 0; i < full; i += 64)
        nyplug_sha256_block(h, p + i);
    memcpy(tail, p + full, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[tail_len - 1 - (size_t)i] = (uint8_t)(bits >> (8 * i));
    nyplug_sha256_block(h, tail);
    if (tail_len == 128)
        nyplug_sha256_block(h, tail + 64);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

/* First 8 bytes of a digest, little-endian: the 64-bit id of abi.md 1.2. */
static inline uint64_t nyplug_key_of_digest(const uint8_t d[32]) {
    uint64_t key = 0;
    for (int i = 7; i >= 0; i--)
        key = key << 8 | d[i];
    return key;
}

/* fast_key of a type name, e.g. "nyash.core.String". */
static inline uint64_t nyplug_type_id(const char *name) {
    uint8_t d[32];
    nyplug_sha256(name, strlen(name), d);
    return nyplug_key_of_digest(d);
}

/* Method id: the fast key of "NAME/ARITY". */
static inline uint64_t nyplug_method_id(const char *name, int arity) {
    char key[96];
    int n = snprintf(key, sizeof key, "%s/%d", name, arity);
    if (n < 0 || (size_t)n >= sizeof key)
        return 0;
    uint8_t d[32];
    nyplug_sha256(key, (size_t)n, d);
    return nyplug_key_of_digest(d);
}

/* Fill a TypeBox: tag, version, size, name, stable_id = SHA-256(name), fast_key, vtables and metadata. */
static inline void nyplug_typebox(nyrt_typebox *tb, const char *name, uint32_t flags, const nyrt_c_vtable *c,
                           const nyrt_ny_vtable *ny, const char *meta_json) {
    memset(tb, 0, sizeof *tb);
    tb->abi_tag = NYRT_ABI_TAG;
    tb->ver_major = NYRT_ABI_VER_MAJOR;
    tb->ver_minor = NYRT_ABI_VER_MINOR;
    tb->size = (uint32_t)sizeof(nyrt_typebox);
    tb->abi_kind = (c ? NYRT_ABI_C : 0u) | (ny ? NYRT_ABI_NYASH : 0u);   /* C|NYASH == UNIFIED */
    tb->callconv = NYPLUG_CALLCONV;
    tb->flags = flags;
    tb->name = name;
    nyplug_sha256(name, strlen(name), tb->stable_id);
    tb->fast_key = nyplug_key_of_digest(tb->stable_id);
    tb->align = 8;
    tb->c = c;
    tb->ny = ny;
    tb->meta.json = meta_json;
    tb->meta.json_len = meta_json ? strlen(meta_json) : 0;
}

/* ---- method tables ---------------------------------------------------------------------------------- */
typedef struct nyplug_method {
    const char *name;
    int32_t arity;
    int32_t op;        /* the plugin's own method number */
    uint64_t id;       /* filled by nyplug_methods_init */
} nyplug_method;

static inline void nyplug_methods_init(nyplug_method *m, size_t n) {
    for (size_t i = 0; i < n; i++)
        m[i].id = nyplug_method_id(m[i].name, m[i].arity);
}

/* The op of a method id, or -1 (the caller answers NYRT_E_NOT_FOUND). */
static inline int32_t nyplug_op_by_id(const nyplug_method *m, size_t n, uint64_t id) {
    for (size_t i = 0; i < n; i++)
        if (m[i].id == id)
            return m[i].op;
    return -1;
}

/* The op of a method name and argument count, or -1. */
static inline int32_t nyplug_op_by_name(const nyplug_method *m, size_t n, const char *name, size_t argc) {
    if (!name)
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((size_t)m[i].arity == argc && strcmp(m[i].name, name) == 0)
            return m[i].op;
    return -1;
}

#define NYPLUG_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The usual C-ABI conversions of a plugin whose instances are heap objects: the value is the instance's
 * address under the type's id, and neither direction adds a reference. */
static inline nyrt_err nyplug_address_to_nyash(uint64_t type_id, const void *inst, nyrt_nyash_value *out,
                                               nyrt_ownership *own) {
    out->type_id = type_id;
    out->box_handle = (uint64_t)(uintptr_t)inst;
    out->metadata = 0;
    *own = NYRT_OWN_BORROW;
    return NYRT_OK;
}

static inline nyrt_err nyplug_address_from_nyash(uint64_t type_id, const nyrt_nyash_value *val, void **out,
                                                 nyrt_ownership *own) {
    if (val->type_id != type_id || !val->box_handle)
        return NYRT_E_TYPE;
    *out = (void *)(uintptr_t)val->box_handle;
    *own = NYRT_OWN_BORROW;
    return NYRT_OK;
}

#endif /* NYPLUG_H */
