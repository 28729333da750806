/* values.c -- inline values, core type ids, reference counting, truthiness, equality and the last error
 * (language.md 6.2, 6.6; abi/README.md "Values").
 *
 * A value is core when its type_id is one of the 13 core ids: Integer, Float, Bool, Null and Void are
 * inline; String, Array, Map, Console, Math, Result and Error are nyrt objects while nyrt serves the type
 * (nyash.toml may hand a core type to a plugin, then its values go through dispatch.c like any plugin's).
 * User-box instances (exec.c) are nyrt objects too, of kind NYRT_KIND_INSTANCE, though not a core type:
 * they are counted, freed through the dead list, compared by identity and named by their class.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "internal.h"

uint64_t nyrt_core_ids[NYRT_CORE_COUNT];
uint64_t nyrt_inst_tid;   /* user-box instances (internal.h): not core, not registered */
uint8_t nyrt_served[NYRT_CORE_COUNT];
uint8_t nyrt_counted[NYRT_CORE_COUNT];

/* type_id -> core index in one probe: ids are random 64-bit numbers, so some 6- or 8-bit window of them
 * is collision-free for 13 keys; nyrt_core_served_changed() picks it (init registers the core types). */
int8_t nyrt_slot_kind[256];
unsigned nyrt_slot_shift, nyrt_slot_mask;

static int32_t is_boxed_kind(int32_t k) {
    return k == NYRT_TID_STRING || k == NYRT_TID_ARRAY || k == NYRT_TID_MAP || k == NYRT_TID_CONSOLE ||
           k == NYRT_TID_MATH || k == NYRT_TID_RESULT || k == NYRT_TID_ERROR;
}

static int try_window(unsigned shift, unsigned mask) {
    memset(nyrt_slot_kind, -1, sizeof nyrt_slot_kind);
    for (int32_t k = 0; k < NYRT_CORE_COUNT; k++) {
        int8_t *slot = &nyrt_slot_kind[(nyrt_core_ids[k] >> shift) & mask];
        if (*slot >= 0)
            return 0;
        *slot = (int8_t)k;
    }
    nyrt_slot_shift = shift;
    nyrt_slot_mask = mask;
    return 1;
}

static void build_slots(void) {
    for (unsigned mask = 63; mask <= 255; mask = mask * 4 + 3)
        for (unsigned shift = 0; shift <= 56; shift++)
            if (try_window(shift, mask))
                return;
    memset(nyrt_slot_kind, -1, sizeof nyrt_slot_kind);   /* unreachable in practice; every lookup then misses */
}

void nyrt_core_served_changed(void) {
    if (!nyrt_core_ids[0])
        return;                                 /* before nyrt_init computed the ids */
    if (!nyrt_inst_tid)
        nyrt_inst_tid = nyrt_fast_key(NYRT_X_INSTANCE_TYPE);
    if (!nyrt_slot_mask)
        build_slots();
    for (int32_t k = 0; k < NYRT_CORE_COUNT; k++) {
        nyrt_served[k] = !is_boxed_kind(k) || nyrt_tb_is_core_served(nyrt_core_ids[k]);
        nyrt_counted[k] = nyrt_served[k] && is_boxed_kind(k);
    }
}


uint64_t nyrt_core_tid(int32_t which) {
    return which >= 0 && which < NYRT_CORE_COUNT ? nyrt_core_ids[which] : 0;
}


/* ---- inline values -------------------------------------------------------------------------------- */
static void set_inline(int32_t kind, uint64_t bits, nyrt_nyash_value *out) {
    out->type_id = nyrt_core_ids[kind];
    out->box_handle = bits;
    out->metadata = NYASH_META_INLINE;
}

void nyrt_val_int(int64_t v, nyrt_nyash_value *out) { set_inline(NYRT_TID_INTEGER, (uint64_t)v, out); }
void nyrt_val_bool(int32_t v, nyrt_nyash_value *out) { set_inline(NYRT_TID_BOOL, v != 0, out); }
void nyrt_val_null(nyrt_nyash_value *out) { set_inline(NYRT_TID_NULL, 0, out); }
void nyrt_val_void(nyrt_nyash_value *out) { set_inline(NYRT_TID_VOID, 0, out); }

