/* internal.h -- the core boxes' internals, shared by every nyrt .c file; not part of nyrt's API.
 * (The ABI machinery's own internals are in abi_internal.h.)
 *
 * Every boxed core value (String, Array, Map, Result, Error, Console, Math) is a heap object whose address
 * is the value's box_handle and which starts with nyrt_obj; the header's kind is the type's NYRT_TID_*.
 * Reference counts are plain integers (one thread at a time touches a given object); the allocator's
 * counters and the last-error text are safe across threads.
 */
#ifndef NYRT_INTERNAL_H
#define NYRT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nyrt.h"
#include "nyrt_exec.h"

/* ---- objects ------------------------------------------------------------------------------------------ */
typedef struct nyrt_obj {
    uint32_t refcount;      /* NYRT_IMMORTAL: never freed (shared constant strings) */
    uint32_t kind;          /* NYRT_TID_STRING ... NYRT_TID_ERROR */
} nyrt_obj;
#define NYRT_IMMORTAL 0xFFFFFFFFu

typedef struct nyrt_str {
    nyrt_obj h;
    size_t len;             /* UTF-8 bytes, without the final NUL */
    size_t cps;             /* code points (== len for ASCII text) */
    uint64_t hash;          /* nyrt_str_hash of the bytes once a map has needed it, 0 until then */
    char bytes[];           /* len bytes + NUL */
} nyrt_str;

/* Containers (arrays, maps, results) link dead objects through `dead`, right after the header, so that
 * freeing a long chain of nested containers never recurses. */
typedef struct nyrt_cont {
    nyrt_obj h;
    struct nyrt_cont *dead;
} nyrt_cont;

typedef struct nyrt_arr {
    nyrt_obj h;
    struct nyrt_cont *dead;
    nyrt_nyash_value *items;
    size_t len, cap;
    uint32_t displaying;    /* 1 while display() is inside this array: met again it shows [...] */
} nyrt_arr;

/* Compiled code reads these words directly (backends/llvm: STRING_LEN_OFFSET, the array's items and len). */
_Static_assert(offsetof(nyrt_str, len) == 8, "compiled code reads nyrt_str.len at offset 8");
_Static_assert(offsetof(nyrt_arr, items) == 16, "compiled code reads nyrt_arr.items at offset 16");
_Static_assert(offsetof(nyrt_arr, len) == 24, "compiled code reads nyrt_arr.len at offset 24");

typedef struct nyrt_map_entry {
    nyrt_str *key;          /* NULL: deleted (a tombstone until the next compaction) */
    nyrt_nyash_value value;
    uint64_t hash;
} nyrt_map_entry;

typedef struct nyrt_map {
    nyrt_obj h;
    struct nyrt_cont *dead;
    nyrt_map_entry *entries;   /* insertion order, tombstones included */
    size_t used, cap;          /* entries used (tombstones included) / allocated */
    size_t count;              /* live entries */
    uint32_t *index;           /* open addressing: entry index + 1, 0 empty; index_cap slots (power of 2) */
    size_t index_cap;
} nyrt_map;

typedef struct nyrt_res {
    nyrt_obj h;
    struct nyrt_cont *dead;
    int32_t ok;
    nyrt_nyash_value payload;
} nyrt_res;

typedef struct nyrt_errobj {
    nyrt_obj h;
    nyrt_str *message;
    int32_t origin;         /* position of the throw this ErrorBox was last caught from (nyrt_x_catch), -1 none */
    int32_t runtime;        /* 1: made by nyrt_x_catch from a runtime error (rethrown as that error, not as a throw) */
} nyrt_errobj;

/* A user-box instance or singleton (nyrt_exec.h). Not a core type and not in the registry: its type_id is
 * nyrt_inst_tid (the fast key of NYRT_X_INSTANCE_TYPE), its box_handle the object's address, its metadata 0.
 * The layout is fixed on every target (pointers padded to 8 bytes) because compiled code reads declared field
 * i at byte offset NYRT_INST_FIELDS + 24 * i from the object's address:
 *     0 h (refcount, kind NYRT_KIND_INSTANCE)   8 dead   16 cls   24 serial   32 extra   40 fields[cls->nfields]
 * `dead` sits where nyrt_cont has it, so instances are freed through values.c's dead list (no recursion).
 * Fields a class does not declare, created by assignment, live in `extra` (NULL until the first one). */
