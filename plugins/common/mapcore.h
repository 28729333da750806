/* mapcore.h -- the MapBox of language.md §7.6, independent of the ABI it is reached through. Shared by
 * map_c (C ABI), map_ny (Nyash ABI) and map_unified (both).
 *
 * Keys are display strings (display(key), see nyvalue.h), kept in insertion order: an updated key keeps its
 * place, a deleted key set again goes to the end. Entries live in an array in insertion order (deleted
 * ones become tombstones until the next compaction) indexed by an open-addressing table of entry numbers.
 *
 * In: a map, a method number and its arguments as borrowed values. Out: an mc_ret -- an Int, a Bool, a
 * text or a value (+1) -- which each ABI's glue turns into its own representation.
 */
#ifndef MAPCORE_H
#define MAPCORE_H

#include "nyvalue.h"

#define MAP_TYPE_NAME "nyash.core.Map"

typedef struct mc_entry {
    char *key;          /* host_alloc'd, NUL-terminated; NULL = deleted */
    size_t klen;
    uint64_t hash;
    nyv_held val;
} mc_entry;

typedef struct mc_map {
    uint32_t refs;
    uint32_t reserved;
    mc_entry *entries;  /* insertion order, tombstones included */
    size_t used, cap;   /* entries in use (tombstones included) / allocated */
    size_t count;       /* live entries */
    uint32_t *index;    /* entry number + 1, 0 = empty; icap slots, a power of two */
    size_t icap;
} mc_map;

enum {
    MC_SET, MC_GET, MC_HAS, MC_CONTAINS_KEY, MC_DELETE, MC_KEYS, MC_VALUES, MC_SIZE, MC_LENGTH, MC_LEN,
    MC_IS_EMPTY, MC_CONTAINS_VALUE, MC_CLEAR, MC_TO_STRING, MC_EQUALS
};

/* Most used first: method ids are looked up by a linear scan. */
static nyplug_method mc_methods[] = {
    {"get", 1, MC_GET, 0},       {"set", 2, MC_SET, 0},
    {"has", 1, MC_HAS, 0},       {"size", 0, MC_SIZE, 0},
    {"containsKey", 1, MC_CONTAINS_KEY, 0},
    {"delete", 1, MC_DELETE, 0}, {"keys", 0, MC_KEYS, 0},
    {"values", 0, MC_VALUES, 0}, {"length", 0, MC_LENGTH, 0},
    {"len", 0, MC_LEN, 0},       {"isEmpty", 0, MC_IS_EMPTY, 0},
    {"containsValue", 1, MC_CONTAINS_VALUE, 0},
    {"clear", 0, MC_CLEAR, 0},   {"toString", 0, MC_TO_STRING, 0},
    {"equals", 1, MC_EQUALS, 0},
};
#define MC_METHOD_COUNT NYPLUG_COUNT(mc_methods)

typedef enum { MC_R_VOID, MC_R_INT, MC_R_BOOL, MC_R_TEXT, MC_R_VALUE } mc_ret_kind;

typedef struct mc_ret {
    mc_ret_kind kind;
    int64_t i;              /* MC_R_INT, MC_R_BOOL */
    nyv_buf text;           /* MC_R_TEXT */
    nyrt_nyash_value value; /* MC_R_VALUE: +1, owned by the receiver */
} mc_ret;

/* ---- the table ----------------------------------------------------------------------------------- */
static inline uint64_t mc_hash(const char *p, size_t n) {
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 1099511628211u;
    return h ^ (h >> 32);
}

static inline mc_map *mc_new(void) {
    mc_map *m = nyv_host->host_alloc(sizeof *m);
    if (m) {
        memset(m, 0, sizeof *m);
        m->refs = 1;
    }
    return m;
}

/* Entry number of key, or -1. */
static inline long mc_find(const mc_map *m, const char *key, size_t klen, uint64_t hash) {
    if (!m->icap)
        return -1;
    size_t mask = m->icap - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        uint32_t slot = m->index[i];
        if (!slot)
            return -1;
        const mc_entry *e = &m->entries[slot - 1];
        if (e->key && e->hash == hash && e->klen == klen && memcmp(e->key, key, klen) == 0)
            return (long)(slot - 1);
    }
}

