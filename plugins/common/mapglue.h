/* mapglue.h -- the two vtables over mapcore.h: the Nyash ABI (values in, values out) and the C ABI
 * (void* instances, values converted at the boundary). map_c.c, map_ny.c and map_unified.c each choose the
 * vtables they hand out; an instance is the same mc_map either way.
 *
 * C ABI conventions used here (abi/README.md "C representation of core values"):
 *   self          the mc_map* itself
 *   arguments     declared "nyash.core.Any" in the metadata ("args"): each arrives as a borrowed
 *                 const nyrt_nyash_value*, because a MapBox takes keys and values of every type and the plain
 *                 C representation does not say which type a void* holds
 *   returns       Integer / Bool in the pointer slot (BORROW); a String as a host_alloc'd char* (TRANSFER);
 *                 an Array by its address (TRANSFER: the +1 from array_new); "nyash.core.Any" (get) as a
 *                 nyrt_nyash_value*: BORROW, the map's own copy, which nyrt copies and retains at once; or
 *                 TRANSFER, a host_alloc'd cell holding a +1 value that nyrt takes, freeing the cell with
 *                 host_free (the same rule as a returned Float or String)
 */
#ifndef MAPGLUE_H
#define MAPGLUE_H

#include "mapcore.h"

static nyrt_typebox map_typebox;

static inline mc_map *map_of(const nyrt_nyash_value *v) {
    return v->type_id == map_typebox.fast_key ? (mc_map *)(uintptr_t)v->box_handle : NULL;
}

static inline void map_value(const mc_map *m, nyrt_nyash_value *out) {
    out->type_id = map_typebox.fast_key;
    out->box_handle = (uint64_t)(uintptr_t)m;
    out->metadata = 0;
}

static inline void map_retain_inst(mc_map *m) {
    if (m)
        m->refs++;
}

static inline void map_release_inst(mc_map *m) {
    if (m && --m->refs == 0)
        mc_free(m);
}

/* ---- Nyash ABI ------------------------------------------------------------------------------------------ */
static nyrt_err map_ny_create(void *ctx, nyrt_nyash_value *out) {
    (void)ctx;
    mc_map *m = mc_new();
    if (!m)
        return NYRT_E_OOM;
    map_value(m, out);
    return NYRT_OK;
}

static void map_ny_retain(const nyrt_nyash_value *v) { map_retain_inst(map_of(v)); }
static void map_ny_release(const nyrt_nyash_value *v) { map_release_inst(map_of(v)); }

/* An mc_ret as a +1 Nyash value. */
static inline nyrt_err map_ret_value(mc_ret *r, nyrt_nyash_value *out) {
    nyrt_err e;
    switch (r->kind) {
    case MC_R_INT: nyv_int(r->i, out); return NYRT_OK;
    case MC_R_BOOL: nyv_bool((int)r->i, out); return NYRT_OK;
    case MC_R_VALUE: *out = r->value; return NYRT_OK;
    case MC_R_TEXT:
        e = nyv_host->string_new(r->text.p, r->text.len, out);
        nyv_buf_free(&r->text);
        return e;
    default: nyv_void(out); return NYRT_OK;
    }
}

static inline nyrt_err map_ny_run(nyrt_nyash_value *self, int32_t op, const nyrt_nyash_value *args,
                                  size_t argc, nyrt_nyash_value *ret) {
    const nyrt_nyash_value *argp[2];
    mc_ret r;
    mc_map *m = map_of(self);
    if (op < 0)
        return NYRT_E_NOT_FOUND;
    if (!m)
        return NYRT_E_TYPE;
    for (size_t i = 0; i < argc && i < 2; i++)
        argp[i] = &args[i];
    nyrt_err e = mc_call(m, self, op, argp, &r);
    return e == NYRT_OK ? map_ret_value(&r, ret) : e;
}

static nyrt_err map_ny_invoke_by_id(nyrt_nyash_value *self, uint64_t method, const nyrt_nyash_value *args,
                                    size_t argc, nyrt_nyash_value *ret) {
    return map_ny_run(self, nyplug_op_by_id(mc_methods, MC_METHOD_COUNT, method), args, argc, ret);
}

static nyrt_err map_ny_invoke_by_name(nyrt_nyash_value *self, const char *method, const nyrt_nyash_value *args,
                                      size_t argc, nyrt_nyash_value *ret) {
    return map_ny_run(self, nyplug_op_by_name(mc_methods, MC_METHOD_COUNT, method, argc), args, argc, ret);
}

static const nyrt_ny_vtable map_ny_vtable = {map_ny_create, map_ny_retain, map_ny_release, map_ny_invoke_by_id,
                                             map_ny_invoke_by_name};

/* ---- C ABI ---------------------------------------------------------------------------------------------- */
static void *map_c_create(void *env) {
    (void)env;
    return mc_new();
}

static void map_c_retain(void *inst) { map_retain_inst(inst); }
static void map_c_release(void *inst) { map_release_inst(inst); }

static nyrt_err map_c_to_nyash(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    map_value(inst, out);
    *own = NYRT_OWN_BORROW;   /* the value refers to the instance; no reference is added */
    return NYRT_OK;
}

static nyrt_err map_c_from_nyash(const nyrt_nyash_value *val, void **out, nyrt_ownership *own) {
    mc_map *m = map_of(val);
    if (!m)
        return NYRT_E_TYPE;
    *out = m;
    *own = NYRT_OWN_BORROW;
    return NYRT_OK;
}

/* get(k), declared "ret": "nyash.core.Any": a stored value is lent (BORROW: a pointer to the map's own
 * copy, which nyrt copies and retains at once); anything else (the "Key not found" text, a String the map
 * keeps as bytes) is a +1 value in a host_alloc'd cell (TRANSFER). */
