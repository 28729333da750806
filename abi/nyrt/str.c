/* str.c -- String objects (immutable UTF-8, NUL-terminated, byte length and code point count kept), the
 * byte buffer every text-building function uses, and UTF-8 helpers. StringBox methods are in strmeth.c.
 */
#include <string.h>

#include "internal.h"

/* ---- UTF-8 --------------------------------------------------------------------------------------------- */
size_t nyrt_utf8_count(const char *p, size_t len) {
    /* every byte that starts a code point counts: len minus the continuation bytes (10xxxxxx), found eight
     * at a time (bit 7 set, bit 6 clear) and summed bytewise, at most 255 words per partial sum */
    const uint64_t ones = 0x0101010101010101u;
    size_t cont = 0, i = 0;
    while (len - i >= 8) {
        uint64_t acc = 0;
        size_t stop = len - i >= 8 * 255 ? i + 8 * 255 : i + ((len - i) & ~(size_t)7);
        for (; i < stop; i += 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            acc += (w & ~(w << 1)) >> 7 & ones;
        }
        cont += (size_t)(acc * ones >> 56);
    }
    for (; i < len; i++)
        cont += ((unsigned char)p[i] & 0xC0) == 0x80;
    return len - cont;
}

size_t nyrt_utf8_decode(const char *p, size_t len, size_t i, uint32_t *cp) {
    const unsigned char *s = (const unsigned char *)p + i;
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + n > len)                       /* truncated sequence: take the byte as it is */
        n = 1;
    uint32_t v = n == 1 ? c : c & (0x7Fu >> n);
    for (size_t k = 1; k < n; k++)
        v = v << 6 | (s[k] & 0x3Fu);
    *cp = v;
    return n;
}

size_t nyrt_utf8_encode(uint32_t cp, char out[4]) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t nyrt_fmt_i64(int64_t v, char out[24]) {
    char tmp[24];
    size_t n = 0, k = 0;
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0)
        out[k++] = '-';
    while (n)
        out[k++] = tmp[--n];
    out[k] = 0;
    return k;
}

uint64_t nyrt_str_hash(const char *p, size_t len) {
    uint64_t h = 0xCBF29CE484222325u;          /* FNV-1a: keys are short display strings */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001B3u;
    return h ^ h >> 29;
}

/* ---- String objects -------------------------------------------------------------------------------------- */
nyrt_str *nyrt_str_raw(size_t len) {
    if (len > SIZE_MAX - sizeof(nyrt_str) - 1)
        return NULL;
    nyrt_str *s = nyrt_mem_alloc(sizeof(nyrt_str) + len + 1);
    if (!s)
        return NULL;
    nyrt_obj_init(&s->h, NYRT_TID_STRING);
    s->len = len;
    s->hash = 0;
    s->bytes[len] = 0;
    return s;
}

nyrt_str *nyrt_str_alloc(const char *utf8, size_t len) {
    nyrt_str *s = nyrt_str_raw(len);
    if (!s)
        return NULL;
    if (len)
        memcpy(s->bytes, utf8, len);
    s->cps = nyrt_utf8_count(s->bytes, len);
    return s;
}

nyrt_err nyrt_str_take(nyrt_str *s, nyrt_nyash_value *out) {
    if (!s)
        return nyrt_oom();
    nyrt_val_of_obj(s, out);
    return NYRT_OK;
}

nyrt_err nyrt_str_new(const char *utf8, size_t len, nyrt_nyash_value *out) {
    if (!out || (!utf8 && len))
        return nyrt_fail(NYRT_E_ARG, "nyrt_str_new: NULL argument");
    return nyrt_str_take(nyrt_str_alloc(utf8, len), out);
}

nyrt_err nyrt_str_lit(const char *text, nyrt_nyash_value *out) {
    return nyrt_str_take(nyrt_str_alloc(text, strlen(text)), out);
}

nyrt_err nyrt_str_view(const nyrt_nyash_value *s, const char **utf8, size_t *len) {
    nyrt_str *str = nyrt_str_of(s);
    if (!str)
        return nyrt_fail(NYRT_E_TYPE, "expected a StringBox, got %s", s ? nyrt_val_type_name(s) : "NULL");
    if (utf8)
        *utf8 = str->bytes;
    if (len)
        *len = str->len;
    return NYRT_OK;
}

