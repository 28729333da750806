/* strmeth.c -- StringBox methods (language.md 7.2), exactly as nyash_run/runtime/strings.py.
 *
 * `length` and the search methods count UTF-8 bytes; `substring` and `get` index code points (ASCII text,
 * where the two agree, takes the direct path). Arguments arrive checked by core_types.c: `s` arguments as
 * display strings, `i` arguments as Ints.
 */
#include <string.h>

#include "internal.h"

#define SELF ((const nyrt_str *)(uintptr_t)self->box_handle)

static nyrt_err ret_str(const char *p, size_t len, nyrt_nyash_value *ret) {
    return nyrt_str_take(nyrt_str_alloc(p, len), ret);
}

/* Byte offset of code point k (0 <= k <= cps). */
static size_t cp_offset(const nyrt_str *s, size_t k) {
    if (s->cps == s->len)
        return k;
    size_t i = 0;
    for (size_t seen = 0; i < s->len; i++)
        if (((unsigned char)s->bytes[i] & 0xC0) != 0x80 && seen++ == k)
            return i;
    return s->len;
}

/* Byte offset of the first needle at or after start (<= hlen), or -1; an empty needle is found at start. */
static int64_t find_from(const nyrt_str *h, const nyrt_str *n, size_t start) {
    if (n->len == 0)
        return (int64_t)start;
    if (n->len > h->len)
        return -1;
    const char *end = h->bytes + (h->len - n->len);
    for (const char *p = h->bytes + start; p <= end; p++) {
        p = memchr(p, n->bytes[0], (size_t)(end - p) + 1);
        if (!p)
            return -1;
        if (memcmp(p, n->bytes, n->len) == 0)
            return p - h->bytes;
    }
    return -1;
}

static int64_t rfind(const nyrt_str *h, const nyrt_str *n) {
    if (n->len > h->len)
        return -1;
    for (size_t i = h->len - n->len + 1; i-- > 0;)
        if (memcmp(h->bytes + i, n->bytes, n->len) == 0)
            return (int64_t)i;
    return -1;
}

static nyrt_err m_length(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    return ret_int((int64_t)SELF->len, ret);
}

static nyrt_err m_substring(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    const nyrt_str *s = SELF;
    int64_t n = (int64_t)s->cps, end = argc > 1 ? a[1].i : n, start = a[0].i;
    if (end < 0 || end > n)
        end = n;
    if (start < 0 || start > end)
        start = end;
    size_t from = cp_offset(s, (size_t)start);
    size_t to = cp_offset(s, (size_t)end);
    return ret_str(s->bytes + from, to - from, ret);
}

static nyrt_err m_get(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    const nyrt_str *s = SELF;
    if (a[0].i < 0 || a[0].i >= (int64_t)s->cps) {
        nyrt_v_void(ret);
        return NYRT_OK;
    }
    size_t from = cp_offset(s, (size_t)a[0].i);
    uint32_t cp;
    return ret_str(s->bytes + from, nyrt_utf8_decode(s->bytes, s->len, from, &cp), ret);
}

static nyrt_err m_find(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    return ret_int(find_from(SELF, a[0].s, 0), ret);
}

static nyrt_err m_index_of(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    int64_t start = argc > 1 && a[1].i > 0 ? a[1].i : 0;
    if (start > (int64_t)SELF->len)
        return ret_int(-1, ret);
    return ret_int(find_from(SELF, a[0].s, (size_t)start), ret);
}

static nyrt_err m_last_index_of(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    return ret_int(rfind(SELF, a[0].s), ret);
}

static nyrt_err m_contains(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    return ret_bool(find_from(SELF, a[0].s, 0) >= 0, ret);
}

static nyrt_err m_starts_with(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    const nyrt_str *s = SELF, *p = a[0].s;
    return ret_bool(p->len <= s->len && memcmp(s->bytes, p->bytes, p->len) == 0, ret);
}

static nyrt_err m_ends_with(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    const nyrt_str *s = SELF, *p = a[0].s;
    return ret_bool(p->len <= s->len && memcmp(s->bytes + s->len - p->len, p->bytes, p->len) == 0, ret);
}

static nyrt_err push_piece(nyrt_arr *arr, const char *p, size_t len) {
    nyrt_nyash_value v;
    nyrt_err e = ret_str(p, len, &v);
    return e != NYRT_OK ? e : nyrt_arr_append_owned(arr, &v);
}

/* Python str.split(sep) for a non-empty separator; an empty one gives "", each code point, "". */
static nyrt_err split_into(nyrt_arr *arr, const nyrt_str *s, const nyrt_str *sep) {
    nyrt_err e = NYRT_OK;
    if (!sep->len) {
        e = push_piece(arr, "", 0);
        for (size_t i = 0; i < s->len && e == NYRT_OK;) {
            uint32_t cp;
            size_t n = nyrt_utf8_decode(s->bytes, s->len, i, &cp);
            e = push_piece(arr, s->bytes + i, n);
            i += n;
        }
        return e != NYRT_OK ? e : push_piece(arr, "", 0);
    }
    size_t from = 0;
    for (int64_t at; e == NYRT_OK && (at = find_from(s, sep, from)) >= 0; from = (size_t)at + sep->len)
        e = push_piece(arr, s->bytes + from, (size_t)at - from);
    return e != NYRT_OK ? e : push_piece(arr, s->bytes + from, s->len - from);
}

static nyrt_err m_split(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_arr *arr = nyrt_arr_alloc(4);
    if (!arr)
        return nyrt_oom();
    nyrt_err e = split_into(arr, SELF, a[0].s);
    if (e != NYRT_OK) {
        nyrt_obj_release(&arr->h);
        return e;
    }
    nyrt_val_of_obj(arr, ret);
    return NYRT_OK;
}

