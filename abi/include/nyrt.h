/* nyrt.h -- the native runtime's own API: core boxes, reference counting, the TypeBox registry, the
 * unified dispatch and plugin loading. Built from abi/nyrt/*.c into one library for the host (cffi) and,
 * later, for wasm32-wasi. C11, fixed-width types, libc only, no threads required.
 *
 * Prefixes: nyrt_val_ (values, refcounts), nyrt_str_, nyrt_arr_, nyrt_map_, nyrt_res_, nyrt_errbox_,
 * nyrt_disp_ (display strings), nyrt_tb_ (registry), nyrt_call_ (dispatch), nyrt_plugin_ (loading),
 * nyrt_host_ (host services), nyrt_mem_ (allocator). Every exported function is documented in one line.
 */
#ifndef NYRT_H
#define NYRT_H

#include "nyrt_typebox.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- type ids of the core types: fast_key (first 8 bytes of SHA-256 of the name, little-endian) ------ */
#define NYRT_TID_INTEGER  0 /* index into nyrt_core_tid(); the ids themselves are computed at init */
#define NYRT_TID_FLOAT    1
#define NYRT_TID_BOOL     2
#define NYRT_TID_STRING   3
#define NYRT_TID_NULL     4
#define NYRT_TID_VOID     5
#define NYRT_TID_ARRAY    6
#define NYRT_TID_MAP      7
#define NYRT_TID_CONSOLE  8
#define NYRT_TID_MATH     9
#define NYRT_TID_RESULT   10
#define NYRT_TID_ERROR    11
#define NYRT_TID_HOST     12   /* "nyash.host.Object": an object owned by the host (Python) */
#define NYRT_CORE_COUNT   13

/* Names of the core types, in NYRT_TID_* order ("nyash.core.Integer", ...). */
extern const char *const nyrt_core_names[NYRT_CORE_COUNT];

/* ---- runtime lifetime ------------------------------------------------------------------------------- */
nyrt_err nyrt_init(void);                                   /* compute core ids, register core TypeBoxes; idempotent */
uint64_t nyrt_core_tid(int32_t which);                       /* type id of core type NYRT_TID_* */
void nyrt_sha256(const uint8_t *data, size_t len, uint8_t out[32]);   /* SHA-256 digest */
uint64_t nyrt_fast_key(const char *name);                   /* first 8 bytes of SHA-256(name), little-endian */
uint64_t nyrt_method_id(const char *name, int32_t arity);   /* fast key of "name/arity" (abi.md section 2) */

/* ---- memory: every nyrt allocation goes through here so tests can count live bytes --------------- */
void *nyrt_mem_alloc(size_t size);                          /* malloc, counted */
void *nyrt_mem_realloc(void *ptr, size_t old_size, size_t new_size);   /* realloc, counted */
void nyrt_mem_free(void *ptr, size_t size);                 /* free, counted */
int64_t nyrt_mem_live_bytes(void);                          /* bytes allocated and not yet freed */
int64_t nyrt_mem_live_objects(void);                        /* boxed core objects alive (refcount > 0) */

/* ---- values ------------------------------------------------------------------------------------------- */
void nyrt_val_int(int64_t v, nyrt_nyash_value *out);       /* inline Integer */
void nyrt_val_float(double v, nyrt_nyash_value *out);      /* inline Float */
void nyrt_val_bool(int32_t v, nyrt_nyash_value *out);      /* inline Bool (0/1) */
void nyrt_val_null(nyrt_nyash_value *out);                  /* inline null */
void nyrt_val_void(nyrt_nyash_value *out);                  /* inline void */
int32_t nyrt_val_kind(const nyrt_nyash_value *v);           /* NYRT_TID_* of a core value, -1 for others */
void nyrt_val_retain(const nyrt_nyash_value *v);           /* +1 on a boxed value (no-op for inline) */
void nyrt_val_release(const nyrt_nyash_value *v);          /* -1; frees at 0 (no-op for inline) */
int64_t nyrt_val_refcount(const nyrt_nyash_value *v);      /* current count of a boxed core value, -1 for others */
int32_t nyrt_val_truthy(const nyrt_nyash_value *v);        /* language.md 6.2 */
int32_t nyrt_val_equals(const nyrt_nyash_value *a, const nyrt_nyash_value *b);   /* language.md 6.6 */
nyrt_err nyrt_val_display(const nyrt_nyash_value *v, nyrt_nyash_value *out_string);  /* display(v) as a new String */
const char *nyrt_val_type_name(const nyrt_nyash_value *v); /* "IntegerBox", ..., or the plugin type's short name */

/* ---- strings: immutable UTF-8, NUL-terminated, byte length kept --------------------------------------- */
nyrt_err nyrt_str_new(const char *utf8, size_t len, nyrt_nyash_value *out);    /* copy bytes into a new String (+1) */
nyrt_err nyrt_str_view(const nyrt_nyash_value *s, const char **utf8, size_t *len);  /* borrow the bytes */
nyrt_err nyrt_str_concat(const nyrt_nyash_value *a, const nyrt_nyash_value *b, nyrt_nyash_value *out);  /* a + b */

