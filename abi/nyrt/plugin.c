/* plugin.c -- loading and unloading plugin libraries (abi.md sections 1.3 and 4).
 *
 * In: a library path and its entry-point names. Out: a plugin id whose TypeBoxes are registered, or -1 and
 * one line per reason, "PATH: REASON" ("PATH: TYPE: RULE (detail)" for a refused TypeBox). A plugin is
 * all-or-nothing: when any of its TypeBoxes is refused, none is registered and the library is closed.
 *
 * This is the only file that uses dlfcn; under WASI (and on Windows, which has no dlfcn) it compiles to a
 * stub whose load always fails, so the same sources build nyrt.wasm.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "internal.h"

#if defined(__wasi__) || defined(_WIN32)
static void *lib_open(const char *path, const char **why) {
    (void)path;
    *why = "plugins cannot be loaded on this platform";
    return NULL;
}
static void *lib_sym(void *lib, const char *name) {
    (void)lib; (void)name;
    return NULL;
}
static void lib_close(void *lib) {
    (void)lib;
}
#else
#include <dlfcn.h>
static void *lib_open(const char *path, const char **why) {
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        *why = dlerror();
    return lib;
}
static void *lib_sym(void *lib, const char *name) {
    return dlsym(lib, name);
}
static void lib_close(void *lib) {
    dlclose(lib);
}
#endif

typedef struct plugin {
    char *path;
    void *lib;                       /* NULL once unloaded */
    atomic_int_fast64_t live;
    const nyrt_typebox **types;      /* registered TypeBoxes (only while loaded) */
    size_t ntypes;
    uint64_t *keys;                  /* kept after unload so messages can name the type */
    char **names;
} plugin;

static plugin **plugins;
static int32_t nplugins, plugins_cap;

static plugin *get(int32_t id) {
    return id >= 0 && id < nplugins ? plugins[id] : NULL;
}


/* ---- bookkeeping ------------------------------------------------------------------------------------------ */
static int32_t new_plugin(const char *path, void *lib) {
    if (nplugins == plugins_cap) {
        int32_t cap = plugins_cap ? plugins_cap * 2 : 8;
        plugin **grown = realloc(plugins, (size_t)cap * sizeof *grown);
        if (!grown)
            return -1;
        plugins = grown;
        plugins_cap = cap;
    }
    plugin *p = calloc(1, sizeof *p);
    if (!p || !(p->path = nyrt_dup(path))) {
        free(p);
        return -1;
    }
    p->lib = lib;
    plugins[nplugins] = p;
    return nplugins++;
}

static void forget_types(plugin *p, int keep_names) {
    free(p->types);
    p->types = NULL;
    if (!keep_names) {
        for (size_t i = 0; i < p->ntypes; i++)
            free(p->names[i]);
        free(p->names);
        free(p->keys);
        p->names = NULL;
        p->keys = NULL;
        p->ntypes = 0;
    }
}

static int add_type(plugin *p, const nyrt_typebox *tb) {
    size_t n = p->ntypes + 1;
    const nyrt_typebox **types = realloc(p->types, n * sizeof *types);
    if (types)
        p->types = types;
    uint64_t *keys = types ? realloc(p->keys, n * sizeof *keys) : NULL;
    if (keys)
        p->keys = keys;
    char **names = keys ? realloc(p->names, n * sizeof *names) : NULL;
    if (names)
        p->names = names;
    char *name = names ? nyrt_dup(nyrt_tb_short_name_of(tb->fast_key)) : NULL;
    if (!name)
        return 0;
    types[p->ntypes] = tb;
    keys[p->ntypes] = tb->fast_key;
    names[p->ntypes++] = name;
    return 1;
}

/* The library's own refusal, or one line per refused TypeBox; 0 when everything registered. */
static int register_all(int32_t id, const char *path, nyrt_typeboxes_fn boxes, char *err, size_t cap) {
    size_t n = 0, refused = 0;
    char why[400];
    const nyrt_typebox *const *list = boxes(&n);
    if (!list && n) {
        nyrt_add_line(err, cap, "%s: nyash_typeboxes returned NULL with a count of %zu", path, n);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (nyrt_tb_register(list[i], id, why, sizeof why) != NYRT_OK) {
            nyrt_add_line(err, cap, "%s: %s", path, why);
            refused++;
        } else if (!add_type(plugins[id], list[i])) {
            nyrt_add_line(err, cap, "%s: out of memory", path);
            refused++;
        }
    }
    return refused != 0;
}

