/* nyrt.h -- the native runtime's own API: core boxes, reference counting, the TypeBox registry, the
 * unified dispatch and plugin loading. Built from the C files in abi/nyrt/ into one library for the host (cffi) and,
 * later, for wasm32-wasi. C11, fixed-width types, libc only, no threads required.
 *
 * Prefixes: nyrt_val_ (values, refcounts), nyrt_str_, nyrt_arr_, nyrt_map_, nyrt_res_, nyrt_errbox_,
 * nyrt_disp_ (display strings), nyrt_tb_ (registry), nyrt_call_ (dispatch), nyrt_plugin_ (loading),
 * nyrt_host_ (host services), nyrt_mem_ (allocator), nyrt_op_ (operators). Every exported function is
 * documented in one line.
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
const nyrt_typebox *nyrt_core_typebox(int32_t which);        /* nyrt's own TypeBox of core type NYRT_TID_* (after init) */
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
int64_t nyrt_val_as_int(const nyrt_nyash_value *v);        /* an Integer's (or Bool's) value, 0 for others */
double nyrt_val_as_float(const nyrt_nyash_value *v);       /* a Float's value (an Integer converted), 0.0 for others */

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
nyrt_err nyrt_map_keys(const nyrt_nyash_value *map, nyrt_nyash_value *out);     /* new ArrayBox of the keys, in order (+1) */
nyrt_err nyrt_map_values(const nyrt_nyash_value *map, nyrt_nyash_value *out);   /* new ArrayBox of the values, in key order (+1) */

/* ---- results and errors ------------------------------------------------------------------------------- */
nyrt_err nyrt_res_new(int32_t ok, const nyrt_nyash_value *payload, nyrt_nyash_value *out);  /* Ok/Err (+1) */
nyrt_err nyrt_errbox_new(const char *message, nyrt_nyash_value *out);   /* ErrorBox(message) (+1) */
nyrt_err nyrt_errbox_new_len(const char *utf8, size_t len, nyrt_nyash_value *out);   /* the same, bytes counted */
nyrt_err nyrt_res_get(const nyrt_nyash_value *res, int32_t *ok, nyrt_nyash_value *payload);  /* Ok?, payload (+1) */
nyrt_err nyrt_errbox_message(const nyrt_nyash_value *err, nyrt_nyash_value *out);   /* the message as a String (+1) */

/* ---- services and output ------------------------------------------------------------------------------ */
nyrt_err nyrt_console_new(nyrt_nyash_value *out);          /* new ConsoleBox (+1) */
nyrt_err nyrt_math_new(nyrt_nyash_value *out);             /* new MathBox (+1) */
void nyrt_set_output(void (*write)(const char *utf8, size_t len));   /* where ConsoleBox writes (NULL: stdout) */

/* ---- operators (language.md 6.3-6.7; nyash_run/runtime/operators.py): results are +1 owned ------------- */
#define NYRT_OP_ADD 0   /* + */
#define NYRT_OP_SUB 1   /* - */
#define NYRT_OP_MUL 2   /* * */
#define NYRT_OP_DIV 3   /* / */
#define NYRT_OP_MOD 4   /* % */
#define NYRT_OP_LT  5   /* < */
#define NYRT_OP_LE  6   /* <= */
#define NYRT_OP_GT  7   /* > */
#define NYRT_OP_GE  8   /* >= */
#define NYRT_OP_EQ  9   /* == */
#define NYRT_OP_NE  10  /* != */
/* a OP b with OP one of NYRT_OP_*; failure records a kind-1 error: E_TYPE unsupported types, E_ARG by zero. */
nyrt_err nyrt_op_binary(int32_t op, const nyrt_nyash_value *a, const nyrt_nyash_value *b, nyrt_nyash_value *out);
nyrt_err nyrt_op_neg(const nyrt_nyash_value *a, nyrt_nyash_value *out);   /* unary minus (Int wraps MIN to MIN); E_TYPE else */
int32_t nyrt_op_not(const nyrt_nyash_value *a);             /* `not a`: 1 when a is not truthy (language.md 6.2) */

