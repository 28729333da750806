/* mem.c -- the counting allocator. Every nyrt allocation goes through here, so a test can check that
 * creating and releasing structures returns nyrt_mem_live_bytes() to where it started.
 *
 * The counters are atomic because cffi drops the GIL around nyrt calls: two Python threads may allocate at
 * once. Relaxed ordering is enough, the counters order nothing else.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "internal.h"

static atomic_llong live_bytes;
static atomic_llong live_objects;

void *nyrt_mem_alloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (p)
        atomic_fetch_add_explicit(&live_bytes, (long long)size, memory_order_relaxed);
    return p;
}

void *nyrt_mem_realloc(void *ptr, size_t old_size, size_t new_size) {
    if (!ptr)
        return nyrt_mem_alloc(new_size);
    void *p = realloc(ptr, new_size ? new_size : 1);
    if (p)   /* on failure the old block stays allocated and counted */
        atomic_fetch_add_explicit(&live_bytes, (long long)new_size - (long long)old_size, memory_order_relaxed);
    return p;
}

void nyrt_mem_free(void *ptr, size_t size) {
    if (!ptr)
        return;
    free(ptr);
    atomic_fetch_sub_explicit(&live_bytes, (long long)size, memory_order_relaxed);
}

int64_t nyrt_mem_live_bytes(void) {
    return (int64_t)atomic_load_explicit(&live_bytes, memory_order_relaxed);
}

int64_t nyrt_mem_live_objects(void) {
    return (int64_t)atomic_load_explicit(&live_objects, memory_order_relaxed);
}

/* ---- object headers: counted here so the counter and the allocator live together ------------------- */
void nyrt_obj_init(nyrt_obj *o, int32_t kind) {
    o->refcount = 1;
    o->kind = (uint32_t)kind;
    atomic_fetch_add_explicit(&live_objects, 1, memory_order_relaxed);
}

void nyrt_obj_free(void *o, size_t size) {
    atomic_fetch_sub_explicit(&live_objects, 1, memory_order_relaxed);
    nyrt_mem_free(o, size);
}
