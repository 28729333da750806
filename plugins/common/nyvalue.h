/* nyvalue.h -- what a plugin needs to keep, compare and display Nyash values it is given (language.md §6.6,
 * §6.8), on top of nyplug.h and the host helpers of nyrt_host.
 *
 * A plugin keeps a value as an nyv_held:
 *   Integer, Float, Bool, Null, Void   inline, copied
 *   String                             a private copy of the bytes (get gives a fresh String: strings are
 *                                      immutable, so no program can tell the copy from the original)
 *   the plugin's own type              its own reference count (nyv_own hooks)
 *   anything else (Array, Map, ...)    retained through host retain/release when the host offers them
 *                                      (nyv_host_ext below); without them such values are refused (E_TYPE)
 *
 * Display (for MapBox keys) follows §6.8 for Integer (decimal), Float (shortest round-trip digits, never an
 * exponent, no trailing ".0"), Bool, null, void, String and the plugin's own type. Equality follows §6.6
 * (Int/Float numerically, Strings by bytes, null == void); for other boxed values it is identity.
 *
 * Everything is allocated with host_alloc, so nyrt's counting allocator sees it.
 */
#ifndef NYVALUE_H
#define NYVALUE_H

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

#include "nyplug.h"

/* ---- the host, and the retain/release of any value ------------------------------------------------ */
/* The v1.0 nyrt_host has no retain/release for values a plugin did not create. A host that has them
 * reports a size of at least NYV_HOST_EXT_SIZE and places them right after the v1.0 table. */
typedef struct nyv_host_ext {
    nyrt_host base;
    void (*retain)(const nyrt_nyash_value *v);
    void (*release)(const nyrt_nyash_value *v);
} nyv_host_ext;
#define NYV_HOST_EXT_SIZE (sizeof(nyv_host_ext))

typedef struct nyv_types {
    uint64_t integer, flt, boolean, string, null_, void_, array, map;
} nyv_types;

/* The plugin's own boxed type(s) that may be held: its values are retained and displayed by these hooks. */
typedef struct nyv_own {
    uint64_t type_id;
    void (*retain)(const nyrt_nyash_value *v);
    void (*release)(const nyrt_nyash_value *v);
    const char *(*display)(const nyrt_nyash_value *v, char *buf, size_t cap);   /* NULL: "NAME()" unknown */
} nyv_own;

static const nyrt_host *nyv_host;
static nyv_types nyv_t;
static nyv_own nyv_own_type;
static void (*nyv_ext_retain)(const nyrt_nyash_value *v);
static void (*nyv_ext_release)(const nyrt_nyash_value *v);

static inline void nyv_init(const nyrt_host *host, const nyv_own *own) {
    nyv_host = host;
    nyv_t.integer = nyplug_type_id("nyash.core.Integer");
    nyv_t.flt = nyplug_type_id("nyash.core.Float");
    nyv_t.boolean = nyplug_type_id("nyash.core.Bool");
    nyv_t.string = nyplug_type_id("nyash.core.String");
    nyv_t.null_ = nyplug_type_id("nyash.core.Null");
    nyv_t.void_ = nyplug_type_id("nyash.core.Void");
    nyv_t.array = nyplug_type_id("nyash.core.Array");
    nyv_t.map = nyplug_type_id("nyash.core.Map");
    if (own)
        nyv_own_type = *own;
    if (host->size >= NYV_HOST_EXT_SIZE) {
        const nyv_host_ext *ext = (const nyv_host_ext *)host;
        nyv_ext_retain = ext->retain;
        nyv_ext_release = ext->release;
        if (!nyv_ext_retain || !nyv_ext_release)
            nyv_ext_retain = NULL, nyv_ext_release = NULL;
    }
}

static inline void nyv_log(int32_t level, const char *fmt, ...) {
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (nyv_host && nyv_host->log)
        nyv_host->log(level, msg);
}
#define NYV_LOG_ERROR 3

/* ---- kinds ------------------------------------------------------------------------------------------- */
static inline int nyv_is_int(const nyrt_nyash_value *v) { return v->type_id == nyv_t.integer; }
static inline int nyv_is_float(const nyrt_nyash_value *v) { return v->type_id == nyv_t.flt; }
static inline int nyv_is_bool(const nyrt_nyash_value *v) { return v->type_id == nyv_t.boolean; }
static inline int nyv_is_string(const nyrt_nyash_value *v) { return v->type_id == nyv_t.string; }
static inline int nyv_is_nullish(const nyrt_nyash_value *v) {
    return v->type_id == nyv_t.null_ || v->type_id == nyv_t.void_;
}
static inline int nyv_is_own(const nyrt_nyash_value *v) {
    return nyv_own_type.type_id && v->type_id == nyv_own_type.type_id;
}
/* A value travelling inline (Integer, Float, Bool, Null, Void): nothing to retain. */
static inline int nyv_is_inline(const nyrt_nyash_value *v) {
    return (v->metadata & NYASH_META_INLINE) != 0 || nyv_is_int(v) || nyv_is_float(v) || nyv_is_bool(v) ||
           nyv_is_nullish(v);
}

