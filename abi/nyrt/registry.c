/* registry.c -- the TypeBox registry (abi.md section 4): validation, registration, lookup by fast_key.
 *
 * Every refusal rule of section 4 is checked in the order the spec lists them and reported as
 * "TYPE: RULE (detail)", TYPE being the type's name (or "<unnamed>"), RULE one of the fixed phrases below,
 * so that a user can read it and a test can match it. The table is open addressing on fast_key with
 * linear probing and backward-shift deletion (no tombstones): registrations are few, lookups are per call.
 * Registration changes happen on the host's thread while no call is in flight (loading is lazy but done
 * before the call that needs it), so lookups take no lock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "internal.h"

#define MIN_TYPEBOX_SIZE 120u

static nyrt_tb_entry **table;   /* capacity slots, NULL = empty */
static size_t capacity, used;

/* nyrt's own core TypeBoxes that nyash.toml replaced, put back when the replacing plugin goes away */
#define MAX_DISPLACED 32
static const nyrt_typebox *displaced[MAX_DISPLACED];

/* ---- the hash table ---------------------------------------------------------------------------------- */
static size_t slot_of(uint64_t key) {
    return (size_t)(key ^ key >> 29) & (capacity - 1);
}

static nyrt_tb_entry **find_slot(uint64_t key) {
    if (!capacity)
        return NULL;
    for (size_t i = slot_of(key);; i = (i + 1) & (capacity - 1)) {
        if (!table[i] || table[i]->tb->fast_key == key)
            return &table[i];
    }
}

static int grow(void) {
    size_t old_cap = capacity, new_cap = capacity ? capacity * 2 : 64;
    nyrt_tb_entry **old = table, **fresh = calloc(new_cap, sizeof *fresh);
    if (!fresh)
        return 0;
    table = fresh;
    capacity = new_cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            *find_slot(old[i]->tb->fast_key) = old[i];
    free(old);
    return 1;
}

static void remove_slot(size_t i) {
    /* backward-shift deletion keeps every probe chain unbroken */
    table[i] = NULL;
    for (size_t j = (i + 1) & (capacity - 1); table[j]; j = (j + 1) & (capacity - 1)) {
        size_t home = slot_of(table[j]->tb->fast_key);
        int movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
        if (movable) {
            table[i] = table[j];
            table[j] = NULL;
            i = j;
        }
    }
    used--;
}

static void free_entry(nyrt_tb_entry *e) {
    nyrt_meta_free(&e->meta);
    free(e->short_name);
    free(e);
}