void nyrt_val_float(double v, nyrt_nyash_value *out) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    set_inline(NYRT_TID_FLOAT, bits, out);
}

int64_t nyrt_val_as_int_raw(const nyrt_nyash_value *v) { return (int64_t)v->box_handle; }

double nyrt_val_as_float_raw(const nyrt_nyash_value *v) {
    double d;
    memcpy(&d, &v->box_handle, sizeof d);
    return d;
}

int64_t nyrt_val_as_int(const nyrt_nyash_value *v) {
    int32_t k = nyrt_kind_of(v);
    return k == NYRT_TID_INTEGER || k == NYRT_TID_BOOL ? (int64_t)v->box_handle : 0;
}

double nyrt_val_as_float(const nyrt_nyash_value *v) {
    int32_t k = nyrt_kind_of(v);
    return k == NYRT_TID_FLOAT ? nyrt_val_as_float_raw(v) : k == NYRT_TID_INTEGER ? (double)(int64_t)v->box_handle : 0.0;
}

int32_t nyrt_val_kind(const nyrt_nyash_value *v) {
    return v ? nyrt_core_index(v->type_id) : -1;
}

/* ---- reference counting ---------------------------------------------------------------------------- */
/* Containers whose count reached 0 wait here; the first release drains the list, so a chain of nested
 * arrays a million deep is freed in a loop instead of a million nested calls. */
static _Thread_local nyrt_cont *dead_head;
static _Thread_local int draining;

static void destroy(nyrt_obj *o) {
    switch (o->kind) {
    case NYRT_TID_STRING:
        nyrt_obj_free(o, sizeof(nyrt_str) + ((nyrt_str *)o)->len + 1);
        break;
    case NYRT_TID_ERROR:
        nyrt_obj_release(&((nyrt_errobj *)o)->message->h);   /* a String: no deeper recursion */
        nyrt_obj_free(o, sizeof(nyrt_errobj));
        break;
    case NYRT_TID_ARRAY:
        nyrt_arr_destroy((nyrt_arr *)o);
        break;
    case NYRT_TID_MAP:
        nyrt_map_destroy((nyrt_map *)o);
        break;
    case NYRT_TID_RESULT:
        nyrt_res_destroy((nyrt_res *)o);
        break;
    case NYRT_KIND_INSTANCE:
        nyrt_inst_destroy((nyrt_inst *)o);
        break;
    default:                                   /* Console, Math */
        nyrt_obj_free(o, sizeof(nyrt_obj));
    }
}

void nyrt_obj_dead(nyrt_obj *o) {
    uint32_t k = o->kind;
    if (k != NYRT_TID_ARRAY && k != NYRT_TID_MAP && k != NYRT_TID_RESULT && k != NYRT_KIND_INSTANCE) {
        destroy(o);
        return;
    }
    nyrt_cont *c = (nyrt_cont *)o;
    c->dead = dead_head;
    dead_head = c;
    if (draining)
        return;
    draining = 1;
    while (dead_head) {
        c = dead_head;
        dead_head = c->dead;
        destroy(&c->h);
    }
    draining = 0;
}

/* The rare cases of retain/release: an instance, a plugin's or the host's value, a core type a plugin serves. */
static void retain_other(const nyrt_nyash_value *v, int32_t k) {
    if (k < 0 && nyrt_inst_of(v))
        nyrt_obj_retain((nyrt_obj *)(uintptr_t)v->box_handle);
    else if (k < 0 || !nyrt_served[k] || k == NYRT_TID_HOST)
        nyrt_dispatch_retain(v);
}

static void release_other(const nyrt_nyash_value *v, int32_t k) {
    if (k < 0 && nyrt_inst_of(v))
        nyrt_obj_release((nyrt_obj *)(uintptr_t)v->box_handle);
    else if (k < 0 || !nyrt_served[k] || k == NYRT_TID_HOST)
        nyrt_dispatch_release(v);
}