/* Rebuilds the index for at least `want` entries, dropping tombstones from the entry array first. */
static inline nyrt_err mc_rebuild(mc_map *m, size_t want) {
    size_t live = 0;
    for (size_t i = 0; i < m->used; i++)
        if (m->entries[i].key)
            m->entries[live++] = m->entries[i];
    m->used = live;
    size_t icap = 8;
    while (icap < 2 * (want + 1))
        icap *= 2;
    if (icap != m->icap) {
        uint32_t *index = nyv_host->host_alloc(icap * sizeof *index);
        if (!index)
            return NYRT_E_OOM;
        if (m->index)
            nyv_host->host_free(m->index);
        m->index = index;
        m->icap = icap;
    }
    memset(m->index, 0, m->icap * sizeof *m->index);
    for (size_t n = 0; n < m->used; n++) {
        size_t i = (size_t)m->entries[n].hash & (m->icap - 1);
        while (m->index[i])
            i = (i + 1) & (m->icap - 1);
        m->index[i] = (uint32_t)(n + 1);
    }
    return NYRT_OK;
}

/* Makes room for one more entry. */
static inline nyrt_err mc_reserve(mc_map *m) {
    if (m->used == m->cap) {
        if (m->count < m->used / 2 + 1 && m->used > 8) {
            nyrt_err e = mc_rebuild(m, m->count + 1);      /* mostly tombstones: compact in place */
            if (e != NYRT_OK || m->used < m->cap)
                return e;
        }
        size_t cap = m->cap ? m->cap * 2 : 8;
        mc_entry *entries = nyv_host->host_alloc(cap * sizeof *entries);
        if (!entries)
            return NYRT_E_OOM;
        if (m->used)
            memcpy(entries, m->entries, m->used * sizeof *entries);
        if (m->entries)
            nyv_host->host_free(m->entries);
        m->entries = entries;
        m->cap = cap;
    }
    if ((m->used + 1) * 2 > m->icap)
        return mc_rebuild(m, m->used + 1);
    return NYRT_OK;
}

/* Stores value under key (both borrowed). */
static inline nyrt_err mc_store(mc_map *m, const char *key, size_t klen, const nyrt_nyash_value *value) {
    uint64_t hash = mc_hash(key, klen);
    long at = mc_find(m, key, klen, hash);
    nyv_held held;
    nyrt_err e = nyv_hold(value, &held);
    if (e != NYRT_OK)
        return e;
    if (at >= 0) {
        nyv_held old = m->entries[at].val;
        m->entries[at].val = held;
        nyv_drop(&old);               /* after the store: dropping may run arbitrary releases */
        return NYRT_OK;
    }
    char *copy = nyv_host->host_alloc(klen + 1);
    if (!copy || (e = mc_reserve(m)) != NYRT_OK) {
        if (copy)
            nyv_host->host_free(copy);
        nyv_drop(&held);
        return copy ? e : NYRT_E_OOM;
    }
    memcpy(copy, key, klen);
    copy[klen] = 0;
    mc_entry *entry = &m->entries[m->used];
    entry->key = copy;
    entry->klen = klen;
    entry->hash = hash;
    entry->val = held;
    size_t i = (size_t)hash & (m->icap - 1);
    while (m->index[i])
        i = (i + 1) & (m->icap - 1);
    m->index[i] = (uint32_t)(m->used + 1);
    m->used++;
    m->count++;
    return NYRT_OK;
}

static inline int mc_remove(mc_map *m, const char *key, size_t klen) {
    long at = mc_find(m, key, klen, mc_hash(key, klen));
    if (at < 0)
        return 0;
    mc_entry *e = &m->entries[at];
    nyv_held old = e->val;
    nyv_host->host_free(e->key);
    e->key = NULL;                    /* a tombstone: the index slot stays, lookups skip it */
    m->count--;
    nyv_drop(&old);
    return 1;
}