#define NYRT_KIND_INSTANCE 13   /* beyond the core kinds (NYRT_TID_*) */
#define NYRT_INST_FIELDS 40

typedef struct nyrt_inst_field {
    char *name;             /* owned copy (nyrt_mem_alloc, NUL-terminated) */
    size_t name_len;
    nyrt_nyash_value value;
} nyrt_inst_field;

typedef struct nyrt_inst_extra {
    size_t len, cap;
    nyrt_inst_field items[];
} nyrt_inst_extra;

typedef struct nyrt_inst {
    nyrt_obj h;
    union { struct nyrt_cont *dead; uint64_t dead_word_; };
    union { const nyrt_x_class *cls; uint64_t cls_word_; };
    int64_t serial;
    union { nyrt_inst_extra *extra; uint64_t extra_word_; };
    nyrt_nyash_value fields[];
} nyrt_inst;

_Static_assert(offsetof(nyrt_inst, fields) == NYRT_INST_FIELDS, "compiled code reads fields at offset 40");
_Static_assert(offsetof(nyrt_inst, dead) == offsetof(nyrt_cont, dead), "instances use the dead list");

/* ---- core type ids (values.c) ------------------------------------------------------------------------ */
extern uint64_t nyrt_core_ids[NYRT_CORE_COUNT];   /* fast keys, filled by nyrt_init */
/* type_id -> core index in one probe (values.c fills these at init): some window of the ids' bits is
 * collision-free for the 13 core ids; served[k] is 0 while a plugin serves boxed core type k. */
extern int8_t nyrt_slot_kind[256];
extern unsigned nyrt_slot_shift, nyrt_slot_mask;
extern uint8_t nyrt_served[NYRT_CORE_COUNT];
/* The core index of type_id, served or not, or -1. */
static inline int32_t nyrt_raw_index(uint64_t type_id) {
    int32_t k = nyrt_slot_kind[(type_id >> nyrt_slot_shift) & nyrt_slot_mask];
    return k >= 0 && nyrt_core_ids[k] == type_id ? k : -1;
}
/* NYRT_TID_* of a core type id, or -1; a boxed kind counts only while nyrt itself serves the type. */
static inline int32_t nyrt_core_index(uint64_t type_id) {
    int32_t k = nyrt_raw_index(type_id);
    return k >= 0 && nyrt_served[k] ? k : -1;
}
/* nyrt_val_kind (nyrt.h), inline for nyrt's own hot paths */
static inline int32_t nyrt_kind_of(const nyrt_nyash_value *v) {
    return v ? nyrt_core_index(v->type_id) : -1;
}
/* registry.c calls this after every register/unregister so nyrt_core_index sees replaced core types. */
void nyrt_core_served_changed(void);
/* The object behind a boxed core value of kind `kind`, or NULL when v is not one. */
static inline void *nyrt_obj_of(const nyrt_nyash_value *v, int32_t kind) {
    return v && nyrt_core_index(v->type_id) == kind ? (void *)(uintptr_t)v->box_handle : NULL;
}
static inline void nyrt_val_of_obj(const void *o, nyrt_nyash_value *out) {   /* a value referring to o (no retain) */
    out->type_id = nyrt_core_ids[((const nyrt_obj *)o)->kind];
    out->box_handle = (uint64_t)(uintptr_t)o;
    out->metadata = 0;
}
void nyrt_obj_init(nyrt_obj *o, int32_t kind);      /* refcount 1, counted as a live object */
static inline void nyrt_obj_retain(nyrt_obj *o) {
    if (o->refcount != NYRT_IMMORTAL)
        o->refcount++;
}
void nyrt_obj_dead(nyrt_obj *o);   /* the count reached 0: destroy o (containers through the dead list) */
static inline void nyrt_obj_release(nyrt_obj *o) {
    if (o->refcount != NYRT_IMMORTAL && --o->refcount == 0)
        nyrt_obj_dead(o);
}
/* nyrt_val_retain / nyrt_val_release of a non-NULL value, the inline case without a call */
static inline void nyrt_retain_v(const nyrt_nyash_value *v) {
    if (!(v->metadata & NYASH_META_INLINE))
        nyrt_val_retain(v);
}
static inline void nyrt_release_v(const nyrt_nyash_value *v) {
    if (!(v->metadata & NYASH_META_INLINE))
        nyrt_val_release(v);
}
/* kinds whose values are nyrt objects counted by nyrt (boxed core kinds while nyrt serves them) */
extern uint8_t nyrt_counted[NYRT_CORE_COUNT];