void nyrt_val_retain(const nyrt_nyash_value *v) {
    if (!v || (v->metadata & NYASH_META_INLINE))
        return;
    uint64_t t = v->type_id;
    if (t == nyrt_inst_tid && t) {            /* a user-box instance (nyrt_inst_of), the commonest object */
        nyrt_obj_retain((nyrt_obj *)(uintptr_t)v->box_handle);
        return;
    }
    int32_t k = nyrt_raw_index(t);
    if (k >= 0 && nyrt_counted[k])
        nyrt_obj_retain((nyrt_obj *)(uintptr_t)v->box_handle);
    else
        retain_other(v, k);
}

void nyrt_val_release(const nyrt_nyash_value *v) {
    if (!v || (v->metadata & NYASH_META_INLINE))
        return;
    uint64_t t = v->type_id;
    if (t == nyrt_inst_tid && t) {            /* a user-box instance (nyrt_inst_of), the commonest object */
        nyrt_obj_release((nyrt_obj *)(uintptr_t)v->box_handle);
        return;
    }
    int32_t k = nyrt_raw_index(t);
    if (k >= 0 && nyrt_counted[k])
        nyrt_obj_release((nyrt_obj *)(uintptr_t)v->box_handle);
    else
        release_other(v, k);
}

int64_t nyrt_val_refcount(const nyrt_nyash_value *v) {
    int32_t k = nyrt_kind_of(v);
    nyrt_inst *o = k < 0 ? nyrt_inst_of(v) : NULL;
    if (o)
        return (int64_t)o->h.refcount;
    return is_boxed_kind(k) ? (int64_t)((nyrt_obj *)(uintptr_t)v->box_handle)->refcount : -1;
}

/* ---- truthiness and names ----------------------------------------------------------------------------- */
int32_t nyrt_val_truthy(const nyrt_nyash_value *v) {
    switch (nyrt_kind_of(v)) {
    case NYRT_TID_BOOL:
    case NYRT_TID_INTEGER:
        return v->box_handle != 0;
    case NYRT_TID_STRING:
        return ((nyrt_str *)(uintptr_t)v->box_handle)->len != 0;
    case NYRT_TID_VOID:
        return 0;
    default:                                   /* null, every Float, containers, plugin values */
        return 1;
    }
}

static const char *const core_box_names[NYRT_CORE_COUNT] = {
    "IntegerBox", "FloatBox", "BoolBox", "StringBox", "NullBox", "VoidBox", "ArrayBox", "MapBox",
    "ConsoleBox", "MathBox", "ResultBox", "ErrorBox", "Object",
};

const char *nyrt_val_type_name(const nyrt_nyash_value *v) {
    int32_t k = v ? nyrt_raw_index(v->type_id) : -1;
    if (k >= 0)
        return core_box_names[k];             /* a replaced core type keeps its spec name too */
    nyrt_inst *o = nyrt_inst_of(v);
    if (o)
        return o->cls->name;                  /* a user box: its class name (language.md 6.1) */
    nyrt_tb_entry *e = v ? nyrt_tb_entry_of(v->type_id) : NULL;
    return e && e->short_name ? e->short_name : "UnknownBox";
}

/* ---- the last error: per thread, since cffi runs nyrt calls without the GIL ---------------------------- */
static _Thread_local char *err_text;
static _Thread_local size_t err_cap;
static _Thread_local int32_t err_kind;

void nyrt_set_errorv(int32_t kind, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(err_text, err_text ? err_cap : 0, fmt, ap);
    if (n >= 0 && (size_t)n >= err_cap) {
        /* plain malloc: the buffer is per-thread state that lives on, not a counted nyrt object */
        char *bigger = realloc(err_text, (size_t)n + 1);
        if (bigger) {
            err_text = bigger;
            err_cap = (size_t)n + 1;
            vsnprintf(err_text, err_cap, fmt, again);
        }
    }
    va_end(again);
    err_kind = err_text ? kind : 0;
}

void nyrt_set_error(int32_t kind, const char *message) {
    nyrt_fail(NYRT_OK, "%s", message ? message : "");
    err_kind = err_text ? kind : 0;
}

nyrt_err nyrt_fail(nyrt_err code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    nyrt_set_errorv(1, fmt, ap);
    va_end(ap);
    return code;
}

nyrt_err nyrt_oom(void) {
    return nyrt_fail(NYRT_E_OOM, "Out of memory");
}

