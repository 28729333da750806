/* meta.c -- the TypeBox metadata JSON (abi.md section 3): a strict validator plus the fields nyrt reads,
 * `"methods": {"name/arity": {"ret": "...", "args": [...]}}`, `"birth_arity": [..]` and `"singleton": bool`.
 * ("args" is our extension for the C-ABI bridge: which arguments travel as "nyash.core.Any", see dispatch.c.)
 *
 * In: the plugin's bytes (not necessarily NUL-terminated). Out: an nyrt_meta owned by the registry.
 * Registry bookkeeping uses plain malloc, not the counting nyrt_mem_*, so that the leak counters measure
 * values only.
 */
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"

/* Cache of nyrt_meta_find (below). */
static _Atomic uint64_t generation = 1;    /* bumped when any metadata is freed: old hits go stale */
static _Thread_local uint64_t last_generation;
static _Thread_local const nyrt_meta *last_meta;
static _Thread_local uint64_t last_id;
static _Thread_local const nyrt_meta_method *last_hit;

#define MAX_DEPTH 64

typedef struct parser {
    const char *p, *end;
    const char *start;
    char *err;
    size_t cap;
    int depth;
} parser;

static nyrt_err fail(parser *ps, const char *fmt, ...) {
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (ps->err && ps->cap)
        snprintf(ps->err, ps->cap, "%s at byte %ld", what, (long)(ps->p - ps->start));
    return NYRT_E_ARG;
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int peek(parser *ps) {
    skip_ws(ps);
    return ps->p < ps->end ? (unsigned char)*ps->p : -1;
}

static int eat(parser *ps, char c) {
    if (peek(ps) != (unsigned char)c)
        return 0;
    ps->p++;
    return 1;
}

/* ---- strings: validated, and decoded into a malloc'd buffer when `out` is given ------------------- */
static int hex4(const char *s, uint32_t *v) {
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return 0;
        *v = *v << 4 | (uint32_t)d;
    }
    return 1;
}

static size_t put_utf8(char *o, uint32_t cp) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | (cp >> 6 & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static nyrt_err escape(parser *ps, char *o, size_t *n) {
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    char c = *ps->p++;
    const char *hit = c ? strchr(from, c) : NULL;
    if (hit) {
        o[(*n)++] = to[hit - from];
        return NYRT_OK;
    }
    uint32_t cp, lo;
    if (c != 'u' || ps->end - ps->p < 4 || !hex4(ps->p, &cp))
        return fail(ps, "bad escape in string");
    ps->p += 4;
    if (cp >= 0xD800 && cp < 0xDC00) {            /* a surrogate pair: the low half must follow */
        if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' || !hex4(ps->p + 2, &lo) ||
            lo < 0xDC00 || lo > 0xDFFF)
            return fail(ps, "unpaired surrogate in string");
        ps->p += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    } else if (cp >= 0xDC00 && cp < 0xE000) {
        return fail(ps, "unpaired surrogate in string");
    }
    *n += put_utf8(o + *n, cp);
    return NYRT_OK;
}

static nyrt_err string(parser *ps, char **out) {
    if (!eat(ps, '"'))
        return fail(ps, "expected a string");
    /* decoded text is never longer than the source */
    char *buf = malloc((size_t)(ps->end - ps->p) + 1);
    size_t n = 0;
    if (!buf)
        return NYRT_E_OOM;
    for (;;) {
        if (ps->p >= ps->end) {
            free(buf);
            return fail(ps, "unterminated string");
        }
        unsigned char c = (unsigned char)*ps->p++;
        if (c == '"')
            break;
        if (c < 0x20) {
            free(buf);
            return fail(ps, "control character in string");
        }
        nyrt_err e = c == '\\' ? (ps->p < ps->end ? escape(ps, buf, &n) : fail(ps, "unterminated string")) : NYRT_OK;
        if (e != NYRT_OK) {
            free(buf);
            return e;
        }
        if (c != '\\')
            buf[n++] = (char)c;
    }
    buf[n] = 0;
    if (out)
        *out = buf;
    else
        free(buf);
    return NYRT_OK;
}

/* ---- any value (validated and skipped) ------------------------------------------------------------ */
static nyrt_err value(parser *ps);

