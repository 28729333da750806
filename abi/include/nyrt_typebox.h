/* nyrt_typebox.h -- THE layout of the unified TypeBox ABI v1.0 (shared/spec/abi.md section 1).
 *
 * One header for the runtime (nyrt), every plugin and every backend. Rules: fixed-width integer types
 * only (no enum-typed fields, no `long`), no implicit padding anywhere, and nyrt_nyash_value always
 * crosses by pointer, never by value (by-value 24-byte structs are lowered differently by SysV, Win64,
 * LLVM and wasm). The static asserts at the end pin every size and offset.
 */
#ifndef NYRT_TYPEBOX_H
#define NYRT_TYPEBOX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- constants ------------------------------------------------------------------------------------ */
#define NYRT_ABI_TAG        0x54594258u   /* 'TYBX' as a little-endian u32 */
#define NYRT_ABI_VER_MAJOR  1
#define NYRT_ABI_VER_MINOR  0

#define NYRT_ABI_NONE       0u
#define NYRT_ABI_C          1u
#define NYRT_ABI_NYASH      2u
#define NYRT_ABI_UNIFIED    3u

#define NYRT_CALLCONV_SYSV      1u
#define NYRT_CALLCONV_WIN64     2u
#define NYRT_CALLCONV_FASTCALL  3u

typedef int32_t nyrt_err;
#define NYRT_OK           0
#define NYRT_E_ARG        1
#define NYRT_E_TYPE       2
#define NYRT_E_STATE      3
#define NYRT_E_OOM        4
#define NYRT_E_ABORT      5
#define NYRT_E_NOT_FOUND  6   /* method or name unknown */

typedef uint32_t nyrt_ownership;
#define NYRT_OWN_BORROW    0u  /* valid for the call only */
#define NYRT_OWN_TRANSFER  1u  /* receiver must release */
#define NYRT_OWN_CLONE     2u  /* independent copy, receiver releases its own */

#define NYRT_TYPE_THREAD_SAFE  0x1u
#define NYRT_TYPE_IMMUTABLE    0x2u
#define NYRT_TYPE_REENTRANT    0x4u   /* may call host callbacks while holding no locks */
#define NYRT_TYPE_MAY_BLOCK    0x8u   /* long-running: never hold runtime locks across it */
/* bits 16-31 of flags are reserved for capabilities (file, net, ...) */

#define NYASH_META_INLINE  0x01u   /* box_handle holds the value itself */
#define NYASH_META_ASYNC   0x02u   /* a future */
#define NYASH_META_ERROR   0x10u   /* an error value */

/* ---- values ------------------------------------------------------------------------------------------ */
typedef struct nyrt_nyash_value {
    uint64_t type_id;      /* fast_key of the value's TypeBox */
    uint64_t box_handle;   /* inline bits (Integer, Float, Bool, Null, Void) or an opaque handle */
    uint64_t metadata;     /* NYASH_META_* bits */
} nyrt_nyash_value;

/* ---- vtables ----------------------------------------------------------------------------------------- */
/* C ABI: plugin-native instances behind void*, converted at the boundary. Every function is nothrow;
 * errors come back as nyrt_err. */
typedef struct nyrt_c_vtable {
    void *(*create)(void *env);
    void (*retain)(void *inst);
    void (*release)(void *inst);
    nyrt_err (*to_nyash)(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own);
    nyrt_err (*from_nyash)(const nyrt_nyash_value *val, void **out, nyrt_ownership *own);
    nyrt_err (*invoke_by_id)(void *inst, uint64_t method, const void *const *argv, size_t argc,
                             void **ret, nyrt_ownership *ret_own);
    nyrt_err (*invoke_by_name)(void *inst, const char *method, const void *const *argv, size_t argc,
                               void **ret, nyrt_ownership *ret_own);
} nyrt_c_vtable;

/* Nyash ABI: speaks nyrt_nyash_value directly. `self` and `args` are borrowed; `ret` is +1, owned by the
 * caller. */
typedef struct nyrt_ny_vtable {
    nyrt_err (*create)(void *ctx, nyrt_nyash_value *out);
    void (*retain)(const nyrt_nyash_value *v);
    void (*release)(const nyrt_nyash_value *v);
    nyrt_err (*invoke_by_id)(nyrt_nyash_value *self, uint64_t method, const nyrt_nyash_value *args,
                             size_t argc, nyrt_nyash_value *ret);
    nyrt_err (*invoke_by_name)(nyrt_nyash_value *self, const char *method, const nyrt_nyash_value *args,
                               size_t argc, nyrt_nyash_value *ret);
} nyrt_ny_vtable;

/* ---- the TypeBox --------------------------------------------------------------------------------------- */
typedef struct nyrt_type_meta {
    const char *json;
    size_t json_len;
} nyrt_type_meta;