/* ---- validation ----------------------------------------------------------------------------------------- */
static nyrt_err refuse(char *err, size_t cap, const char *type, const char *rule, const char *fmt, ...) {
    char detail[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (err && cap)
        snprintf(err, cap, "%s: %s (%s)", type, rule, detail);
    return NYRT_E_ARG;
}

static int utf8_valid(const unsigned char *s) {
    while (*s) {
        /* n: continuation bytes of this lead byte; 9 marks an impossible lead (80-C1, F5-FF) */
        unsigned c = *s, n = c < 0x80                ? 0
                           : c >= 0xC2 && c < 0xE0 ? 1
                           : c >= 0xE0 && c < 0xF0 ? 2
                           : c >= 0xF0 && c < 0xF5 ? 3
                                                   : 9;
        if (n == 9)
            return 0;
        uint32_t cp = n == 0 ? c : c & (0x3F >> n);
        for (unsigned k = 1; k <= n; k++) {
            if ((s[k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[k] & 0x3F);
        }
        /* overlong 3/4-byte forms, surrogates and values past U+10FFFF */
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        s += n + 1;
    }
    return 1;
}

static nyrt_err check_header(const nyrt_typebox *tb, const char *type, char *err, size_t cap) {
    if (tb->abi_tag != NYRT_ABI_TAG)
        return refuse(err, cap, type, "wrong tag", "abi_tag 0x%08x, expected 0x%08x 'TYBX'", tb->abi_tag, NYRT_ABI_TAG);
    if (tb->size < MIN_TYPEBOX_SIZE)
        return refuse(err, cap, type, "size too small", "size %u < %u", tb->size, MIN_TYPEBOX_SIZE);
    if (tb->ver_major != NYRT_ABI_VER_MAJOR)
        return refuse(err, cap, type, "major version mismatch", "built for ABI %u.%u, host is %d.%d",
                      tb->ver_major, tb->ver_minor, NYRT_ABI_VER_MAJOR, NYRT_ABI_VER_MINOR);
    if (tb->ver_minor > NYRT_ABI_VER_MINOR)
        return refuse(err, cap, type, "minor version too new", "built for ABI %u.%u, host is %d.%d",
                      tb->ver_major, tb->ver_minor, NYRT_ABI_VER_MAJOR, NYRT_ABI_VER_MINOR);
    return NYRT_OK;
}

static nyrt_err check_identity(const nyrt_typebox *tb, const char *type, char *err, size_t cap) {
    uint8_t digest[32];
    uint64_t key = 0;
    if (!tb->name)
        return refuse(err, cap, type, "name missing", "name is NULL");
    if (!utf8_valid((const unsigned char *)tb->name) || !tb->name[0])
        return refuse(err, cap, type, "name not UTF-8", "the name must be non-empty valid UTF-8");
    nyrt_sha256((const uint8_t *)tb->name, strlen(tb->name), digest);
    if (memcmp(digest, tb->stable_id, 32) != 0)
        return refuse(err, cap, type, "stable_id mismatch", "stable_id is not SHA-256 of the name");
    for (int i = 7; i >= 0; i--)
        key = key << 8 | digest[i];
    if (tb->fast_key != key)
        return refuse(err, cap, type, "fast_key mismatch", "fast_key 0x%016llx, expected 0x%016llx",
                      (unsigned long long)tb->fast_key, (unsigned long long)key);
    return NYRT_OK;
}

static const char *missing_c(const nyrt_c_vtable *c) {
    return !c->create ? "create" : !c->retain ? "retain" : !c->release ? "release" : !c->to_nyash ? "to_nyash"
         : !c->from_nyash ? "from_nyash" : !c->invoke_by_id ? "invoke_by_id" : NULL;
}

static const char *missing_ny(const nyrt_ny_vtable *ny) {
    return !ny->create ? "create" : !ny->retain ? "retain" : !ny->release ? "release"
         : !ny->invoke_by_id ? "invoke_by_id" : NULL;
}

static nyrt_err check_vtables(const nyrt_typebox *tb, const char *type, char *err, size_t cap) {
    static const char *kinds[] = {"none", "c", "nyash", "unified"};
    int want_c = tb->abi_kind == NYRT_ABI_C || tb->abi_kind == NYRT_ABI_UNIFIED;
    int want_ny = tb->abi_kind == NYRT_ABI_NYASH || tb->abi_kind == NYRT_ABI_UNIFIED;
    if (tb->abi_kind > NYRT_ABI_UNIFIED || tb->abi_kind == NYRT_ABI_NONE || want_c != (tb->c != NULL) ||
        want_ny != (tb->ny != NULL))
        return refuse(err, cap, type, "abi_kind mismatch", "abi_kind %s with c=%s ny=%s",
                      tb->abi_kind <= 3 ? kinds[tb->abi_kind] : "unknown", tb->c ? "set" : "NULL",
                      tb->ny ? "set" : "NULL");
    const char *gap = tb->c ? missing_c(tb->c) : NULL;
    if (gap)
        return refuse(err, cap, type, "vtable incomplete", "C vtable lacks %s", gap);
    gap = tb->ny ? missing_ny(tb->ny) : NULL;
    if (gap)
        return refuse(err, cap, type, "vtable incomplete", "Nyash vtable lacks %s", gap);
    return NYRT_OK;
}

static nyrt_err check_unique(const nyrt_typebox *tb, const char *type, char *err, size_t cap) {
    nyrt_tb_entry **slot = find_slot(tb->fast_key);
    if (!slot || !*slot)
        return NYRT_OK;
    const nyrt_typebox *old = (*slot)->tb;
    if (old->name && strcmp(old->name, tb->name) == 0)
        return refuse(err, cap, type, "duplicate name", "already registered by %s",
                      (*slot)->plugin_id == NYRT_PLUGIN_CORE ? "nyrt" : nyrt_plugin_path((*slot)->plugin_id));
    return refuse(err, cap, type, "duplicate fast_key", "0x%016llx already registered for %s",
                  (unsigned long long)tb->fast_key, old->name ? old->name : "?");
}

/* ---- the API -------------------------------------------------------------------------------------------- */
void nyrt_tb_short_name(const char *name, char *out, size_t cap) {
    static const char core[] = "nyash.core.";
    const char *dot = strrchr(name, '.');
    const char *last = dot ? dot + 1 : name;
    if (strncmp(name, core, sizeof core - 1) == 0 && !strchr(name + sizeof core - 1, '.'))
        snprintf(out, cap, "%sBox", last);
    else
        snprintf(out, cap, "%s", last);
}

static nyrt_err validate(const nyrt_typebox *tb, char *err, size_t cap) {
    char type[96];
    int named = tb->name && utf8_valid((const unsigned char *)tb->name) && tb->name[0];
    snprintf(type, sizeof type, "%s", named ? tb->name : "<unnamed>");
    nyrt_err e = check_header(tb, type, err, cap);
    if (e == NYRT_OK)
        e = check_identity(tb, type, err, cap);
    if (e == NYRT_OK)
        e = check_vtables(tb, type, err, cap);
    return e;
}

nyrt_err nyrt_tb_register(const nyrt_typebox *tb, int32_t plugin_id, char *err, size_t cap) {
    char why[160];
    if (err && cap)
        err[0] = 0;
    if (!tb)
        return refuse(err, cap, "<null>", "wrong tag", "the TypeBox pointer is NULL");
    nyrt_err e = validate(tb, err, cap);
    if (e != NYRT_OK)
        return e;
    nyrt_tb_entry *entry = calloc(1, sizeof *entry);
    if (!entry)
        return refuse(err, cap, tb->name, "out of memory", "registry entry");
    size_t json_len = tb->meta.json_len;
    while (json_len && tb->meta.json && tb->meta.json[json_len - 1] == 0)   /* a counted trailing NUL */
        json_len--;
    if (nyrt_meta_parse(tb->meta.json, json_len, &entry->meta, why, sizeof why) != NYRT_OK) {
        free(entry);
        return refuse(err, cap, tb->name, "invalid meta", "%s", why);
    }
    if ((e = check_unique(tb, tb->name, err, cap)) != NYRT_OK || ((used + 1) * 2 > capacity && !grow())) {
        free_entry(entry);
        return e != NYRT_OK ? e : refuse(err, cap, tb->name, "out of memory", "registry table");
    }
    nyrt_tb_short_name(tb->name, why, sizeof why);
    entry->tb = tb;
    entry->plugin_id = plugin_id;
    entry->short_name = nyrt_dup(why);
    *find_slot(tb->fast_key) = entry;
    used++;
    nyrt_core_served_changed();
    return NYRT_OK;
}

nyrt_tb_entry *nyrt_tb_entry_of(uint64_t fast_key) {
    nyrt_tb_entry **slot = find_slot(fast_key);
    return slot ? *slot : NULL;
}

const nyrt_typebox *nyrt_tb_lookup(uint64_t fast_key) {
    nyrt_tb_entry *e = nyrt_tb_entry_of(fast_key);
    return e ? e->tb : NULL;
}

const nyrt_typebox *nyrt_tb_lookup_name(const char *name) {
    const nyrt_typebox *tb = name ? nyrt_tb_lookup(nyrt_fast_key(name)) : NULL;
    return tb && strcmp(tb->name, name) == 0 ? tb : NULL;
}

static void drop_singleton(nyrt_tb_entry *e) {
    if (e->has_singleton) {
        nyrt_nyash_value v = e->singleton;
        e->has_singleton = 0;
        nyrt_val_release(&v);
    }
}

nyrt_err nyrt_tb_unregister(uint64_t fast_key) {
    nyrt_tb_entry **slot = find_slot(fast_key);
    if (!slot || !*slot)
        return NYRT_E_NOT_FOUND;
    nyrt_tb_entry *e = *slot;
    if (e->plugin_id == NYRT_PLUGIN_CORE) {
        for (size_t i = 0; i < MAX_DISPLACED; i++)
            if (!displaced[i] || displaced[i] == e->tb) {
                displaced[i] = e->tb;
                break;
            }
    }
    drop_singleton(e);
    remove_slot((size_t)(slot - table));
    free_entry(e);
    nyrt_core_served_changed();
    return NYRT_OK;
}

void nyrt_tb_unregister_plugin(int32_t plugin_id) {
    for (size_t i = 0; i < capacity;) {
        nyrt_tb_entry *e = table[i];
        if (e && e->plugin_id == plugin_id) {
            remove_slot(i);         /* a shifted entry may now sit at i: look at i again */
            free_entry(e);
        } else {
            i++;
        }
    }
    nyrt_core_served_changed();
}

void nyrt_tb_drop_singletons(int32_t plugin_id) {
    for (size_t i = 0; i < capacity; i++)
        if (table[i] && table[i]->plugin_id == plugin_id)
            drop_singleton(table[i]);
}

int32_t nyrt_tb_is_core_served(uint64_t fast_key) {
    nyrt_tb_entry *e = nyrt_tb_entry_of(fast_key);
    return e && e->plugin_id == NYRT_PLUGIN_CORE;
}

size_t nyrt_tb_singleton_count(int32_t plugin_id) {
    size_t n = 0;
    for (size_t i = 0; i < capacity; i++)
        n += table[i] && table[i]->plugin_id == plugin_id && table[i]->has_singleton;
    return n;
}

void nyrt_tb_restore_core(void) {
    for (size_t i = 0; i < MAX_DISPLACED; i++) {
        const nyrt_typebox *tb = displaced[i];
        if (tb && !nyrt_tb_entry_of(tb->fast_key) && nyrt_tb_register(tb, NYRT_PLUGIN_CORE, NULL, 0) == NYRT_OK)
            displaced[i] = NULL;
    }
}

uint64_t nyrt_tb_plugin_type_named(const char *name) {
    for (size_t i = 0; i < capacity; i++)
        if (table[i] && table[i]->plugin_id >= 0 && table[i]->short_name && strcmp(table[i]->short_name, name) == 0)
            return table[i]->tb->fast_key;
    return 0;
}

int32_t nyrt_tb_owner(uint64_t fast_key) {
    nyrt_tb_entry *e = nyrt_tb_entry_of(fast_key);
    return e ? e->plugin_id : -2;
}
