/* host.c -- the services nyrt gives every plugin (abi.md section 1.2, nyrt_host) and the hooks the host
 * (Python) installs for its own objects and for log lines.
 *
 * Plugin threads may call host_alloc, host_free and log at any moment, also while the caller is blocked in
 * the same plugin (abi.md section 7.7): those three use only atomics and a spinlock that is never held
 * across a call out of this file, so they cannot deadlock. The Python hooks are reached through cffi, which
 * takes the GIL for them; the caller that is blocked in the plugin does not hold it (cffi drops the GIL
 * around every C call).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "internal.h"

/* ---- host_alloc / host_free: counted so tests can see a plugin's leaks ----------------------------------- */
#define ALLOC_HEADER 16   /* keeps the block's size; 16 keeps every alignment malloc gives */

static atomic_int_fast64_t alloc_live_blocks, alloc_live_bytes;

static void *host_alloc(size_t size) {
    unsigned char *p = malloc(size + ALLOC_HEADER);
    if (!p)
        return NULL;
    memcpy(p, &size, sizeof size);
    atomic_fetch_add(&alloc_live_blocks, 1);
    atomic_fetch_add(&alloc_live_bytes, (int_fast64_t)size);
    return p + ALLOC_HEADER;
}

static void host_free(void *ptr) {
    size_t size;
    if (!ptr)
        return;
    unsigned char *p = (unsigned char *)ptr - ALLOC_HEADER;
    memcpy(&size, p, sizeof size);
    atomic_fetch_sub(&alloc_live_blocks, 1);
    atomic_fetch_sub(&alloc_live_bytes, (int_fast64_t)size);
    free(p);
}

int64_t nyrt_host_alloc_live(void) {
    return (int64_t)atomic_load(&alloc_live_blocks);
}

/* ---- log ----------------------------------------------------------------------------------------------- */
/* While a plugin call is in flight, the last line of any level is remembered: if the call fails, it is the
 * failure's DETAIL (abi/README.md "Errors"). ERROR lines are also held back until the call ends, so that a
 * detail is not printed twice (once by the sink, once in the error message); other levels print at once. */
#define LINE_CAP 512

static _Atomic(nyrt_log_fn) log_sink;       /* NULL: stderr */
static nyrt_spinlock log_lock = NYRT_SPINLOCK_INIT;
static int32_t call_depth;                   /* plugin calls in flight (nested through host hooks) */
static char held[LINE_CAP], last[LINE_CAP];  /* the held ERROR line; the last line of any level */
static int32_t has_held, has_last;

static void default_sink(int32_t level, const char *msg) {
    static const char *names[] = {"debug", "info", "warning", "error"};
    if (level <= NYRT_LOG_DEBUG)
        return;
    fprintf(stderr, "nyash: plugin %s: %s\n", names[level > NYRT_LOG_ERROR ? NYRT_LOG_ERROR : level], msg);
    fflush(stderr);
}

static void sink(int32_t level, const char *msg) {
    nyrt_log_fn fn = atomic_load(&log_sink);
    (fn ? fn : default_sink)(level, msg);
}

/* Moves the held line into out (under the lock); 1 when there was one. */
static int take_held(char out[LINE_CAP]) {
    int had = has_held;
    if (had)
        memcpy(out, held, LINE_CAP);
    has_held = 0;
    return had;
}

static void host_log(int32_t level, const char *msg) {
    char previous[LINE_CAP];
    int flush = 0, hold;
    if (!msg)
        return;
    nyrt_spin_lock(&log_lock);
    if (call_depth > 0) {
        snprintf(last, sizeof last, "%s", msg);
        has_last = 1;
    }
    hold = level >= NYRT_LOG_ERROR && call_depth > 0;
    if (hold) {
        flush = take_held(previous);             /* an earlier error line of the same call is printed */
        snprintf(held, sizeof held, "%s", msg);
        has_held = 1;
    }
    nyrt_spin_unlock(&log_lock);
    if (flush)
        sink(NYRT_LOG_ERROR, previous);
    if (!hold)
        sink(level, msg);
}

void nyrt_host_set_log(nyrt_log_fn log) {
    atomic_store(&log_sink, log);
}

void nyrt_host_call_begin(void) {
    char previous[LINE_CAP];
    nyrt_spin_lock(&log_lock);
    int flush = take_held(previous);             /* a line held by an outer call belongs to nobody now */
    has_last = 0;
    call_depth++;
    nyrt_spin_unlock(&log_lock);
    if (flush)
        sink(NYRT_LOG_ERROR, previous);
}

int32_t nyrt_host_call_end(nyrt_err result, char *detail, size_t cap) {
    char line[LINE_CAP];
    nyrt_spin_lock(&log_lock);
    int had = take_held(line), used = result != NYRT_OK && has_last;
    if (used)
        snprintf(detail, cap, "%s", last);
    /* the held line is printed unless it is the detail */
    int print = had && !(used && strcmp(line, last) == 0);
    has_last = 0;
    call_depth--;
    nyrt_spin_unlock(&log_lock);
    if (print)
        sink(NYRT_LOG_ERROR, line);
    return used;
}