const char *nyrt_last_error(void) {
    return err_text && err_kind ? err_text : "";
}

int32_t nyrt_last_error_kind(void) {
    return err_kind;
}

/* ---- equality (language.md 6.6) ------------------------------------------------------------------------ */
/* Structural equality of arrays and results is a conjunction over every pair of containers reachable by
 * pairwise descent, so each pair is compared once (a pair met again is either being compared -- counted as
 * equal -- or already compared): shared and cyclic structures cost linear time, and an explicit work stack
 * replaces recursion. Small comparisons stay in the inline buffers; larger ones use the allocator. */
typedef struct eq_pair {
    const void *x, *y;
} eq_pair;

typedef struct eq_state {
    eq_pair *work, *seen;
    size_t wlen, wcap, scount, scap;   /* scap: a power of 2 */
    int oom;
    eq_pair work0[16], seen0[32];
} eq_state;

static size_t pair_hash(const void *x, const void *y, size_t mask) {
    uint64_t h = (uint64_t)(uintptr_t)x * 0x9E3779B97F4A7C15u ^ (uint64_t)(uintptr_t)y * 0xC2B2AE3D27D4EB4Fu;
    return (size_t)(h ^ h >> 32) & mask;
}

static int seen_insert(eq_state *st, const void *x, const void *y);

static int seen_grow(eq_state *st) {
    size_t old_cap = st->scap, cap = old_cap * 2;
    eq_pair *old = st->seen, *fresh = nyrt_mem_alloc(cap * sizeof *fresh);
    if (!fresh)
        return 0;
    memset(fresh, 0, cap * sizeof *fresh);
    st->seen = fresh;
    st->scap = cap;
    st->scount = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].x)
            seen_insert(st, old[i].x, old[i].y);
    if (old != st->seen0)
        nyrt_mem_free(old, old_cap * sizeof *old);
    return 1;
}

/* 1 if (x, y) was new, 0 if already seen (or out of memory: st->oom) */
static int seen_insert(eq_state *st, const void *x, const void *y) {
    if ((st->scount + 1) * 2 > st->scap && !seen_grow(st)) {
        st->oom = 1;
        return 0;
    }
    size_t mask = st->scap - 1;
    for (size_t i = pair_hash(x, y, mask);; i = (i + 1) & mask) {
        if (!st->seen[i].x) {
            st->seen[i].x = x;
            st->seen[i].y = y;
            st->scount++;
            return 1;
        }
        if (st->seen[i].x == x && st->seen[i].y == y)
            return 0;
    }
}

static int work_push(eq_state *st, const void *x, const void *y) {
    if (st->wlen == st->wcap) {
        size_t cap = st->wcap * 2;
        eq_pair *fresh = nyrt_mem_alloc(cap * sizeof *fresh);
        if (!fresh)
            return 0;
        memcpy(fresh, st->work, st->wlen * sizeof *fresh);
        if (st->work != st->work0)
            nyrt_mem_free(st->work, st->wcap * sizeof *fresh);
        st->work = fresh;
        st->wcap = cap;
    }
    st->work[st->wlen].x = x;
    st->work[st->wlen].y = y;
    st->wlen++;
    return 1;
}

static int32_t equals_kinds(const nyrt_nyash_value *a, int32_t ka, const nyrt_nyash_value *b, int32_t kb);

/* Compare p and q now, or queue them when both are arrays or both results (assumed equal for now). */
static int shallow_eq(eq_state *st, const nyrt_nyash_value *p, const nyrt_nyash_value *q) {
    int32_t kp = nyrt_kind_of(p), kq = nyrt_kind_of(q);
    if (kp == kq && (kp == NYRT_TID_ARRAY || kp == NYRT_TID_RESULT))
        return work_push(st, (void *)(uintptr_t)p->box_handle, (void *)(uintptr_t)q->box_handle) || (st->oom = 1, 0);
    return equals_kinds(p, kp, q, kq);
}