/* The inline constructors of nyrt.h (nyrt_val_int ...), inline for nyrt's own use. */
static inline void nyrt_set_inline(int32_t kind, uint64_t bits, nyrt_nyash_value *out) {
    out->type_id = nyrt_core_ids[kind];
    out->box_handle = bits;
    out->metadata = NYASH_META_INLINE;
}
static inline void nyrt_v_int(int64_t v, nyrt_nyash_value *out) { nyrt_set_inline(NYRT_TID_INTEGER, (uint64_t)v, out); }
static inline void nyrt_v_bool(int32_t v, nyrt_nyash_value *out) { nyrt_set_inline(NYRT_TID_BOOL, v != 0, out); }
static inline void nyrt_v_null(nyrt_nyash_value *out) { nyrt_set_inline(NYRT_TID_NULL, 0, out); }
static inline void nyrt_v_void(nyrt_nyash_value *out) { nyrt_set_inline(NYRT_TID_VOID, 0, out); }
static inline void nyrt_v_float(double v, nyrt_nyash_value *out) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    nyrt_set_inline(NYRT_TID_FLOAT, bits, out);
}
void nyrt_obj_free(void *o, size_t size);          /* free an object's memory, uncount it */
int64_t nyrt_val_as_int_raw(const nyrt_nyash_value *v);   /* the inline bits as i64 (no check) */
double nyrt_val_as_float_raw(const nyrt_nyash_value *v);  /* the inline bits as f64 (no check) */

/* Provided by dispatch.c: retain/release of a value that is neither inline nor a core object. */
void nyrt_dispatch_retain(const nyrt_nyash_value *v);
void nyrt_dispatch_release(const nyrt_nyash_value *v);

/* Per-kind destructors, called when the count reaches 0: release children, free the memory. */
void nyrt_arr_destroy(nyrt_arr *a);
void nyrt_map_destroy(nyrt_map *m);
void nyrt_res_destroy(nyrt_res *r);

/* ---- error lines (misc.c) ---------------------------------------------------------------------------------- */
/* Append one formatted line to err (cap bytes, NUL-terminated), after a newline when err is not empty;
 * silently truncated when full. Used for the "PATH: REASON" lines of plugin loading and nyash.toml. */
void nyrt_add_line(char *err, size_t cap, const char *fmt, ...);

/* ---- strings and byte buffers (str.c) ------------------------------------------------------------------ */
nyrt_str *nyrt_str_alloc(const char *utf8, size_t len);       /* refcount 1, or NULL */
nyrt_str *nyrt_str_raw(size_t len);   /* refcount 1, len set, bytes[len] NUL; the caller fills bytes and cps */
size_t nyrt_fmt_i64(int64_t v, char out[24]);                 /* "%" PRId64, NUL-terminated; returns the length */
nyrt_err nyrt_str_take(nyrt_str *s, nyrt_nyash_value *out);   /* wrap s (+1 moved into out); E_OOM on NULL */
static inline nyrt_str *nyrt_str_of(const nyrt_nyash_value *v) {   /* the String object or NULL */
    return (nyrt_str *)nyrt_obj_of(v, NYRT_TID_STRING);
}
nyrt_err nyrt_str_lit(const char *text, nyrt_nyash_value *out);   /* new String from a C string */
nyrt_err nyrt_str_ok(nyrt_nyash_value *out);                   /* the shared String "ok" */
void nyrt_str_init_constants(void);                           /* called by nyrt_init */
uint64_t nyrt_str_hash(const char *p, size_t len);
/* nyrt_str_hash of s, kept in s after the first time (not in immortal Strings: several threads share them) */
static inline uint64_t nyrt_str_hash_of(nyrt_str *s) {
    uint64_t h = s->hash;
    if (!h) {
        h = nyrt_str_hash(s->bytes, s->len);
        if (s->h.refcount != NYRT_IMMORTAL)
            s->hash = h;
    }
    return h;
}
size_t nyrt_utf8_count(const char *p, size_t len);            /* code points */
size_t nyrt_utf8_decode(const char *p, size_t len, size_t i, uint32_t *cp);  /* bytes used at p[i] */
size_t nyrt_utf8_encode(uint32_t cp, char out[4]);