/* The display text of a value whose display is a single leaf: points *p at it (a String's own bytes, else
 * text in `room`), sets *cps; 0 for anything else (containers, errors, instances, plugin values). */
static int leaf_text(const nyrt_nyash_value *v, char room[NYRT_FLOAT_TEXT], const char **p, size_t *len,
                     size_t *cps) {
    const nyrt_str *s;
    switch (nyrt_kind_of(v)) {
    case NYRT_TID_STRING:
        s = (const nyrt_str *)(uintptr_t)v->box_handle;
        *p = s->bytes;
        *len = s->len;
        *cps = s->cps;
        return 1;
    case NYRT_TID_INTEGER:
        *len = nyrt_fmt_i64((int64_t)v->box_handle, room);
        break;
    case NYRT_TID_FLOAT:
        *len = nyrt_disp_float(nyrt_val_as_float_raw(v), room);
        break;
    default:
        return 0;
    }
    *p = room;
    *cps = *len;                              /* digits, '.', '-', "NaN", "inf": ASCII */
    return 1;
}

nyrt_err nyrt_str_concat(const nyrt_nyash_value *a, const nyrt_nyash_value *b, nyrt_nyash_value *out) {
    char ra[NYRT_FLOAT_TEXT], rb[NYRT_FLOAT_TEXT];
    const char *pa, *pb;
    size_t la, lb, ca, cb;
    if (leaf_text(a, ra, &pa, &la, &ca) && leaf_text(b, rb, &pb, &lb, &cb)) {
        nyrt_str *s = la + lb >= la ? nyrt_str_raw(la + lb) : NULL;
        if (!s)
            return nyrt_oom();
        memcpy(s->bytes, pa, la);
        memcpy(s->bytes + la, pb, lb);
        s->cps = ca + cb;
        nyrt_val_of_obj(s, out);
        return NYRT_OK;
    }
    nyrt_buf buf;
    nyrt_buf_init(&buf);
    nyrt_disp_append(&buf, a);   /* the `+` of language.md 6.3: display(l) + display(r) */
    nyrt_disp_append(&buf, b);
    return nyrt_buf_to_value(&buf, out);
}

/* "ok", returned by every ArrayBox mutator: one immortal String instead of an allocation per push. */
static nyrt_str *ok_string;

void nyrt_str_init_constants(void) {
    if (!ok_string && (ok_string = nyrt_str_alloc("ok", 2)) != NULL)
        ok_string->h.refcount = NYRT_IMMORTAL;
}

nyrt_err nyrt_str_ok(nyrt_nyash_value *out) {
    if (!ok_string)
        return nyrt_str_lit("ok", out);
    nyrt_val_of_obj(ok_string, out);
    return NYRT_OK;
}

/* ---- byte buffers ---------------------------------------------------------------------------------------- */
void nyrt_buf_init(nyrt_buf *b) {
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

static int buf_reserve(nyrt_buf *b, size_t extra) {
    if (b->oom)
        return 0;
    if (extra <= b->cap - b->len)
        return 1;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->oom = 1;
        return 0;
    }
    size_t cap = b->cap ? b->cap : 32;
    while (cap - b->len < extra)
        cap *= 2;
    char *p = nyrt_mem_realloc(b->p, b->cap, cap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void nyrt_buf_add(nyrt_buf *b, const char *p, size_t n) {
    if (n && buf_reserve(b, n)) {
        memcpy(b->p + b->len, p, n);
        b->len += n;
    }
}

void nyrt_buf_adds(nyrt_buf *b, const char *s) {
    nyrt_buf_add(b, s, strlen(s));
}

void nyrt_buf_free(nyrt_buf *b) {
    nyrt_mem_free(b->p, b->cap);
    nyrt_buf_init(b);
}

nyrt_str *nyrt_buf_finish(nyrt_buf *b) {
    nyrt_str *s = b->oom ? NULL : nyrt_str_alloc(b->p, b->len);
    nyrt_buf_free(b);
    return s;
}

nyrt_err nyrt_buf_to_value(nyrt_buf *b, nyrt_nyash_value *out) {
    return nyrt_str_take(nyrt_buf_finish(b), out);
}