/* ---- method calls on any value: core boxes, host objects, plugin boxes (abi.md section 5) ----------- */
/* ret is +1 owned by the caller. On failure a message is kept for nyrt_last_error(). */
nyrt_err nyrt_call(const nyrt_nyash_value *self, const char *method, const nyrt_nyash_value *args, size_t argc,
                   nyrt_nyash_value *ret);
nyrt_err nyrt_call_id(const nyrt_nyash_value *self, uint64_t method_id, const char *method,
                      const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *ret);  /* by precomputed id */
const char *nyrt_last_error(void);                          /* text of the last failure ("" if none) */
/* The user-facing message of the last failure: kind 1 its text; kind 2
 * "PluginError: TYPE.METHOD failed: E_CODE (DETAIL)" (abi/README.md "Errors"). */
const char *nyrt_last_error_message(void);
const char *nyrt_err_code_name(nyrt_err code);              /* "E_ARG", ..., "E_NOT_FOUND" ("OK" for 0) */
/* display(v) for any value: core values as nyrt_val_display, plugin and host values by their toString/0,
 * else "NAME()" (abi/README.md "Plugins"). */
nyrt_err nyrt_call_display(const nyrt_nyash_value *v, nyrt_nyash_value *out_string);
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
/* `new NAME(args)` of a registered type: birth_arity check ("No constructor found for X with N arguments",
 * kind 1, E_ARG), the singleton when "singleton": true, else create then birth/N (abi/README.md "Plugins"). */
nyrt_err nyrt_tb_new(uint64_t fast_key, const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *out);
const char *nyrt_tb_short_name_of(uint64_t type_id);       /* name users write ("MapBox", "FileBox") or NULL */
int32_t nyrt_tb_owner(uint64_t fast_key);                   /* plugin id of a registered type; -1 nyrt itself; -2 none */
void nyrt_tb_restore_core(void);                            /* re-register replaced core TypeBoxes whose name is free */

/* ---- plugins ---------------------------------------------------------------------------------------------- */
/* dlopen, init, fetch and validate TypeBoxes; returns a plugin id >= 0, or -1 with the reasons in err, one line
 * each: "PATH: REASON", for a refused TypeBox "PATH: TYPE: RULE (detail)". All or nothing: one refused TypeBox
 * refuses the plugin. NULL or "" symbols mean nyash_plugin_init / nyash_typeboxes. */
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
/* Where plugin log lines go (NULL: stderr, levels above DEBUG). The last line logged during a call that fails
 * is that failure's DETAIL; an ERROR line that becomes the DETAIL is not printed as well. The hook may be
 * called from plugin threads. */
void nyrt_host_set_log(nyrt_log_fn log);
#define NYRT_LOG_DEBUG 0
#define NYRT_LOG_INFO  1
#define NYRT_LOG_WARN  2
#define NYRT_LOG_ERROR 3
void nyrt_host_object(uint64_t handle, nyrt_nyash_value *out);   /* the value of host handle (no retain) */
int64_t nyrt_host_alloc_live(void);                         /* blocks from host_alloc not yet host_free'd */

/* The table nyrt actually hands to plugins: nyrt_host followed by retain/release of any value, which a plugin
 * needs to keep an argument (a String key, a stored value). host->size == sizeof(nyrt_host_ext) says they are
 * there; a plugin checks it before casting (the ABI's forward-compatibility rule for the host table). */
typedef struct nyrt_host_ext {
    nyrt_host base;
    void (*value_retain)(const nyrt_nyash_value *v);
    void (*value_release)(const nyrt_nyash_value *v);
} nyrt_host_ext;

#ifdef __cplusplus
}
#endif
#endif /* NYRT_H */