static nyrt_err number(parser *ps) {
    const char *s = ps->p;
    if (s < ps->end && *s == '-')
        s++;
    if (s >= ps->end || *s < '0' || *s > '9')
        return fail(ps, "bad number");
    if (*s == '0')
        s++;
    else
        while (s < ps->end && *s >= '0' && *s <= '9')
            s++;
    if (s < ps->end && *s == '.') {
        if (++s >= ps->end || *s < '0' || *s > '9')
            return fail(ps, "bad number");
        while (s < ps->end && *s >= '0' && *s <= '9')
            s++;
    }
    if (s < ps->end && (*s == 'e' || *s == 'E')) {
        s++;
        if (s < ps->end && (*s == '+' || *s == '-'))
            s++;
        if (s >= ps->end || *s < '0' || *s > '9')
            return fail(ps, "bad number");
        while (s < ps->end && *s >= '0' && *s <= '9')
            s++;
    }
    ps->p = s;
    return NYRT_OK;
}

static nyrt_err literal(parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail(ps, "unexpected character");
    ps->p += n;
    return NYRT_OK;
}

/* `member(ps, key, ctx)` handles one member of an object (the key decoded); NULL = validate only. */
typedef nyrt_err (*member_fn)(parser *ps, const char *key, void *ctx);

static nyrt_err object(parser *ps, member_fn member, void *ctx) {
    if (!eat(ps, '{'))
        return fail(ps, "expected an object");
    if (++ps->depth > MAX_DEPTH)
        return fail(ps, "nested too deeply");
    if (!eat(ps, '}')) {
        do {
            char *key = NULL;
            nyrt_err e = string(ps, &key);
            if (e == NYRT_OK && !eat(ps, ':'))
                e = fail(ps, "expected ':'");
            if (e == NYRT_OK)
                e = member ? member(ps, key, ctx) : value(ps);
            free(key);
            if (e != NYRT_OK)
                return e;
        } while (eat(ps, ','));
        if (!eat(ps, '}'))
            return fail(ps, "expected ',' or '}'");
    }
    ps->depth--;
    return NYRT_OK;
}

static nyrt_err array(parser *ps) {
    if (!eat(ps, '['))
        return fail(ps, "expected an array");
    if (++ps->depth > MAX_DEPTH)
        return fail(ps, "nested too deeply");
    if (!eat(ps, ']')) {
        do {
            nyrt_err e = value(ps);
            if (e != NYRT_OK)
                return e;
        } while (eat(ps, ','));
        if (!eat(ps, ']'))
            return fail(ps, "expected ',' or ']'");
    }
    ps->depth--;
    return NYRT_OK;
}

static nyrt_err value(parser *ps) {
    switch (peek(ps)) {
    case '{': return object(ps, NULL, NULL);
    case '[': return array(ps);
    case '"': return string(ps, NULL);
    case 't': return literal(ps, "true");
    case 'f': return literal(ps, "false");
    case 'n': return literal(ps, "null");
    case -1: return fail(ps, "unexpected end");
    default: return number(ps);
    }
}

/* ---- the fields nyrt reads ------------------------------------------------------------------------- */
/* "name/arity" with a canonical decimal arity, so that its hash is the method id the runtime computes */
static int method_key_ok(const char *key) {
    const char *slash = strrchr(key, '/');
    if (!slash || slash == key || !slash[1] || (slash[1] == '0' && slash[2]))
        return 0;
    for (const char *d = slash + 1; *d; d++)
        if (*d < '0' || *d > '9' || d - slash > 6)
            return 0;
    return 1;
}

/* "args": [type names]; only which positions are "nyash.core.Any" matters to the bridge */
static nyrt_err method_args(parser *ps, nyrt_meta_method *m) {
    if (!eat(ps, '['))
        return fail(ps, "\"args\" must be an array of type names");
    m->any_args = 0;
    if (eat(ps, ']'))
        return NYRT_OK;
    unsigned i = 0;
    do {
        char *name = NULL;
        if (peek(ps) != '"')
            return fail(ps, "\"args\" must be an array of type names");
        nyrt_err e = string(ps, &name);
        if (e != NYRT_OK)
            return e;
        if (i < 64 && strcmp(name, NYRT_ANY_NAME) == 0)
            m->any_args |= (uint64_t)1 << i;
        free(name);
        i++;
    } while (eat(ps, ','));
    return eat(ps, ']') ? NYRT_OK : fail(ps, "expected ',' or ']'");
}

static nyrt_err method_member(parser *ps, const char *key, void *ctx) {
    nyrt_meta_method *m = ctx;
    if (strcmp(key, "args") == 0)
        return method_args(ps, m);
    if (strcmp(key, "ret") != 0)
        return value(ps);
    if (peek(ps) == 'n')                          /* "ret": null is the same as no ret */
        return literal(ps, "null");
    free(m->ret);
    m->ret = NULL;
    if (peek(ps) != '"')
        return fail(ps, "\"ret\" must be a type name string");
    nyrt_err e = string(ps, &m->ret);
    m->ret_tid = e == NYRT_OK ? nyrt_fast_key(m->ret) : 0;
    return e;
}