/* ---- arrays: elements are owned (retained) values ------------------------------------------------------ */
nyrt_err nyrt_arr_new(nyrt_nyash_value *out);               /* new empty ArrayBox (+1) */
nyrt_err nyrt_arr_push(nyrt_nyash_value *arr, const nyrt_nyash_value *v);   /* append, retaining v */
int64_t nyrt_arr_len(const nyrt_nyash_value *arr);         /* length, -1 if not an array */
nyrt_err nyrt_arr_get(const nyrt_nyash_value *arr, int64_t i, nyrt_nyash_value *out);   /* element (+1), null out of range */
nyrt_err nyrt_arr_set(nyrt_nyash_value *arr, int64_t i, const nyrt_nyash_value *v);     /* replace; E_ARG out of range */

/* ---- maps: keys are display strings, insertion order kept (language.md 7.6) --------------------------- */
nyrt_err nyrt_map_new(nyrt_nyash_value *out);               /* new empty MapBox (+1) */
nyrt_err nyrt_map_set(nyrt_nyash_value *map, const nyrt_nyash_value *key, const nyrt_nyash_value *v);  /* store */
nyrt_err nyrt_map_get(const nyrt_nyash_value *map, const nyrt_nyash_value *key, nyrt_nyash_value *out);  /* value (+1) or E_NOT_FOUND */
int64_t nyrt_map_size(const nyrt_nyash_value *map);        /* entry count, -1 if not a map */

/* ---- results and errors ------------------------------------------------------------------------------- */
nyrt_err nyrt_res_new(int32_t ok, const nyrt_nyash_value *payload, nyrt_nyash_value *out);  /* Ok/Err (+1) */
nyrt_err nyrt_errbox_new(const char *message, nyrt_nyash_value *out);   /* ErrorBox(message) (+1) */

/* ---- method calls on any value: core boxes, host objects, plugin boxes (abi.md section 5) ----------- */
/* ret is +1 owned by the caller. On failure a message is kept for nyrt_last_error(). */
nyrt_err nyrt_call(const nyrt_nyash_value *self, const char *method, const nyrt_nyash_value *args, size_t argc,
                   nyrt_nyash_value *ret);
nyrt_err nyrt_call_id(const nyrt_nyash_value *self, uint64_t method_id, const char *method,
                      const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *ret);  /* by precomputed id */
const char *nyrt_last_error(void);                          /* text of the last failure ("" if none) */
/* What the last failure was: 0 none; 1 a Nyash runtime error of a core box (the text is the exact user message,
 * e.g. "substring() expects 1 or 2 arguments, got 0"); 2 a plugin failure (the text is its detail). */
int32_t nyrt_last_error_kind(void);
void nyrt_set_error(int32_t kind, const char *message);     /* record a failure for nyrt_last_error */

/* ---- the registry (abi.md section 4) -------------------------------------------------------------------- */
/* Validates and registers; on refusal returns non-OK and writes "TYPE: RULE" into err (cap bytes). */
nyrt_err nyrt_tb_register(const nyrt_typebox *tb, int32_t plugin_id, char *err, size_t cap);
const nyrt_typebox *nyrt_tb_lookup(uint64_t fast_key);     /* registered TypeBox or NULL */
const nyrt_typebox *nyrt_tb_lookup_name(const char *name); /* by fully qualified name or NULL */
nyrt_err nyrt_tb_unregister(uint64_t fast_key);            /* remove (used when nyash.toml replaces a core type) */
nyrt_err nyrt_tb_create(const nyrt_typebox *tb, nyrt_nyash_value *out);   /* new instance via ny.create or the C bridge */

/* ---- plugins ---------------------------------------------------------------------------------------------- */
/* dlopen, init, fetch and validate TypeBoxes; returns a plugin id >= 0, or -1 with the reason in err. */
int32_t nyrt_plugin_load(const char *path, const char *init_symbol, const char *boxes_symbol, char *err, size_t cap);
int64_t nyrt_plugin_live(int32_t plugin_id);               /* live instances counted by the host */
nyrt_err nyrt_plugin_unload(int32_t plugin_id, char *err, size_t cap);   /* refused (E_STATE) while live > 0 */
size_t nyrt_plugin_type_count(int32_t plugin_id);           /* TypeBoxes the plugin registered */
const nyrt_typebox *nyrt_plugin_type(int32_t plugin_id, size_t i);   /* i-th registered TypeBox */

/* ---- host services ------------------------------------------------------------------------------------- */
const nyrt_host *nyrt_host_table(void);                     /* the table given to plugins */
typedef void (*nyrt_host_object_fn)(uint64_t handle);
typedef nyrt_err (*nyrt_host_call_fn)(uint64_t handle, const char *method, const nyrt_nyash_value *args,
                                      size_t argc, nyrt_nyash_value *ret);
typedef void (*nyrt_log_fn)(int32_t level, const char *msg);
void nyrt_host_set_object_hooks(nyrt_host_object_fn retain, nyrt_host_object_fn release, nyrt_host_call_fn call);
void nyrt_host_set_log(nyrt_log_fn log);                    /* where plugin log lines go (default stderr) */

#ifdef __cplusplus
}
#endif
#endif /* NYRT_H */