/* ---- host objects ------------------------------------------------------------------------------------- */
static nyrt_host_object_fn obj_retain, obj_release;
static nyrt_host_call_fn obj_call;

void nyrt_host_set_object_hooks(nyrt_host_object_fn retain, nyrt_host_object_fn release, nyrt_host_call_fn call) {
    obj_retain = retain;
    obj_release = release;
    obj_call = call;
}

int32_t nyrt_host_is_object(const nyrt_nyash_value *v) {
    return !(v->metadata & NYASH_META_INLINE) && v->type_id == nyrt_core_ids[NYRT_TID_HOST];
}

void nyrt_host_object(uint64_t handle, nyrt_nyash_value *out) {
    out->type_id = nyrt_core_ids[NYRT_TID_HOST];
    out->box_handle = handle;
    out->metadata = 0;
}

void nyrt_host_retain(uint64_t handle) {
    if (obj_retain)
        obj_retain(handle);
}

void nyrt_host_release(uint64_t handle) {
    if (obj_release)
        obj_release(handle);
}

nyrt_err nyrt_host_call(uint64_t handle, const char *method, const nyrt_nyash_value *args, size_t argc,
                        nyrt_nyash_value *ret) {
    nyrt_v_void(ret);
    if (!obj_call)
        return nyrt_plugin_fail(NYRT_E_NOT_FOUND, "no host object hooks are installed");
    return obj_call(handle, method, args, argc, ret);
}

/* ---- the table ------------------------------------------------------------------------------------------ */
static void host_value_retain(const nyrt_nyash_value *v) {
    nyrt_dispatch_host_ref(v, +1);
}

static void host_value_release(const nyrt_nyash_value *v) {
    nyrt_dispatch_host_ref(v, -1);
}

static nyrt_err gc_safepoint(void) {
    return NYRT_OK;     /* nyrt counts references; there is no collector to yield to */
}

static nyrt_err host_string_new(const char *utf8, size_t len, nyrt_nyash_value *out) {
    return nyrt_str_new(utf8, len, out);
}

static nyrt_err host_string_view(const nyrt_nyash_value *v, const char **utf8, size_t *len) {
    return nyrt_str_view(v, utf8, len);
}

static nyrt_err host_array_new(nyrt_nyash_value *out) {
    return nyrt_arr_new(out);
}

/* The interpreter and the VM pass their arrays as host objects, so that a plugin storing one shares it
 * (language.md 6.1) instead of holding a copy; the array helpers reach such arrays through their methods. */
static int is_host(const nyrt_nyash_value *v) {
    return nyrt_kind_of(v) == NYRT_TID_HOST;
}

static nyrt_err host_array_push(nyrt_nyash_value *arr, const nyrt_nyash_value *v) {
    if (is_host(arr)) {
        nyrt_nyash_value ignored;
        nyrt_err r = nyrt_call(arr, "push", v, 1, &ignored);
        if (r == NYRT_OK)
            nyrt_val_release(&ignored);
        return r;
    }
    return nyrt_arr_push(arr, v);
}

static int64_t host_array_len(const nyrt_nyash_value *arr) {
    if (is_host(arr)) {
        nyrt_nyash_value n;
        if (nyrt_call(arr, "length", NULL, 0, &n) != NYRT_OK)
            return -1;
        int64_t len = nyrt_kind_of(&n) == NYRT_TID_INTEGER ? (int64_t)n.box_handle : -1;
        nyrt_val_release(&n);
        return len;
    }
    return nyrt_arr_len(arr);
}

static nyrt_err host_array_get(const nyrt_nyash_value *arr, int64_t i, nyrt_nyash_value *out) {
    if (is_host(arr)) {
        nyrt_nyash_value index;
        nyrt_v_int(i, &index);
        return nyrt_call(arr, "get", &index, 1, out);
    }
    return nyrt_arr_get(arr, i, out);
}

static const nyrt_host_ext the_host = {
    .base = {
        .size = (uint16_t)sizeof(nyrt_host_ext),
        .ver_major = NYRT_ABI_VER_MAJOR,
        .ver_minor = NYRT_ABI_VER_MINOR,
        .reserved = 0,
        .host_alloc = host_alloc,
        .host_free = host_free,
        .log = host_log,
        .gc_safepoint = gc_safepoint,
        .string_new = host_string_new,
        .string_view = host_string_view,
        .array_new = host_array_new,
        .array_push = host_array_push,
        .array_len = host_array_len,
        .array_get = host_array_get,
    },
    .value_retain = host_value_retain,
    .value_release = host_value_release,
};

static const nyrt_runtime_info the_info = {
    .size = (uint16_t)sizeof(nyrt_runtime_info),
    .ver_major = NYRT_ABI_VER_MAJOR,
    .ver_minor = NYRT_ABI_VER_MINOR,
    .reserved = 0,
};

const nyrt_host *nyrt_host_table(void) {
    return &the_host.base;
}

const nyrt_runtime_info *nyrt_runtime_info_table(void) {
    return &the_info;
}
