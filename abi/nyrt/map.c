/* map.c -- MapBox: keys are display strings kept in insertion order (language.md 7.6), its C API and its
 * methods, exactly as the dict-based MapBox of nyash_run/runtime/containers.py.
 *
 * Entries sit in an array in insertion order; a deleted entry becomes a tombstone (key NULL) so that the
 * order of the others is kept, and a key set again after deletion is appended at the end, as a dict does.
 * An open-addressing index (entry number + 1, 0 = empty) finds keys; tombstones are squeezed out when they
 * outnumber the live entries.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define SELF ((nyrt_map *)(uintptr_t)self->box_handle)

static nyrt_map *map_alloc(void) {
    nyrt_map *m = nyrt_mem_alloc(sizeof *m);
    if (!m)
        return NULL;
    memset(m, 0, sizeof *m);
    nyrt_obj_init(&m->h, NYRT_TID_MAP);
    return m;
}

static void clear_entries(nyrt_map *m) {
    nyrt_map_entry *entries = m->entries;   /* detach first: the map is consistent during the releases */
    size_t used = m->used, cap = m->cap;
    nyrt_mem_free(m->index, m->index_cap * sizeof *m->index);
    m->entries = NULL;
    m->index = NULL;
    m->used = m->cap = m->count = m->index_cap = 0;
    for (size_t i = 0; i < used; i++) {
        if (entries[i].key) {
            nyrt_obj_release(&entries[i].key->h);
            nyrt_release_v(&entries[i].value);
        }
    }
    nyrt_mem_free(entries, cap * sizeof *entries);
}

void nyrt_map_destroy(nyrt_map *m) {
    clear_entries(m);
    nyrt_obj_free(m, sizeof *m);
}

/* ---- the index --------------------------------------------------------------------------------------- */
/* The same len bytes: short keys (the usual display strings) compared inline, without a memcmp call. */
static inline int same_bytes(const char *a, const char *b, size_t len) {
    if (len > 16)
        return memcmp(a, b, len) == 0;
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* The slot holding key's entry, or the empty slot where it would go. */
static uint32_t *find_slot(const nyrt_map *m, const char *key, size_t len, uint64_t hash) {
    size_t mask = m->index_cap - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        uint32_t *slot = &m->index[i];
        if (!*slot)
            return slot;
        const nyrt_map_entry *e = &m->entries[*slot - 1];
        if (e->hash == hash && e->key && e->key->len == len && (e->key->bytes == key || same_bytes(e->key->bytes, key, len)))
            return slot;
    }
}

/* Rebuild entries without tombstones and an index with room for `want` entries. */
static int rebuild(nyrt_map *m, size_t want) {
    size_t index_cap = 8;
    while (index_cap < want * 2)
        index_cap *= 2;
    uint32_t *index = nyrt_mem_alloc(index_cap * sizeof *index);
    nyrt_map_entry *entries = nyrt_mem_alloc(want * sizeof *entries);
    if (!index || !entries || want > UINT32_MAX - 1) {
        nyrt_mem_free(index, index_cap * sizeof *index);
        nyrt_mem_free(entries, want * sizeof *entries);
        return 0;
    }
    memset(index, 0, index_cap * sizeof *index);
    size_t n = 0;
    for (size_t i = 0; i < m->used; i++)
        if (m->entries[i].key)
            entries[n++] = m->entries[i];
    nyrt_mem_free(m->entries, m->cap * sizeof *m->entries);
    nyrt_mem_free(m->index, m->index_cap * sizeof *m->index);
    m->entries = entries;
    m->cap = want;
    m->used = n;
    m->index = index;
    m->index_cap = index_cap;
    for (size_t i = 0; i < n; i++)
        *find_slot(m, entries[i].key->bytes, entries[i].key->len, entries[i].hash) = (uint32_t)(i + 1);
    return 1;
}

static nyrt_map_entry *lookup(const nyrt_map *m, nyrt_str *key) {
    if (!m->count)
        return NULL;
    uint32_t *slot = find_slot(m, key->bytes, key->len, nyrt_str_hash_of(key));
    return *slot ? &m->entries[*slot - 1] : NULL;
}

/* Store v under key (both retained by the map). The key is hashed once, and probed once unless the
 * entries grow. */