static nyrt_err run_init(int32_t id, const char *path, nyrt_plugin_init_fn init, char *err, size_t cap) {
    char detail[512];
    nyrt_host_call_begin();
    int32_t previous = nyrt_dispatch_enter(id);
    nyrt_err r = init(nyrt_host_table(), nyrt_runtime_info_table());
    nyrt_dispatch_leave(previous);
    if (!nyrt_host_call_end(r, detail, sizeof detail))
        snprintf(detail, sizeof detail, "no detail");
    if (r != NYRT_OK)
        nyrt_add_line(err, cap, "%s: nyash_plugin_init failed: %s (%s)", path, nyrt_err_code_name(r), detail);
    return r;
}

/* ---- the API ---------------------------------------------------------------------------------------------- */
int32_t nyrt_plugin_load(const char *path, const char *init_symbol, const char *boxes_symbol, char *err,
                         size_t cap) {
    const char *why = "unknown error";
    if (err && cap)
        err[0] = 0;
    nyrt_init();
    init_symbol = init_symbol && *init_symbol ? init_symbol : "nyash_plugin_init";
    boxes_symbol = boxes_symbol && *boxes_symbol ? boxes_symbol : "nyash_typeboxes";
    void *lib = path ? lib_open(path, &why) : NULL;
    if (!lib) {
        nyrt_add_line(err, cap, "%s: cannot load: %s", path ? path : "(null)", why ? why : "unknown error");
        return -1;
    }
    /* dlsym hands back data pointers; C11 allows converting them only through an integer */
    nyrt_plugin_init_fn init = (nyrt_plugin_init_fn)(uintptr_t)lib_sym(lib, init_symbol);
    nyrt_typeboxes_fn boxes = (nyrt_typeboxes_fn)(uintptr_t)lib_sym(lib, boxes_symbol);
    if (!init || !boxes) {
        nyrt_add_line(err, cap, "%s: missing symbol %s", path, !init ? init_symbol : boxes_symbol);
        lib_close(lib);
        return -1;
    }
    int32_t id = new_plugin(path, lib);
    if (id < 0 || run_init(id, path, init, err, cap) != NYRT_OK || register_all(id, path, boxes, err, cap)) {
        if (id < 0)
            nyrt_add_line(err, cap, "%s: out of memory", path);
        else {
            nyrt_tb_unregister_plugin(id);
            forget_types(plugins[id], 0);
            plugins[id]->lib = NULL;
        }
        nyrt_tb_restore_core();
        lib_close(lib);
        return -1;
    }
    return id;
}

nyrt_err nyrt_plugin_unload(int32_t plugin_id, char *err, size_t cap) {
    plugin *p = get(plugin_id);
    if (err && cap)
        err[0] = 0;
    if (!p || !p->lib) {
        nyrt_add_line(err, cap, "plugin %d is not loaded", (int)plugin_id);
        return NYRT_E_STATE;
    }
    /* the registry's own singleton references do not keep a plugin loaded */
    int64_t live = (int64_t)atomic_load(&p->live), held = (int64_t)nyrt_tb_singleton_count(plugin_id);
    if (live > held) {
        nyrt_add_line(err, cap, "%s: %lld live instance%s", p->path, (long long)(live - held), live - held == 1 ? "" : "s");
        return NYRT_E_STATE;
    }
    nyrt_tb_drop_singletons(plugin_id);
    /* every cached pointer into the library goes before dlclose: registry entries, then our list */
    nyrt_tb_unregister_plugin(plugin_id);
    forget_types(p, 1);
    nyrt_tb_restore_core();
    lib_close(p->lib);
    p->lib = NULL;
    return NYRT_OK;
}

void nyrt_plugin_count(int32_t plugin_id, int64_t delta) {
    plugin *p = get(plugin_id);
    if (p)
        atomic_fetch_add(&p->live, (int_fast64_t)delta);
}

int64_t nyrt_plugin_live(int32_t plugin_id) {
    plugin *p = get(plugin_id);
    return p ? (int64_t)atomic_load(&p->live) : 0;
}

size_t nyrt_plugin_type_count(int32_t plugin_id) {
    plugin *p = get(plugin_id);
    return p && p->lib ? p->ntypes : 0;
}

const nyrt_typebox *nyrt_plugin_type(int32_t plugin_id, size_t i) {
    plugin *p = get(plugin_id);
    return p && p->lib && i < p->ntypes ? p->types[i] : NULL;
}

int32_t nyrt_plugin_unloaded(int32_t plugin_id) {
    plugin *p = get(plugin_id);
    return p && !p->lib;
}

const char *nyrt_plugin_path(int32_t plugin_id) {
    plugin *p = get(plugin_id);
    return p ? p->path : "?";
}

const char *nyrt_plugin_type_name_of(uint64_t type_id) {
    for (int32_t i = nplugins - 1; i >= 0; i--)
        for (size_t k = 0; plugins[i]->keys && k < plugins[i]->ntypes; k++)
            if (plugins[i]->keys[k] == type_id)
                return plugins[i]->names[k];
    return NULL;
}