/* Empties the map (its storage too). Values are released after the map is consistent again. */
static inline void mc_clear(mc_map *m) {
    mc_entry *entries = m->entries;
    size_t used = m->used;
    if (m->index)
        nyv_host->host_free(m->index);
    memset(&m->entries, 0, sizeof *m - offsetof(mc_map, entries));
    for (size_t i = 0; i < used; i++) {
        if (entries[i].key) {
            nyv_host->host_free(entries[i].key);
            nyv_drop(&entries[i].val);
        }
    }
    if (entries)
        nyv_host->host_free(entries);
}

static inline void mc_free(mc_map *m) {
    mc_clear(m);
    nyv_host->host_free(m);
}

/* ---- methods ------------------------------------------------------------------------------------------ */
/* Releases a value the plugin created and no longer needs (only possible when the host offers release). */
static inline void mc_release_new(nyrt_nyash_value *v) {
    if (nyv_ext_release)
        nyv_ext_release(v);
}

static inline nyrt_err mc_text(mc_ret *r, const char *a, const char *b, size_t blen) {
    r->kind = MC_R_TEXT;
    nyv_buf_init(&r->text);
    nyv_buf_adds(&r->text, a);
    nyv_buf_add(&r->text, b, blen);
    return r->text.oom ? (nyv_buf_free(&r->text), NYRT_E_OOM) : NYRT_OK;
}

/* keys() / values(): a new ArrayBox built with the host helpers. */
static inline nyrt_err mc_array(const mc_map *m, int keys, mc_ret *r) {
    nyrt_nyash_value arr, item;
    nyrt_err e = nyv_host->array_new(&arr);
    for (size_t i = 0; e == NYRT_OK && i < m->used; i++) {
        const mc_entry *entry = &m->entries[i];
        if (!entry->key)
            continue;
        e = keys ? nyv_host->string_new(entry->key, entry->klen, &item) : nyv_give(&entry->val, &item);
        if (e == NYRT_OK) {
            e = nyv_host->array_push(&arr, &item);
            if (keys || !nyv_is_inline(&item))
                mc_release_new(&item);
        }
    }
    if (e != NYRT_OK) {
        mc_release_new(&arr);
        return e;
    }
    r->kind = MC_R_VALUE;
    r->value = arr;
    return NYRT_OK;
}

static inline const char *mc_display(const nyrt_nyash_value *self_map_value, char *buf, size_t cap);

/* Runs method `op` on m. `self` is m as a value (for equals); args are borrowed. */
static inline nyrt_err mc_call(mc_map *m, const nyrt_nyash_value *self, int32_t op,
                               const nyrt_nyash_value *const *args, mc_ret *r) {
    nyv_buf key;
    nyrt_err e = NYRT_OK;
    r->kind = MC_R_VOID;
    switch (op) {
    case MC_SET: case MC_GET: case MC_HAS: case MC_CONTAINS_KEY: case MC_DELETE:
        nyv_buf_init(&key);
        e = nyv_display(args[0], &key);
        if (e == NYRT_E_TYPE)
            nyv_log(NYV_LOG_ERROR, "a key must be a String, Integer, Float, Bool, null, void or MapBox");
        if (e == NYRT_OK && key.oom)
            e = NYRT_E_OOM;
        if (e != NYRT_OK) {
            nyv_buf_free(&key);
            return e;
        }
        break;
    default:
        break;
    }
    switch (op) {
    case MC_SET:
        e = mc_store(m, key.p, key.len, args[1]);
        if (e == NYRT_OK)
            e = mc_text(r, "Set key: ", key.p, key.len);
        break;
    case MC_GET: {
        long at = mc_find(m, key.p, key.len, mc_hash(key.p, key.len));
        if (at < 0) {
            e = mc_text(r, "Key not found: ", key.p, key.len);
        } else {
            e = nyv_give(&m->entries[at].val, &r->value);
            r->kind = MC_R_VALUE;
        }
        break;
    }
    case MC_HAS:
    case MC_CONTAINS_KEY:
        r->kind = MC_R_BOOL;
        r->i = mc_find(m, key.p, key.len, mc_hash(key.p, key.len)) >= 0;
        break;
    case MC_DELETE:
        e = mc_text(r, mc_remove(m, key.p, key.len) ? "Deleted key: " : "Key not found: ", key.p, key.len);
        break;
    case MC_KEYS:
    case MC_VALUES:
        return mc_array(m, op == MC_KEYS, r);
    case MC_SIZE:
    case MC_LENGTH:
    case MC_LEN:
        r->kind = MC_R_INT;
        r->i = (int64_t)m->count;
        return NYRT_OK;
    case MC_IS_EMPTY:
        r->kind = MC_R_BOOL;
        r->i = m->count == 0;
        return NYRT_OK;
    case MC_CONTAINS_VALUE:
        r->kind = MC_R_BOOL;
        r->i = 0;
        for (size_t i = 0; i < m->used && !r->i; i++)
            r->i = m->entries[i].key && nyv_equals(&m->entries[i].val, args[0]);
        return NYRT_OK;
    case MC_CLEAR:
        mc_clear(m);
        return mc_text(r, "Map cleared", "", 0);
    case MC_TO_STRING: {
        char buf[64];
        return mc_text(r, mc_display(self, buf, sizeof buf), "", 0);
    }
    case MC_EQUALS:
        r->kind = MC_R_BOOL;
        r->i = args[0]->type_id == self->type_id && args[0]->box_handle == self->box_handle;
        return NYRT_OK;
    default:
        return NYRT_E_NOT_FOUND;
    }
    nyv_buf_free(&key);
    return e;
}