static nyrt_err map_store(nyrt_map *m, nyrt_str *key, const nyrt_nyash_value *v) {
    uint64_t hash = nyrt_str_hash_of(key);
    uint32_t *slot = m->index ? find_slot(m, key->bytes, key->len, hash) : NULL;
    nyrt_retain_v(v);
    if (slot && *slot && m->count) {            /* an update keeps the key's place */
        nyrt_map_entry *e = &m->entries[*slot - 1];
        nyrt_nyash_value old = e->value;
        e->value = *v;
        nyrt_release_v(&old);
        return NYRT_OK;
    }
    if (m->used == m->cap) {
        size_t want = m->count + 1 < 4 ? 4 : (m->count + 1) * 2;
        if (!rebuild(m, want)) {
            nyrt_release_v(v);
            return nyrt_oom();
        }
        slot = find_slot(m, key->bytes, key->len, hash);
    }
    nyrt_obj_retain(&key->h);
    nyrt_map_entry *e = &m->entries[m->used];
    e->key = key;
    e->value = *v;
    e->hash = hash;
    *slot = (uint32_t)++m->used;
    m->count++;
    return NYRT_OK;
}

/* Delete key; 1 if it was there. The slot keeps pointing at the tombstone so probe chains stay intact. */
static int map_delete(nyrt_map *m, nyrt_str *key) {
    nyrt_map_entry *e = lookup(m, key);
    if (!e)
        return 0;
    nyrt_str *k = e->key;
    nyrt_nyash_value v = e->value;
    e->key = NULL;
    m->count--;
    nyrt_obj_release(&k->h);
    nyrt_release_v(&v);
    if (m->used - m->count > m->count + 8)
        rebuild(m, m->cap);                     /* on failure the tombstones simply stay */
    return 1;
}

/* ---- the C API ---------------------------------------------------------------------------------------------- */
static nyrt_map *map_of(const nyrt_nyash_value *v) {
    return nyrt_obj_of(v, NYRT_TID_MAP);
}

static nyrt_err not_map(const nyrt_nyash_value *v) {
    return nyrt_fail(NYRT_E_TYPE, "expected a MapBox, got %s", v ? nyrt_val_type_name(v) : "NULL");
}

nyrt_err nyrt_map_new(nyrt_nyash_value *out) {
    nyrt_map *m = map_alloc();
    if (!m)
        return nyrt_oom();
    nyrt_val_of_obj(m, out);
    return NYRT_OK;
}

nyrt_err nyrt_map_set(nyrt_nyash_value *map, const nyrt_nyash_value *key, const nyrt_nyash_value *v) {
    nyrt_map *m = map_of(map);
    if (!m)
        return not_map(map);
    nyrt_str *k = nyrt_disp_str(key);
    if (!k)
        return nyrt_oom();
    nyrt_err e = map_store(m, k, v);
    nyrt_obj_release(&k->h);
    return e;
}

nyrt_err nyrt_map_get(const nyrt_nyash_value *map, const nyrt_nyash_value *key, nyrt_nyash_value *out) {
    nyrt_map *m = map_of(map);
    if (!m)
        return not_map(map);
    nyrt_str *k = nyrt_disp_str(key);
    if (!k)
        return nyrt_oom();
    nyrt_map_entry *e = lookup(m, k);
    nyrt_obj_release(&k->h);
    if (!e)
        return NYRT_E_NOT_FOUND;
    *out = e->value;
    nyrt_retain_v(out);
    return NYRT_OK;
}

int64_t nyrt_map_size(const nyrt_nyash_value *map) {
    nyrt_map *m = map_of(map);
    return m ? (int64_t)m->count : -1;
}

/* keys (0) or values (1) as a new ArrayBox, in key order */
static nyrt_err listing(const nyrt_map *m, int values, nyrt_nyash_value *out) {
    nyrt_arr *a = nyrt_arr_alloc(m->count);
    if (!a)
        return nyrt_oom();
    for (size_t i = 0; i < m->used; i++) {
        const nyrt_map_entry *e = &m->entries[i];
        if (!e->key)
            continue;
        nyrt_nyash_value v;
        if (values)
            v = e->value;
        else
            nyrt_val_of_obj(e->key, &v);
        nyrt_arr_append(a, &v);                 /* capacity was reserved: cannot fail */
    }
    nyrt_val_of_obj(a, out);
    return NYRT_OK;
}

nyrt_err nyrt_map_keys(const nyrt_nyash_value *map, nyrt_nyash_value *out) {
    nyrt_map *m = map_of(map);
    return m ? listing(m, 0, out) : not_map(map);
}