static nyrt_err methods_member(parser *ps, const char *key, void *ctx) {
    nyrt_meta *meta = ctx;
    if (!method_key_ok(key))
        return fail(ps, "method key '%.60s' is not NAME/ARITY", key);
    nyrt_meta_method *grown = realloc(meta->methods, (meta->method_count + 1) * sizeof *grown);
    if (!grown)
        return NYRT_E_OOM;
    meta->methods = grown;
    nyrt_meta_method *m = &grown[meta->method_count++];
    m->key = nyrt_dup(key);
    m->id = nyrt_fast_key(key);
    m->ret = NULL;
    m->ret_tid = 0;
    m->any_args = 0;
    if (!m->key)
        return NYRT_E_OOM;
    return object(ps, method_member, m);
}

static nyrt_err birth_arity(parser *ps, nyrt_meta *meta) {
    if (!eat(ps, '['))
        return fail(ps, "\"birth_arity\" must be an array of counts");
    free(meta->birth_arity);
    meta->birth_arity = malloc(sizeof(int32_t) * (size_t)(ps->end - ps->p + 1));
    meta->birth_count = 0;
    if (!meta->birth_arity)
        return NYRT_E_OOM;
    if (eat(ps, ']'))
        return NYRT_OK;
    do {
        skip_ws(ps);
        long n = 0;
        const char *s = ps->p;
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9' && n < 1000000)
            n = n * 10 + (*ps->p++ - '0');
        if (ps->p == s || (ps->p < ps->end && (*ps->p == '.' || *ps->p == 'e' || *ps->p == 'E')))
            return fail(ps, "\"birth_arity\" must hold non-negative integers");
        meta->birth_arity[meta->birth_count++] = (int32_t)n;
    } while (eat(ps, ','));
    return eat(ps, ']') ? NYRT_OK : fail(ps, "expected ',' or ']'");
}

static nyrt_err top_member(parser *ps, const char *key, void *ctx) {
    nyrt_meta *meta = ctx;
    if (strcmp(key, "methods") == 0)
        return peek(ps) == '{' ? object(ps, methods_member, meta) : fail(ps, "\"methods\" must be an object");
    if (strcmp(key, "birth_arity") == 0)
        return birth_arity(ps, meta);
    if (strcmp(key, "singleton") == 0) {
        meta->singleton = peek(ps) == 't';
        return peek(ps) == 't' ? literal(ps, "true") : peek(ps) == 'f' ? literal(ps, "false")
                                                                     : fail(ps, "\"singleton\" must be a boolean");
    }
    return value(ps);
}

nyrt_err nyrt_meta_parse(const char *json, size_t len, nyrt_meta *out, char *err, size_t cap) {
    memset(out, 0, sizeof *out);
    if (!json || len == 0)                        /* no metadata: the same as {} */
        return NYRT_OK;
    parser ps = {json, json + len, json, err, cap, 0};
    nyrt_err e = peek(&ps) == '{' ? object(&ps, top_member, out) : fail(&ps, "the top level must be an object");
    if (e == NYRT_OK && peek(&ps) != -1)
        e = fail(&ps, "text after the object");
    if (e == NYRT_E_OOM && err && cap)
        snprintf(err, cap, "out of memory");
    if (e != NYRT_OK)
        nyrt_meta_free(out);
    return e;
}

void nyrt_meta_free(nyrt_meta *m) {
    atomic_fetch_add_explicit(&generation, 1, memory_order_acq_rel);
    for (size_t i = 0; i < m->method_count; i++) {
        free(m->methods[i].key);
        free(m->methods[i].ret);
    }
    free(m->methods);
    free(m->birth_arity);
    memset(m, 0, sizeof *m);
}

/* A call site usually repeats the same method on the same type: remember the last hit per thread (the
 * lists are short, but this lookup sits on every C-ABI bridge call). */

const nyrt_meta_method *nyrt_meta_find(const nyrt_meta *m, uint64_t method_id) {
    uint64_t now = atomic_load_explicit(&generation, memory_order_acquire);
    if (m == last_meta && method_id == last_id && last_generation == now)
        return last_hit;
    for (size_t i = 0; i < m->method_count; i++)
        if (m->methods[i].id == method_id) {
            last_meta = m, last_id = method_id, last_hit = &m->methods[i], last_generation = now;
            return last_hit;
        }
    return NULL;
}
