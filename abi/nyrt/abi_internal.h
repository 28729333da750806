/* abi_internal.h -- shared by the ABI machinery of nyrt (sha256.c meta.c registry.c dispatch.c plugin.c
 * host.c); not part of nyrt's API. The core boxes' own internals are in internal.h.
 */
#ifndef NYRT_ABI_INTERNAL_H
#define NYRT_ABI_INTERNAL_H

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "nyrt.h"

/* strdup is POSIX, not C11; registry bookkeeping uses plain malloc (see meta.c) */
static inline char *nyrt_dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* ---- a tiny lock: cffi drops the GIL around nyrt calls and plugin threads may log at any time ------- */
typedef struct nyrt_spinlock {
    atomic_flag flag;
} nyrt_spinlock;
#define NYRT_SPINLOCK_INIT {ATOMIC_FLAG_INIT}

static inline void nyrt_spin_lock(nyrt_spinlock *l) {
    while (atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire)) {
    }
}

static inline void nyrt_spin_unlock(nyrt_spinlock *l) {
    atomic_flag_clear_explicit(&l->flag, memory_order_release);
}

/* ---- metadata JSON (meta.c) ------------------------------------------------------------------------ */
typedef struct nyrt_meta_method {
    char *key;             /* "name/arity" */
    uint64_t id;           /* nyrt_method_id of key */
    char *ret;             /* fully qualified return type name, NULL when none is declared */
    uint64_t ret_tid;      /* its fast_key (0 when none) */
    uint64_t any_args;     /* bit i: "args"[i] is "nyash.core.Any", passed to a C-ABI method as a nyrt_nyash_value* */
} nyrt_meta_method;

typedef struct nyrt_meta {
    nyrt_meta_method *methods;
    size_t method_count;
    int32_t *birth_arity;  /* NULL when the metadata gives none */
    size_t birth_count;
    int32_t singleton;
} nyrt_meta;

#define NYRT_ANY_NAME "nyash.core.Any"   /* a C-ABI argument or result that travels as a nyrt_nyash_value* */

/* Parses tb->meta; on failure writes why into err and returns non-OK. Empty metadata is {}. */
nyrt_err nyrt_meta_parse(const char *json, size_t len, nyrt_meta *out, char *err, size_t cap);
void nyrt_meta_free(nyrt_meta *m);
const nyrt_meta_method *nyrt_meta_find(const nyrt_meta *m, uint64_t method_id);

/* ---- registry entries (registry.c) ---------------------------------------------------------------- */
#define NYRT_PLUGIN_CORE (-1)   /* plugin_id of nyrt's own core TypeBoxes */
#define NYRT_PLUGIN_NONE (-3)   /* no plugin code is running */

typedef struct nyrt_tb_entry {
    const nyrt_typebox *tb;
    int32_t plugin_id;
    char *short_name;          /* what users write: last dotted component, core types by spec name */
    nyrt_meta meta;
    nyrt_nyash_value singleton; /* the instance every `new` returns, when meta.singleton (type_id 0: none) */
    int32_t has_singleton;
} nyrt_tb_entry;

nyrt_tb_entry *nyrt_tb_entry_of(uint64_t fast_key);   /* registered entry or NULL */
/* Removes every TypeBox of plugin_id (on unload). */
void nyrt_tb_unregister_plugin(int32_t plugin_id);
/* Releases the singleton instances of plugin_id's types (before unloading it). */
void nyrt_tb_drop_singletons(int32_t plugin_id);
size_t nyrt_tb_singleton_count(int32_t plugin_id);   /* singletons the registry holds for plugin_id */
/* Whether fast_key is a core type that nyrt itself still serves (not replaced by a plugin). */
int32_t nyrt_tb_is_core_served(uint64_t fast_key);
/* The name users write for a fully qualified name ("nyash.core.Map" -> "MapBox", "acme.FileBox" -> "FileBox"). */
void nyrt_tb_short_name(const char *name, char *out, size_t cap);

/* ---- plugins (plugin.c) --------------------------------------------------------------------------- */
void nyrt_plugin_count(int32_t plugin_id, int64_t delta);   /* live-instance bookkeeping */
int32_t nyrt_plugin_unloaded(int32_t plugin_id);             /* 1 once the plugin has been unloaded */
const char *nyrt_plugin_path(int32_t plugin_id);
/* Short name of a type of any plugin ever loaded (kept after unload for messages), else NULL. */
const char *nyrt_plugin_type_name_of(uint64_t type_id);

/* ---- host (host.c) -------------------------------------------------------------------------------- */
/* Around every call into a plugin: if the call fails, the last line logged during it (any level) is copied
 * into detail (returns 1). ERROR lines are held back during the call and printed afterwards unless one of
 * them became the detail. */
void nyrt_host_call_begin(void);
int32_t nyrt_host_call_end(nyrt_err result, char *detail, size_t cap);
int32_t nyrt_host_is_object(const nyrt_nyash_value *v);
const nyrt_runtime_info *nyrt_runtime_info_table(void);   /* given to nyash_plugin_init */
void nyrt_host_retain(uint64_t handle);
void nyrt_host_release(uint64_t handle);
nyrt_err nyrt_host_call(uint64_t handle, const char *method, const nyrt_nyash_value *args, size_t argc,
                        nyrt_nyash_value *ret);

/* ---- errors (dispatch.c) -------------------------------------------------------------------------- */
nyrt_err nyrt_plugin_fail(nyrt_err code, const char *fmt, ...);   /* record a kind-2 failure, return code */
/* The plugin whose code runs on this thread (for the counting rule in dispatch.c); returns the previous. */
int32_t nyrt_dispatch_enter(int32_t plugin_id);
void nyrt_dispatch_leave(int32_t previous);
/* host value_retain (+1) / value_release (-1): a plugin's reference to a value. */
void nyrt_dispatch_host_ref(const nyrt_nyash_value *v, int32_t delta);

#endif /* NYRT_ABI_INTERNAL_H */