nyrt_err nyrt_map_values(const nyrt_nyash_value *map, nyrt_nyash_value *out) {
    nyrt_map *m = map_of(map);
    return m ? listing(m, 1, out) : not_map(map);
}

/* ---- methods ------------------------------------------------------------------------------------------------ */
/* "PREFIX: K" as a returned String */
static nyrt_err ret_keyed(const char *prefix, const nyrt_str *key, nyrt_nyash_value *ret) {
    size_t n = strlen(prefix);                  /* ASCII */
    nyrt_str *s = key->len <= SIZE_MAX - n ? nyrt_str_raw(n + key->len) : NULL;
    if (!s)
        return nyrt_oom();
    memcpy(s->bytes, prefix, n);
    memcpy(s->bytes + n, key->bytes, key->len);
    s->cps = n + key->cps;
    nyrt_val_of_obj(s, ret);
    return NYRT_OK;
}

static nyrt_err m_set(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_err e = map_store(SELF, a[0].s, a[1].v);
    return e != NYRT_OK ? e : ret_keyed("Set key: ", a[0].s, ret);
}

static nyrt_err m_get(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_map_entry *e = lookup(SELF, a[0].s);
    if (!e)
        return ret_keyed("Key not found: ", a[0].s, ret);   /* a String, not an error */
    *ret = e->value;
    nyrt_retain_v(ret);
    return NYRT_OK;
}

static nyrt_err m_has(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_v_bool(lookup(SELF, a[0].s) != NULL, ret);
    return NYRT_OK;
}

static nyrt_err m_delete(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    return ret_keyed(map_delete(SELF, a[0].s) ? "Deleted key: " : "Key not found: ", a[0].s, ret);
}

static nyrt_err m_keys(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    return listing(SELF, 0, ret);
}

static nyrt_err m_values(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    return listing(SELF, 1, ret);
}

static nyrt_err m_size(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    nyrt_v_int((int64_t)SELF->count, ret);
    return NYRT_OK;
}

static nyrt_err m_is_empty(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    nyrt_v_bool(SELF->count == 0, ret);
    return NYRT_OK;
}

static nyrt_err m_contains_value(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    const nyrt_map *m = SELF;
    int found = 0;
    for (size_t i = 0; i < m->used && !found; i++)
        found = m->entries[i].key && nyrt_val_equals(&m->entries[i].value, a[0].v);
    nyrt_v_bool(found, ret);
    return NYRT_OK;
}

static nyrt_err m_clear(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    clear_entries(SELF);
    return nyrt_str_lit("Map cleared", ret);
}

const nyrt_method nyrt_map_methods[] = {
    {"set", "sv", m_set},
    {"get", "s", m_get},
    {"has", "s", m_has},
    {"containsKey", "s", m_has},
    {"delete", "s", m_delete},
    {"keys", "", m_keys},
    {"values", "", m_values},
    {"size", "", m_size},
    {"length", "", m_size},
    {"len", "", m_size},
    {"isEmpty", "", m_is_empty},
    {"containsValue", "v", m_contains_value},
    {"clear", "", m_clear},
    {NULL, NULL, NULL},
};

/* ---- a direct entry for compiled code (nyrt_exec.h) ------------------------------------------------------ */
#define SELF_OF(v) ((nyrt_map *)(uintptr_t)(v)->box_handle)
int32_t nyrt_x_map_direct(int32_t which, const nyrt_nyash_value *map, const nyrt_nyash_value *key,
                          const nyrt_nyash_value *value, nyrt_nyash_value *out) {
    nyrt_str *k = nyrt_str_of(key);
    if (!k || !nyrt_obj_of(map, NYRT_TID_MAP))
        return -1;                              /* a plugin's map, or a key that is not a String */
    nyrt_arg a[2] = {{.v = key, .s = k}, {.v = value}};
    switch (which) {
    case NYRT_X_MAP_GET: return m_get(map, a, 1, out);
    case NYRT_X_MAP_HAS: return m_has(map, a, 1, out);
    case NYRT_X_MAP_SET: return m_set(map, a, 2, out);
    case NYRT_X_MAP_SET_QUIET: {                /* the reply String is never used: store only */
        nyrt_err e = map_store(SELF_OF(map), k, value);
        if (e == NYRT_OK)
            nyrt_val_void(out);
        return e;
    }
    default: return -1;
    }
}