/* Python str.replace: every non-overlapping occurrence, left to right; an empty `old` goes between every
 * code point and at both ends. */
static nyrt_err m_replace(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    const nyrt_str *s = SELF, *old = a[0].s, *rep = a[1].s;
    nyrt_buf b;
    nyrt_buf_init(&b);
    if (!old->len) {
        nyrt_buf_add(&b, rep->bytes, rep->len);
        for (size_t i = 0; i < s->len;) {
            uint32_t cp;
            size_t n = nyrt_utf8_decode(s->bytes, s->len, i, &cp);
            nyrt_buf_add(&b, s->bytes + i, n);
            nyrt_buf_add(&b, rep->bytes, rep->len);
            i += n;
        }
        return nyrt_buf_to_value(&b, ret);
    }
    size_t from = 0;
    for (int64_t at; (at = find_from(s, old, from)) >= 0; from = (size_t)at + old->len) {
        nyrt_buf_add(&b, s->bytes + from, (size_t)at - from);
        nyrt_buf_add(&b, rep->bytes, rep->len);
    }
    nyrt_buf_add(&b, s->bytes + from, s->len - from);
    return nyrt_buf_to_value(&b, ret);
}

/* The White_Space set of language.md 1.2 plus \n (what strings.py's TRIM_CHARS lists). */
static int is_trim_space(uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static void trim_bounds(const char *p, size_t len, size_t *from, size_t *to) {
    size_t i = 0, j = len;
    uint32_t cp;
    while (i < j) {
        size_t n = nyrt_utf8_decode(p, len, i, &cp);
        if (!is_trim_space(cp))
            break;
        i += n;
    }
    while (j > i) {
        size_t k = j - 1;
        while (k > i && ((unsigned char)p[k] & 0xC0) == 0x80)
            k--;
        nyrt_utf8_decode(p, len, k, &cp);
        if (!is_trim_space(cp))
            break;
        j = k;
    }
    *from = i;
    *to = j;
}

static nyrt_err m_trim(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    size_t from, to;
    trim_bounds(SELF->bytes, SELF->len, &from, &to);
    return ret_str(SELF->bytes + from, to - from, ret);
}

static nyrt_err m_to_upper(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    nyrt_buf b;
    nyrt_buf_init(&b);
    nyrt_unicase_upper(&b, SELF->bytes, SELF->len);
    return nyrt_buf_to_value(&b, ret);
}

static nyrt_err m_to_lower(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    nyrt_buf b;
    nyrt_buf_init(&b);
    nyrt_unicase_lower(&b, SELF->bytes, SELF->len);
    return nyrt_buf_to_value(&b, ret);
}

/* `[+-]?[0-9]+` (ASCII digits) within the Int range, as numeric.parse_i64; 0 when it does not match. */
static int parse_i64(const char *p, size_t len, int64_t *out) {
    size_t i = 0;
    int neg = 0;
    if (i < len && (p[i] == '+' || p[i] == '-'))
        neg = p[i++] == '-';
    if (i == len)
        return 0;
    uint64_t mag = 0, limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    for (; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        unsigned d = (unsigned)(p[i] - '0');
        if (mag > (limit - d) / 10)
            return 0;
        mag = mag * 10 + d;
    }
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return 1;
}

static nyrt_err m_to_integer(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    size_t from, to;
    int64_t n = 0;
    trim_bounds(SELF->bytes, SELF->len, &from, &to);
    if (!parse_i64(SELF->bytes + from, to - from, &n))
        n = 0;
    return ret_int(n, ret);
}

static nyrt_err m_concat(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_buf b;
    nyrt_buf_init(&b);
    nyrt_buf_add(&b, SELF->bytes, SELF->len);
    nyrt_buf_add(&b, a[0].s->bytes, a[0].s->len);
    return nyrt_buf_to_value(&b, ret);
}

const nyrt_method nyrt_str_methods[] = {
    {"length", "", m_length},
    {"size", "", m_length},
    {"len", "", m_length},
    {"substring", "i[i]", m_substring},
    {"get", "i", m_get},
    {"find", "s", m_find},
    {"indexOf", "s[i]", m_index_of},
    {"lastIndexOf", "s", m_last_index_of},
    {"contains", "s", m_contains},
    {"startsWith", "s", m_starts_with},
    {"endsWith", "s", m_ends_with},
    {"split", "s", m_split},
    {"replace", "ss", m_replace},
    {"trim", "", m_trim},
    {"toUpper", "", m_to_upper},
    {"toLower", "", m_to_lower},
    {"toInteger", "", m_to_integer},
    {"concat", "s", m_concat},
    {NULL, NULL, NULL},
};

/* ---- direct entries for compiled code (nyrt_exec.h): the methods above without the dispatch ------------ */
nyrt_err nyrt_x_str_substring(const nyrt_nyash_value *s, int64_t start, int64_t end, int32_t nargs,
                              nyrt_nyash_value *out) {
    nyrt_arg a[2] = {{.i = start}, {.i = end}};
    return m_substring(s, a, nargs > 1 ? 2 : 1, out);
}

int64_t nyrt_x_str_index_of(const nyrt_nyash_value *s, const nyrt_nyash_value *needle, int64_t from, int32_t nargs) {
    const nyrt_str *self = (const nyrt_str *)(uintptr_t)s->box_handle;
    int64_t start = nargs > 1 && from > 0 ? from : 0;
    if (start > (int64_t)self->len)
        return -1;
    return find_from(self, nyrt_str_of(needle), (size_t)start);
}