static inline double nyv_float_of(const nyrt_nyash_value *v) {
    double d;
    memcpy(&d, &v->box_handle, sizeof d);
    return d;
}

static inline void nyv_int(int64_t i, nyrt_nyash_value *out) {
    out->type_id = nyv_t.integer;
    out->box_handle = (uint64_t)i;
    out->metadata = NYASH_META_INLINE;
}

static inline void nyv_bool(int b, nyrt_nyash_value *out) {
    out->type_id = nyv_t.boolean;
    out->box_handle = b ? 1u : 0u;
    out->metadata = NYASH_META_INLINE;
}

static inline void nyv_void(nyrt_nyash_value *out) {
    out->type_id = nyv_t.void_;
    out->box_handle = 0;
    out->metadata = NYASH_META_INLINE;
}

/* ---- a growable byte buffer on host_alloc --------------------------------------------------------- */
typedef struct nyv_buf {
    char *p;
    size_t len, cap;
    int oom;
    char small[64];
} nyv_buf;

static inline void nyv_buf_init(nyv_buf *b) {
    b->p = b->small;
    b->len = 0;
    b->cap = sizeof b->small;
    b->oom = 0;
    b->small[0] = 0;
}

static inline void nyv_buf_add(nyv_buf *b, const char *s, size_t n) {
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap * 2;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = nyv_host->host_alloc(cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        memcpy(p, b->p, b->len);
        if (b->p != b->small)
            nyv_host->host_free(b->p);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static inline void nyv_buf_adds(nyv_buf *b, const char *s) { nyv_buf_add(b, s, strlen(s)); }

static inline void nyv_buf_free(nyv_buf *b) {
    if (b->p != b->small)
        nyv_host->host_free(b->p);
    nyv_buf_init(b);
}

/* A NUL-terminated host_alloc'd copy of the bytes (for a C-ABI String handed over with TRANSFER). */
static inline char *nyv_buf_take(nyv_buf *b) {
    char *out = nyv_host->host_alloc(b->len + 1);
    if (out) {
        memcpy(out, b->p, b->len);
        out[b->len] = 0;
    }
    nyv_buf_free(b);
    return out;
}

/* ---- display (§6.8) ----------------------------------------------------------------------------------- */
/* display_float: the shortest digits that read back as x (Python's repr), written without an exponent and
 * without a trailing ".0". The shortest digit count is found by trying %.{p}e for p = 1..17; the digits are
 * then those of the correctly rounded p-digit decimal, which is what repr gives for all but (at most) rare
 * ties at powers of two. */
static inline void nyv_display_float(double x, char out[400]) {
    if (x != x) {
        strcpy(out, "NaN");
        return;
    }
    if (isinf(x)) {
        strcpy(out, x > 0 ? "inf" : "-inf");
        return;
    }
    char sci[40];
    int p = 1;
    for (; p <= 17; p++) {
        snprintf(sci, sizeof sci, "%.*e", p - 1, x);
        if (strtod(sci, NULL) == x)
            break;
    }
    /* sci is [-]D[.DDD]e[+-]XX */
    char digits[20];
    size_t nd = 0;
    const char *s = sci;
    int neg = *s == '-';
    if (neg)
        s++;
    for (; *s && *s != 'e'; s++)
        if (*s != '.')
            digits[nd++] = *s;
    int exp10 = atoi(s + 1);
    while (nd > 1 && digits[nd - 1] == '0')   /* "1.0e+02" never happens for the shortest p, but be safe */
        nd--;
    char *o = out;
    if (neg)
        *o++ = '-';
    if (exp10 >= 0) {
        /* integer part: digits[0..exp10], padded with zeros */
        for (int i = 0; i <= exp10; i++)
            *o++ = (size_t)i < nd ? digits[i] : '0';
        if ((size_t)exp10 + 1 < nd) {
            *o++ = '.';
            for (size_t i = (size_t)exp10 + 1; i < nd; i++)
                *o++ = digits[i];
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -exp10 - 1; i++)
            *o++ = '0';
        for (size_t i = 0; i < nd; i++)
            *o++ = digits[i];
    }
    *o = 0;
}

/* Appends display(v) to b. E_TYPE for a value whose display the plugin cannot know (see the top). */
static inline nyrt_err nyv_display(const nyrt_nyash_value *v, nyv_buf *b) {
    char tmp[400];
    if (nyv_is_string(v)) {
        const char *p;
        size_t n;
        nyrt_err e = nyv_host->string_view(v, &p, &n);
        if (e == NYRT_OK)
            nyv_buf_add(b, p, n);
        return e;
    }
    if (nyv_is_int(v)) {
        snprintf(tmp, sizeof tmp, "%lld", (long long)(int64_t)v->box_handle);
        nyv_buf_adds(b, tmp);
    } else if (nyv_is_float(v)) {
        nyv_display_float(nyv_float_of(v), tmp);
        nyv_buf_adds(b, tmp);
    } else if (nyv_is_bool(v)) {
        nyv_buf_adds(b, v->box_handle ? "true" : "false");
    } else if (v->type_id == nyv_t.null_) {
        nyv_buf_adds(b, "null");
    } else if (v->type_id == nyv_t.void_) {
        nyv_buf_adds(b, "void");
    } else if (nyv_is_own(v) && nyv_own_type.display) {
        nyv_buf_adds(b, nyv_own_type.display(v, tmp, sizeof tmp));
    } else {
        return NYRT_E_TYPE;
    }
    return NYRT_OK;
}

/* ---- holding values ----------------------------------------------------------------------------------- */
typedef struct nyv_held {
    nyrt_nyash_value v;
    char *bytes;     /* a String's private copy (NUL-terminated), else NULL */
    size_t len;
} nyv_held;

static inline const char *nyv_kind_name(const nyrt_nyash_value *v) {
    return v->type_id == nyv_t.array ? "ArrayBox" : v->type_id == nyv_t.map ? "MapBox" : "this value";
}

/* Keep v (borrowed) in *out. */
static inline nyrt_err nyv_hold(const nyrt_nyash_value *v, nyv_held *out) {
    out->v = *v;
    out->bytes = NULL;
    out->len = 0;
    if (nyv_is_inline(v))
        return NYRT_OK;
    if (nyv_is_own(v)) {
        nyv_own_type.retain(v);
        return NYRT_OK;
    }
    if (nyv_ext_retain) {
        nyv_ext_retain(v);
        return NYRT_OK;
    }
    if (nyv_is_string(v)) {
        const char *p;
        size_t n;
        nyrt_err e = nyv_host->string_view(v, &p, &n);
        if (e != NYRT_OK)
            return e;
        out->bytes = nyv_host->host_alloc(n + 1);
        if (!out->bytes)
            return NYRT_E_OOM;
        memcpy(out->bytes, p, n);
        out->bytes[n] = 0;
        out->len = n;
        return NYRT_OK;
    }
    nyv_log(NYV_LOG_ERROR, "cannot hold %s: the host offers no retain/release", nyv_kind_name(v));
    return NYRT_E_TYPE;
}

/* A new reference (+1, owned by the caller) to the held value. */
static inline nyrt_err nyv_give(const nyv_held *h, nyrt_nyash_value *out) {
    if (h->bytes)
        return nyv_host->string_new(h->bytes, h->len, out);
    *out = h->v;
    if (nyv_is_inline(&h->v))
        return NYRT_OK;
    if (nyv_is_own(&h->v))
        nyv_own_type.retain(&h->v);
    else
        nyv_ext_retain(&h->v);
    return NYRT_OK;
}

static inline void nyv_drop(nyv_held *h) {
    if (h->bytes)
        nyv_host->host_free(h->bytes);
    else if (nyv_is_inline(&h->v))
        ;
    else if (nyv_is_own(&h->v))
        nyv_own_type.release(&h->v);
    else if (nyv_ext_release)
        nyv_ext_release(&h->v);
    h->bytes = NULL;
    h->v.type_id = nyv_t.void_;
    h->v.metadata = NYASH_META_INLINE;
}

/* ---- equality (§6.6) ----------------------------------------------------------------------------------- */
static inline int nyv_string_bytes(const nyv_held *h, const nyrt_nyash_value *v, const char **p, size_t *n) {
    if (h && h->bytes) {
        *p = h->bytes;
        *n = h->len;
        return 1;
    }
    return nyv_host->string_view(v, p, n) == NYRT_OK;
}

/* held == v */
static inline int nyv_equals(const nyv_held *h, const nyrt_nyash_value *v) {
    const nyrt_nyash_value *a = &h->v;
    int an = nyv_is_int(a) || nyv_is_float(a), bn = nyv_is_int(v) || nyv_is_float(v);
    if (an && bn) {
        if (nyv_is_int(a) && nyv_is_int(v))
            return a->box_handle == v->box_handle;
        double x = nyv_is_int(a) ? (double)(int64_t)a->box_handle : nyv_float_of(a);
        double y = nyv_is_int(v) ? (double)(int64_t)v->box_handle : nyv_float_of(v);
        return x == y;
    }
    if (nyv_is_nullish(a) && nyv_is_nullish(v))
        return 1;
    if (a->type_id != v->type_id)
        return 0;
    if (nyv_is_bool(a))
        return (a->box_handle != 0) == (v->box_handle != 0);
    if (nyv_is_string(a)) {
        const char *p, *q;
        size_t n, m;
        if (!nyv_string_bytes(h, a, &p, &n) || !nyv_string_bytes(NULL, v, &q, &m))
            return 0;
        return n == m && memcmp(p, q, n) == 0;
    }
    return a->box_handle == v->box_handle;   /* maps, plugin boxes, ...: the same object */
}

#endif /* NYVALUE_H */