static int deep_pair(eq_state *st, const nyrt_obj *x, const nyrt_obj *y) {
    if (x->kind == NYRT_TID_RESULT) {
        const nyrt_res *rx = (const nyrt_res *)x, *ry = (const nyrt_res *)y;
        return rx->ok == ry->ok && shallow_eq(st, &rx->payload, &ry->payload);
    }
    const nyrt_arr *ax = (const nyrt_arr *)x, *ay = (const nyrt_arr *)y;
    if (ax->len != ay->len)
        return 0;
    for (size_t i = 0; i < ax->len; i++)
        if (!shallow_eq(st, &ax->items[i], &ay->items[i]))
            return 0;
    return 1;
}

static int32_t deep_equals(const void *a, const void *b) {
    eq_state st;
    memset(&st, 0, sizeof st);
    st.work = st.work0;
    st.wcap = sizeof st.work0 / sizeof st.work0[0];
    st.seen = st.seen0;
    st.scap = sizeof st.seen0 / sizeof st.seen0[0];
    int32_t result = 1;
    work_push(&st, a, b);
    while (result && st.wlen) {
        eq_pair p = st.work[--st.wlen];
        if (p.x == p.y || !seen_insert(&st, p.x, p.y))
            continue;
        result = deep_pair(&st, p.x, p.y);
    }
    if (st.oom)
        result = 0;   /* equality cannot fail; out of memory here means the process is already lost */
    if (st.work != st.work0)
        nyrt_mem_free(st.work, st.wcap * sizeof *st.work);
    if (st.seen != st.seen0)
        nyrt_mem_free(st.seen, st.scap * sizeof *st.seen);
    return result;
}

static int is_numeric(int32_t k) {
    return k == NYRT_TID_INTEGER || k == NYRT_TID_FLOAT;
}

static double as_double(const nyrt_nyash_value *v, int32_t k) {
    return k == NYRT_TID_FLOAT ? nyrt_val_as_float_raw(v) : (double)(int64_t)v->box_handle;
}

static int32_t equals_kinds(const nyrt_nyash_value *a, int32_t ka, const nyrt_nyash_value *b, int32_t kb) {
    if (ka == kb) {
        switch (ka) {
        case NYRT_TID_INTEGER:
        case NYRT_TID_BOOL:
            return a->box_handle == b->box_handle;
        case NYRT_TID_FLOAT:
            return nyrt_val_as_float_raw(a) == nyrt_val_as_float_raw(b);   /* NaN equals nothing */
        case NYRT_TID_NULL:
        case NYRT_TID_VOID:
            return 1;
        case NYRT_TID_STRING: {
            const nyrt_str *x = (const nyrt_str *)(uintptr_t)a->box_handle, *y = (const nyrt_str *)(uintptr_t)b->box_handle;
            return x == y || (x->len == y->len && memcmp(x->bytes, y->bytes, x->len) == 0);
        }
        case NYRT_TID_ARRAY:
        case NYRT_TID_RESULT:
            return a->box_handle == b->box_handle ||
                   deep_equals((void *)(uintptr_t)a->box_handle, (void *)(uintptr_t)b->box_handle);
        default:
            break;
        }
    }
    if (is_numeric(ka) && is_numeric(kb))
        return as_double(a, ka) == as_double(b, kb);
    if ((ka == NYRT_TID_NULL || ka == NYRT_TID_VOID) && (kb == NYRT_TID_NULL || kb == NYRT_TID_VOID))
        return 1;
    /* everything else is identity: maps, services, errors, host objects, plugin values */
    return a->type_id == b->type_id && a->box_handle == b->box_handle && (ka == kb);
}

int32_t nyrt_val_equals(const nyrt_nyash_value *a, const nyrt_nyash_value *b) {
    return equals_kinds(a, nyrt_kind_of(a), b, nyrt_kind_of(b));
}

void nyrt_x_retain_v(uint64_t type_id, uint64_t handle, uint64_t metadata) {
    if (!type_id)
        return;
    nyrt_nyash_value v = {type_id, handle, metadata};
    nyrt_val_retain(&v);
}

void nyrt_x_release_v(uint64_t type_id, uint64_t handle, uint64_t metadata) {
    if (!type_id)                               /* an empty slot (compiled code's cold paths call us as is) */
        return;
    nyrt_nyash_value v = {type_id, handle, metadata};
    nyrt_val_release(&v);
}