typedef struct nyrt_typebox {
    uint32_t abi_tag;              /*   0: NYRT_ABI_TAG */
    uint16_t ver_major;            /*   4 */
    uint16_t ver_minor;            /*   6 */
    uint32_t size;                 /*   8: sizeof(nyrt_typebox) as the plugin saw it */
    uint32_t abi_kind;             /*  12: NYRT_ABI_C / _NYASH / _UNIFIED */
    uint32_t callconv;             /*  16 */
    uint32_t flags;                /*  20: NYRT_TYPE_* */
    const char *name;              /*  24: fully qualified, e.g. "nyash.core.Map" */
    uint8_t stable_id[32];         /*  32: SHA-256 of the UTF-8 name */
    uint64_t fast_key;             /*  64: first 8 bytes of stable_id, little-endian */
    uint32_t align;                /*  72: alignment hint of instances */
    uint32_t reserved0;            /*  76: zero */
    const nyrt_c_vtable *c;        /*  80: C ABI vtable or NULL */
    const nyrt_ny_vtable *ny;      /*  88: Nyash ABI vtable or NULL */
    nyrt_type_meta meta;           /*  96: JSON metadata */
    const void *user_data;         /* 112: the plugin's own data */
} nyrt_typebox;

/* ---- host services given to a plugin at init (valid until unload) --------------------------------- */
typedef struct nyrt_host {
    uint16_t size;
    uint16_t ver_major;
    uint16_t ver_minor;
    uint16_t reserved;
    void *(*host_alloc)(size_t size);
    void (*host_free)(void *ptr);
    void (*log)(int32_t level, const char *msg);
    nyrt_err (*gc_safepoint)(void);
    nyrt_err (*string_new)(const char *utf8, size_t len, nyrt_nyash_value *out);
    nyrt_err (*string_view)(const nyrt_nyash_value *v, const char **utf8, size_t *len);
    nyrt_err (*array_new)(nyrt_nyash_value *out);
    nyrt_err (*array_push)(nyrt_nyash_value *arr, const nyrt_nyash_value *v);
    int64_t (*array_len)(const nyrt_nyash_value *arr);
    nyrt_err (*array_get)(const nyrt_nyash_value *arr, int64_t i, nyrt_nyash_value *out);
} nyrt_host;

typedef struct nyrt_runtime_info {
    uint16_t size;
    uint16_t ver_major;
    uint16_t ver_minor;
    uint16_t reserved;
} nyrt_runtime_info;

/* ---- plugin entry points (names may be overridden in nyash.toml: symbols.init, symbols.boxes) ------ */
typedef nyrt_err (*nyrt_plugin_init_fn)(const nyrt_host *host, const nyrt_runtime_info *info);
typedef const nyrt_typebox *const *(*nyrt_typeboxes_fn)(size_t *count);

/* ---- layout: must hold with natural alignment, pack(8) and pack(4) ------------------------------- */
/* The offsets of abi.md 1.2 are those of 64-bit targets (x86-64, aarch64). */
#define NYRT_ASSERT_LAYOUT(cond, what) _Static_assert(cond, "nyrt_typebox.h layout: " what)
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
NYRT_ASSERT_LAYOUT(sizeof(nyrt_nyash_value) == 24, "nyrt_nyash_value is 24 bytes");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_nyash_value, type_id) == 0, "type_id @0");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_nyash_value, box_handle) == 8, "box_handle @8");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_nyash_value, metadata) == 16, "metadata @16");

NYRT_ASSERT_LAYOUT(sizeof(nyrt_typebox) == 120, "nyrt_typebox is 120 bytes");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, abi_tag) == 0, "abi_tag @0");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, ver_major) == 4, "ver_major @4");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, ver_minor) == 6, "ver_minor @6");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, size) == 8, "size @8");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, abi_kind) == 12, "abi_kind @12");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, callconv) == 16, "callconv @16");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, flags) == 20, "flags @20");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, name) == 24, "name @24");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, stable_id) == 32, "stable_id @32");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, fast_key) == 64, "fast_key @64");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, align) == 72, "align @72");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, reserved0) == 76, "reserved0 @76");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, c) == 80, "c @80");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, ny) == 88, "ny @88");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, meta) == 96, "meta @96");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, meta.json) == 96, "meta.json @96");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, meta.json_len) == 104, "meta.json_len @104");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_typebox, user_data) == 112, "user_data @112");

NYRT_ASSERT_LAYOUT(sizeof(nyrt_c_vtable) == 7 * sizeof(void *), "nyrt_c_vtable: 7 function pointers");
NYRT_ASSERT_LAYOUT(sizeof(nyrt_ny_vtable) == 5 * sizeof(void *), "nyrt_ny_vtable: 5 function pointers");
NYRT_ASSERT_LAYOUT(offsetof(nyrt_host, host_alloc) == 8, "host_alloc @8");
NYRT_ASSERT_LAYOUT(sizeof(nyrt_host) == 8 + 10 * sizeof(void *), "nyrt_host: header + 10 callbacks");
#endif
NYRT_ASSERT_LAYOUT(sizeof(nyrt_runtime_info) == 8, "nyrt_runtime_info is 8 bytes");

#ifdef __cplusplus
}
#endif
#endif /* NYRT_TYPEBOX_H */