/* display(map): "MapBox(size=N)". */
static inline const char *mc_display(const nyrt_nyash_value *v, char *buf, size_t cap) {
    const mc_map *m = (const mc_map *)(uintptr_t)v->box_handle;
    snprintf(buf, cap, "MapBox(size=%zu)", m ? m->count : (size_t)0);
    return buf;
}

/* Metadata of the map plugins (most used methods first: hosts look ids up in this order). "ret" is what
 * the C-ABI bridge converts a result by; "args" says which arguments a C-ABI method takes as Nyash values
 * ("nyash.core.Any", see mapglue.h). */
#define MC_META                                                                                              \
    "{\"methods\": {"                                                                                        \
    "\"get/1\": {\"ret\": \"nyash.core.Any\", \"args\": [\"nyash.core.Any\"]},"                             \
    " \"size/0\": {\"ret\": \"nyash.core.Integer\"},"                                                          \
    " \"set/2\": {\"ret\": \"nyash.core.String\", \"args\": [\"nyash.core.Any\", \"nyash.core.Any\"]},"      \
    " \"has/1\": {\"ret\": \"nyash.core.Bool\", \"args\": [\"nyash.core.Any\"]},"                           \
    " \"containsKey/1\": {\"ret\": \"nyash.core.Bool\", \"args\": [\"nyash.core.Any\"]},"                   \
    " \"delete/1\": {\"ret\": \"nyash.core.String\", \"args\": [\"nyash.core.Any\"]},"                      \
    " \"keys/0\": {\"ret\": \"nyash.core.Array\"}, \"values/0\": {\"ret\": \"nyash.core.Array\"},"            \
    " \"length/0\": {\"ret\": \"nyash.core.Integer\"}, \"len/0\": {\"ret\": \"nyash.core.Integer\"},"         \
    " \"isEmpty/0\": {\"ret\": \"nyash.core.Bool\"},"                                                          \
    " \"containsValue/1\": {\"ret\": \"nyash.core.Bool\", \"args\": [\"nyash.core.Any\"]},"                 \
    " \"clear/0\": {\"ret\": \"nyash.core.String\"}, \"toString/0\": {\"ret\": \"nyash.core.String\"},"      \
    " \"equals/1\": {\"ret\": \"nyash.core.Bool\", \"args\": [\"nyash.core.Any\"]}},"                       \
    " \"birth_arity\": [0], \"singleton\": false}"

#endif /* MAPCORE_H */