/* A growable byte buffer (display strings, join, replace). `oom` latches the first failed growth. */
typedef struct nyrt_buf {
    char *p;
    size_t len, cap;
    int32_t oom;
} nyrt_buf;
void nyrt_buf_init(nyrt_buf *b);
void nyrt_buf_add(nyrt_buf *b, const char *p, size_t n);
void nyrt_buf_adds(nyrt_buf *b, const char *s);
void nyrt_buf_free(nyrt_buf *b);
nyrt_str *nyrt_buf_finish(nyrt_buf *b);                       /* new String from the bytes (NULL on OOM); frees b */
nyrt_err nyrt_buf_to_value(nyrt_buf *b, nyrt_nyash_value *out);   /* the same as a value; E_OOM recorded */

/* Unicode case mapping (unicase.c, generated from CPython's tables by gen_unicase.py). */
void nyrt_unicase_upper(nyrt_buf *b, const char *p, size_t len);   /* Python str.upper() */
void nyrt_unicase_lower(nyrt_buf *b, const char *p, size_t len);   /* Python str.lower() */

/* ---- display (display.c) ------------------------------------------------------------------------------ */
#define NYRT_FLOAT_TEXT 400                                     /* display_float never needs more */
size_t nyrt_disp_float(double x, char out[NYRT_FLOAT_TEXT]);   /* display_float; returns the length */
void nyrt_disp_append(nyrt_buf *b, const nyrt_nyash_value *v); /* display(v) appended to b */
nyrt_str *nyrt_disp_str(const nyrt_nyash_value *v);            /* display(v) (+1; a String is shared), NULL on OOM */

/* ---- containers used across files ---------------------------------------------------------------------- */
nyrt_arr *nyrt_arr_alloc(size_t cap);                            /* empty, refcount 1, or NULL */
nyrt_err nyrt_arr_append(nyrt_arr *a, const nyrt_nyash_value *v);  /* retains v */
nyrt_err nyrt_arr_append_owned(nyrt_arr *a, nyrt_nyash_value *v);  /* moves v in (released on failure) */
int32_t nyrt_arr_sort(nyrt_nyash_value *items, size_t n);        /* §7.5 sort (sort.c); 0 on OOM */

/* ---- errors (values.c) -------------------------------------------------------------------------------- */
nyrt_err nyrt_fail(nyrt_err code, const char *fmt, ...);   /* record a kind-1 error (printf format), return code */
nyrt_err nyrt_oom(void);                                    /* "Out of memory", NYRT_E_OOM */
void nyrt_set_errorv(int32_t kind, const char *fmt, va_list ap);

/* ---- builtin methods (core_types.c dispatches, each type's file implements) ------------------------------ */
/* An argument after the signature check of language.md 7.0: `v` as given, `s` its display string, `i` an
 * Int, `x` an Int or a Float. */
typedef struct nyrt_arg {
    const nyrt_nyash_value *v;
    nyrt_str *s;            /* 's': display string (borrowed when the argument is a String) */
    int64_t i;              /* 'i'; 'x' when is_int */
    double f;               /* 'x': the value as a Float */
    int32_t is_int;         /* 'x': the argument is an Int */
    int32_t owned_s;        /* s was made for the call and is released after it */
} nyrt_arg;

/* self is borrowed; ret is +1. A failure records a kind-1 error and returns non-OK. */
typedef nyrt_err (*nyrt_method_fn)(const nyrt_nyash_value *self, const nyrt_arg *args, size_t argc,
                                   nyrt_nyash_value *ret);
typedef struct nyrt_method {
    const char *name;
    const char *sig;        /* methodspec.py letters: "", "i[i]", "sv", "s+", "s*" */
    nyrt_method_fn fn;
} nyrt_method;

/* Method tables, each ended by {NULL}; toString and equals are added by core_types.c. */
extern const nyrt_method nyrt_str_methods[], nyrt_int_methods[], nyrt_float_methods[], nyrt_math_methods[],
    nyrt_arr_methods[], nyrt_map_methods[], nyrt_console_methods[], nyrt_res_methods[], nyrt_err_methods[],
    nyrt_null_methods[], nyrt_none_methods[];