static inline nyrt_err map_c_get(mc_map *m, const nyrt_nyash_value *self, const nyrt_nyash_value *key, void **ret,
                                 nyrt_ownership *ret_own) {
    nyv_buf k;
    nyv_buf_init(&k);
    nyrt_err e = nyv_display(key, &k);
    if (e == NYRT_OK && !k.oom) {
        long at = mc_find(m, k.p, k.len, mc_hash(k.p, k.len));
        if (at >= 0 && !m->entries[at].val.bytes) {
            nyv_buf_free(&k);
            *ret = &m->entries[at].val.v;
            return NYRT_OK;
        }
    }
    nyv_buf_free(&k);
    const nyrt_nyash_value *argp[1] = {key};
    mc_ret r;
    nyrt_nyash_value *cell;
    if ((e = mc_call(m, self, MC_GET, argp, &r)) != NYRT_OK)
        return e;
    if (!(cell = nyv_host->host_alloc(sizeof *cell))) {
        if (r.kind == MC_R_TEXT)
            nyv_buf_free(&r.text);
        else
            mc_release_new(&r.value);
        return NYRT_E_OOM;
    }
    if ((e = map_ret_value(&r, cell)) != NYRT_OK) {
        nyv_host->host_free(cell);
        return e;
    }
    *ret = cell;
    *ret_own = NYRT_OWN_TRANSFER;
    return NYRT_OK;
}

static inline nyrt_err map_c_run(void *inst, int32_t op, const void *const *argv, size_t argc, void **ret,
                                 nyrt_ownership *ret_own) {
    const nyrt_nyash_value *argp[2];
    nyrt_nyash_value self;
    mc_ret r;
    *ret = NULL;
    *ret_own = NYRT_OWN_BORROW;
    if (op < 0)
        return NYRT_E_NOT_FOUND;
    if (!inst)
        return NYRT_E_TYPE;
    for (size_t i = 0; i < argc && i < 2; i++) {
        argp[i] = argv[i];
        if (!argp[i])
            return NYRT_E_ARG;
    }
    map_value(inst, &self);
    if (op == MC_GET)
        return map_c_get(inst, &self, argp[0], ret, ret_own);
    nyrt_err e = mc_call(inst, &self, op, argp, &r);
    if (e != NYRT_OK)
        return e;
    switch (r.kind) {
    case MC_R_INT:
    case MC_R_BOOL:
        *ret = (void *)(intptr_t)r.i;
        return NYRT_OK;
    case MC_R_TEXT:
        *ret = nyv_buf_take(&r.text);
        *ret_own = NYRT_OWN_TRANSFER;
        return *ret ? NYRT_OK : NYRT_E_OOM;
    case MC_R_VALUE:                  /* keys(), values(): an ArrayBox by address, our +1 handed over */
        *ret = (void *)(uintptr_t)r.value.box_handle;
        *ret_own = NYRT_OWN_TRANSFER;
        return NYRT_OK;
    default:
        return NYRT_OK;
    }
}

static nyrt_err map_c_invoke_by_id(void *inst, uint64_t method, const void *const *argv, size_t argc,
                                   void **ret, nyrt_ownership *ret_own) {
    return map_c_run(inst, nyplug_op_by_id(mc_methods, MC_METHOD_COUNT, method), argv, argc, ret, ret_own);
}

static nyrt_err map_c_invoke_by_name(void *inst, const char *method, const void *const *argv, size_t argc,
                                     void **ret, nyrt_ownership *ret_own) {
    return map_c_run(inst, nyplug_op_by_name(mc_methods, MC_METHOD_COUNT, method, argc), argv, argc, ret,
                     ret_own);
}

static const nyrt_c_vtable map_c_vtable = {map_c_create, map_c_retain, map_c_release, map_c_to_nyash,
                                           map_c_from_nyash, map_c_invoke_by_id, map_c_invoke_by_name};

/* ---- registration ---------------------------------------------------------------------------------------- */
static const nyrt_typebox *map_typeboxes[1];

/* nyash_plugin_init of a map plugin: the host, the ids and a TypeBox with the chosen vtables. */
static inline nyrt_err map_plugin_init(const nyrt_host *host, const nyrt_c_vtable *c, const nyrt_ny_vtable *ny) {
    if (!host || !host->host_alloc || !host->host_free || !host->string_new || !host->string_view ||
        !host->array_new || !host->array_push)
        return NYRT_E_ARG;
    nyplug_methods_init(mc_methods, MC_METHOD_COUNT);
    nyplug_typebox(&map_typebox, MAP_TYPE_NAME, 0, c, ny, MC_META);
    nyv_own own = {map_typebox.fast_key, map_ny_retain, map_ny_release, mc_display};
    nyv_init(host, &own);
    map_typeboxes[0] = &map_typebox;
    return NYRT_OK;
}

#define MAP_PLUGIN(C_VTABLE, NY_VTABLE)                                                                      \
    NYPLUG_EXPORT nyrt_err nyash_plugin_init(const nyrt_host *host, const nyrt_runtime_info *info) {          \
        (void)info;                                                                                          \
        return map_plugin_init(host, C_VTABLE, NY_VTABLE);                                                   \
    }                                                                                                        \
    NYPLUG_EXPORT const nyrt_typebox *const *nyash_typeboxes(size_t *count) {                                \
        *count = map_typeboxes[0] ? 1 : 0;                                                                   \
        return map_typeboxes;                                                                                \
    }

#endif /* MAPGLUE_H */
