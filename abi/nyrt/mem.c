/* mem.c -- the counting allocator. Every nyrt allocation goes through here, so a test can check that
 * creating and releasing structures returns nyrt_mem_live_bytes() to where it started.
 *
 * The counters are atomic because cffi drops the GIL around nyrt calls: two Python threads may allocate at
 * once. Relaxed ordering is enough, the counters order nothing else.
 *
 * Small blocks (up to SMALL_MAX bytes: short Strings, the "Set key: ..." results, small arrays) are served
 * from per-thread free lists, one per 16-byte size class, so a loop that makes and drops a String per turn
 * does not go through malloc and free each time. Such a block is always malloc'd with its class's full size,
 * so any block of a class fits any request of it. A cached free block is not live: the counters change at
 * nyrt_mem_alloc / nyrt_mem_free exactly as without the cache. The lists are per thread (no locking; a block
 * freed on another thread than it was made on simply joins that thread's list), bounded (SMALL_KEEP blocks a
 * class), and given back to malloc when the thread ends (where threads have pthread keys).
 *
 * Callers must free with the size they allocated (or last reallocated) with -- the counters need it anyway.
 */
#include <stdatomic.h>
#include <stdlib.h>
#ifndef __wasi__
#include <pthread.h>
#endif

#include "internal.h"

static atomic_llong live_bytes;
static atomic_llong live_objects;

/* ---- per-thread small-block cache ------------------------------------------------------------------- */
#define SMALL_SHIFT 4
#define SMALL_CLASSES 4                                  /* 16, 32, 48, 64 bytes */
#define SMALL_MAX (SMALL_CLASSES << SMALL_SHIFT)
#define SMALL_KEEP 256                                   /* cached blocks per class and thread at most */

typedef struct small_cache {
    void *head[SMALL_CLASSES];                           /* each free block's first word links the next */
    uint32_t count[SMALL_CLASSES];
    int32_t registered;                                  /* the thread-exit hook knows this cache */
} small_cache;

static _Thread_local small_cache cache;

static inline size_t small_class(size_t size) {          /* size <= SMALL_MAX; 0 counts as 1 */
    return size ? (size - 1) >> SMALL_SHIFT : 0;
}

static void cache_drain(small_cache *c) {
    for (size_t k = 0; k < SMALL_CLASSES; k++) {
        void *p = c->head[k];
        while (p) {
            void *next = *(void **)p;
            free(p);
            p = next;
        }
        c->head[k] = NULL;
        c->count[k] = 0;
    }
}

#ifndef __wasi__
static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;
static int cache_key_ok;

static void cache_thread_end(void *arg) {
    small_cache *c = arg;
    c->registered = 0;
    cache_drain(c);
}

static void cache_key_make(void) {
    cache_key_ok = pthread_key_create(&cache_key, cache_thread_end) == 0;
}

/* 1 when the thread's cache will be drained at thread exit (else blocks are not cached) */
static int cache_register(small_cache *c) {
    pthread_once(&cache_key_once, cache_key_make);
    if (!cache_key_ok || pthread_setspecific(cache_key, c) != 0)
        return 0;
    c->registered = 1;
    return 1;
}
#else
static int cache_register(small_cache *c) {             /* no threads: the one cache lives as long as nyrt */
    c->registered = 1;
    return 1;
}
#endif

void *nyrt_mem_alloc(size_t size) {
    void *p;
    if (size <= SMALL_MAX) {
        size_t k = small_class(size);
        small_cache *c = &cache;
        p = c->head[k];
        if (p) {
            c->head[k] = *(void **)p;
            c->count[k]--;
        } else {
            p = malloc((k + 1) << SMALL_SHIFT);
        }
    } else {
        p = malloc(size);
    }
    if (p)
        atomic_fetch_add_explicit(&live_bytes, (long long)size, memory_order_relaxed);
    return p;
}

void *nyrt_mem_realloc(void *ptr, size_t old_size, size_t new_size) {
    if (!ptr)
        return nyrt_mem_alloc(new_size);
    /* a small result keeps its class's full size, so that it may be cached when freed */
    size_t real = new_size <= SMALL_MAX ? (small_class(new_size) + 1) << SMALL_SHIFT : new_size;
    void *p = realloc(ptr, real);
    if (p)   /* on failure the old block stays allocated and counted */
        atomic_fetch_add_explicit(&live_bytes, (long long)new_size - (long long)old_size, memory_order_relaxed);
    return p;
}

void nyrt_mem_free(void *ptr, size_t size) {
    if (!ptr)
        return;
    atomic_fetch_sub_explicit(&live_bytes, (long long)size, memory_order_relaxed);
    if (size <= SMALL_MAX) {
        size_t k = small_class(size);
        small_cache *c = &cache;
        if (c->count[k] < SMALL_KEEP && (c->registered || cache_register(c))) {
            *(void **)ptr = c->head[k];
            c->head[k] = ptr;
            c->count[k]++;
            return;
        }
    }
    free(ptr);
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