/* method_id is nyrt_method_id(method, argc); method may be NULL when only the id is known. ret is +1.
 * Failure records a kind-1 error: E_NOT_FOUND unknown method (no error recorded when method is NULL),
 * E_ARG argument count or a method's own error, E_TYPE argument kind, E_OOM out of memory. */
nyrt_err nyrt_core_call(const nyrt_nyash_value *self, uint64_t method_id, const char *method,
                        const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *ret);
/* nyrt_core_call in two steps, for callers that cache the first: the method a value of core kind `kind`
 * (not NYRT_TID_HOST) answers for (method_id, method), or NULL (then nyrt_core_call reports the failure);
 * then the call of it (ret void on failure). */
struct cmethod;
const struct cmethod *nyrt_core_resolve(int32_t kind, uint64_t method_id, const char *method);
nyrt_err nyrt_core_invoke(const struct cmethod *c, const nyrt_nyash_value *self, const nyrt_nyash_value *args,
                          size_t argc, nyrt_nyash_value *ret);
/* Bumped by nyrt_x_program_init: caches keyed by a program's name ids compare it. */
extern uint32_t nyrt_x_program_gen;

/* ---- output (misc.c): ConsoleBox writes here ------------------------------------------------------------ */
void nyrt_write(const char *p, size_t n);

/* ---- user-box instances (exec.c; the layout is above) --------------------------------------------------- */
extern uint64_t nyrt_inst_tid;   /* fast key of NYRT_X_INSTANCE_TYPE, set by nyrt_init (values.c) */
static inline nyrt_inst *nyrt_inst_of(const nyrt_nyash_value *v) {
    return v && nyrt_inst_tid && v->type_id == nyrt_inst_tid ? (nyrt_inst *)(uintptr_t)v->box_handle : NULL;
}
void nyrt_inst_destroy(nyrt_inst *o);                         /* release every field, free */
void nyrt_inst_display(nyrt_buf *b, const nyrt_inst *o);      /* "<Name instance #N>", "<Name_singleton instance #N>" */
/* nyrt_call_id on an instance: toString/0 is its display string, else "Method 'NAME' not found in CLASS". */
nyrt_err nyrt_inst_call(const nyrt_nyash_value *self, uint64_t method_id, const char *method, size_t argc,
                        nyrt_nyash_value *ret);
/* The fast key of the registered plugin type whose short name is `name` (registry.c), or 0. */
uint64_t nyrt_tb_plugin_type_named(const char *name);
/* exec.c's helpers for exec_calls.c */
int32_t nyrt_x_errorf(const char *fmt, ...);               /* record a kind-1 error, return NYRT_X_FAIL */
const char *nyrt_x_name(int64_t name_id);                   /* the program's name text, NULL out of range */
const nyrt_x_class *nyrt_x_class_at(int64_t cls);           /* the program's class, NULL out of range */
int64_t nyrt_x_class_named(const char *name);               /* class index by name, -1 when none */
const nyrt_x_entry *nyrt_x_method(const nyrt_x_class *c, int64_t name_id);   /* method entry or NULL */
nyrt_inst *nyrt_x_new_inst(const nyrt_x_class *c);          /* next serial, fields void; NULL: OOM recorded */
void nyrt_inst_value(const nyrt_inst *o, nyrt_nyash_value *out);   /* a value referring to o (no retain) */
nyrt_str *nyrt_x_display(const nyrt_nyash_value *v);        /* display via nyrt_call_display (+1), NULL: failed */

/* Method results that cannot fail: set *ret and report success. */
static inline nyrt_err ret_int(int64_t v, nyrt_nyash_value *ret) {
    nyrt_v_int(v, ret);
    return NYRT_OK;
}

static inline nyrt_err ret_float(double v, nyrt_nyash_value *ret) {
    nyrt_v_float(v, ret);
    return NYRT_OK;
}

static inline nyrt_err ret_bool(int v, nyrt_nyash_value *ret) {
    nyrt_v_bool(v, ret);
    return NYRT_OK;
}

#endif /* NYRT_INTERNAL_H */
