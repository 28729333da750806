/* toml.c -- nyash.toml v3 for native executables: nyrt_x_load_plugins (nyrt_exec.h).
 *
 * In: the path of a nyash.toml. Out: every enabled [plugins.NAME] entry loaded with nyrt_plugin_load, in the
 * file's order, checked as abi/plugins.py's load_entry checks it; or -1 and one line per problem.
 *
 * The file is read in three steps, as abi/config.py reads it, so that each message is the Python one:
 *  1. a TOML reader for the subset a config needs: comments, [a.b] and [[a.b]] headers, bare and quoted
 *     (dotted) keys, basic and literal strings (also multi-line), true/false, integers and floats (checked,
 *     their values unused), arrays, inline tables; TOML's rules on defining a key or a table twice. Dates and
 *     anything else: "FILE: invalid TOML: line N: WHAT" (Python: tomllib's message; the text differs);
 *  2. config.py's checks in its order, first problem only, same text ("FILE: [plugins.NAME]: ...");
 *  3. plugins.py's load_entry per enabled entry: core types nyrt must keep refused, replaced core types taken
 *     from nyrt first, then nyrt_plugin_load, then `types` and `abi` compared with what the library
 *     registered. A refused entry gives the line "PluginError: plugin NAME (PATH) refused: R1; R2", the
 *     message `nyash run` shows when a program uses the plugin; the other entries are still loaded.
 * FILE is the toml's absolute path with symbolic links resolved (Path.resolve()); so is each library's path,
 * relative to the toml's folder, "{ext}" replaced by so, dylib or dll.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifndef _WIN32
#include <unistd.h>
#endif

#include "nyrt_exec.h"

#if defined(__APPLE__)
#define LIB_SUFFIX "dylib"
#elif defined(_WIN32) || defined(__CYGWIN__)
#define LIB_SUFFIX "dll"
#else
#define LIB_SUFFIX "so"
#endif

#define MAX_NESTING 200          /* arrays and inline tables inside each other */

/* ---- error lines appended to the caller's buffer -------------------------------------------------------- */
static void add_line(char *err, size_t cap, const char *fmt, ...) {
    size_t used = err ? strlen(err) : 0;
    if (!err || used + 1 >= cap)
        return;
    if (used)
        err[used++] = '\n';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, cap - used, fmt, ap);
    va_end(ap);
}

/* ---- a growable string ------------------------------------------------------------------------------------- */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *p, size_t n) {
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->p, cap);
        if (!grown) {
            b->oom = 1;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_adds(sbuf *b, const char *s) {
    sb_add(b, s, strlen(s));
}

static void sb_addc(sbuf *b, char c) {
    sb_add(b, &c, 1);
}

/* ---- paths: Path.resolve() (posixpath.realpath, not strict) ------------------------------------------------- */
/* Append `rest` (a path) to `path` (an absolute path without symbolic links, "/" for the root), resolving
 * links in every component that exists; ".." drops the last component. `links` counts links followed. */
static void join_real(sbuf *path, const char *rest, int *links) {
    while (*rest) {
        const char *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        const char *name = rest;
        rest += n + (slash ? 1 : 0);
        if (n == 0 || (n == 1 && name[0] == '.'))
            continue;
        if (n == 2 && name[0] == '.' && name[1] == '.') {
            char *last = strrchr(path->p, '/');
            if (last)
                path->len = last == path->p ? 1 : (size_t)(last - path->p);
            path->p[path->len] = 0;
            continue;
        }
        size_t before = path->len;
        if (path->len > 1)
            sb_addc(path, '/');
        sb_add(path, name, n);
        if (path->oom)
            return;
#ifndef _WIN32
        struct stat st;
        if (*links < 40 && lstat(path->p, &st) == 0 && S_ISLNK(st.st_mode)) {
            char target[PATH_MAX + 1];
            ssize_t got = readlink(path->p, target, PATH_MAX);
            if (got < 0)
                continue;
            target[got] = 0;
            ++*links;
            path->len = target[0] == '/' ? 1 : before;     /* an absolute target starts again at the root */
            path->p[path->len] = 0;
            join_real(path, target, links);
        }
#endif
    }
}

/* The absolute, resolved form of `p` (malloc'd), or NULL when out of memory. */
static char *resolve_path(const char *p) {
    sbuf b = {0};
    sb_addc(&b, '/');
    int links = 0;
    if (p[0] != '/') {
#ifndef _WIN32
        char cwd[PATH_MAX + 1];
        if (getcwd(cwd, sizeof cwd))
            join_real(&b, cwd, &links);
#endif
    }
    join_real(&b, p, &links);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ---- the TOML tree --------------------------------------------------------------------------------------------- */
enum { T_STR, T_BOOL, T_NUM, T_ARRAY, T_TABLE };
#define F_HEADER 1               /* a table named by a [header] */
#define F_DOTTED 2               /* a table made by a dotted key */
#define F_FROZEN 4               /* an inline table (or a table inside one): nothing can be added */
#define F_AOT    8               /* an array made by [[header]]s */

typedef struct tnode tnode;
struct tnode {
    int kind, flags;
    char *str;                   /* T_STR: the text (NUL-terminated; len bytes) */
    size_t len;
    int boolean;
    size_t n, cap;               /* T_ARRAY: items; T_TABLE: keys and items */
    char **keys;
    size_t *klens;
    tnode **items;
};

typedef struct block {
    struct block *next;
    max_align_t data[];
} block;

typedef struct parser {
    const char *start, *p, *end;
    block *blocks;
    tnode *root, *current;
    const char *err_at;          /* where the first error is */
    char why[160];
    int failed;
} parser;

static int fail(parser *ps, const char *fmt, ...) {
    if (!ps->failed) {
        ps->failed = 1;
        ps->err_at = ps->p;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->why, sizeof ps->why, fmt, ap);
        va_end(ap);
    }
    return 0;
}

static void *alloc(parser *ps, size_t n) {
    block *b = calloc(1, sizeof *b + n);
    if (!b) {
        fail(ps, "out of memory");
        return NULL;
    }
    b->next = ps->blocks;
    ps->blocks = b;
    return b->data;
}

static void free_blocks(parser *ps) {
    while (ps->blocks) {
        block *next = ps->blocks->next;
        free(ps->blocks);
        ps->blocks = next;
    }
}

static tnode *new_node(parser *ps, int kind, int flags) {
    tnode *t = alloc(ps, sizeof *t);
    if (t) {
        t->kind = kind;
        t->flags = flags;
    }
    return t;
}

static char *copy_text(parser *ps, const char *p, size_t n) {
    char *s = alloc(ps, n + 1);
    if (s)
        memcpy(s, p, n);
    return s;
}

/* Add an item (and for a table its key); arrays grow by copying into a new arena block. */
static int add_item(parser *ps, tnode *t, char *key, size_t klen, tnode *v) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        tnode **items = alloc(ps, cap * sizeof *items);
        char **keys = alloc(ps, cap * sizeof *keys);
        size_t *klens = alloc(ps, cap * sizeof *klens);
        if (!items || !keys || !klens)
            return 0;
        if (t->n) {
            memcpy(items, t->items, t->n * sizeof *items);
            memcpy(keys, t->keys, t->n * sizeof *keys);
            memcpy(klens, t->klens, t->n * sizeof *klens);
        }
        t->items = items;
        t->keys = keys;
        t->klens = klens;
        t->cap = cap;
    }
    t->items[t->n] = v;
    t->keys[t->n] = key;
    t->klens[t->n++] = klen;
    return 1;
}

static tnode *get(const tnode *t, const char *key, size_t klen) {
    for (size_t i = 0; t && t->kind == T_TABLE && i < t->n; i++)
        if (t->klens[i] == klen && memcmp(t->keys[i], key, klen) == 0)
            return t->items[i];
    return NULL;
}

static tnode *get_s(const tnode *t, const char *key) {
    return get(t, key, strlen(key));
}

/* ---- lexing ------------------------------------------------------------------------------------------------------ */
static int at_end(parser *ps) {
    return ps->p >= ps->end;
}

static int peek(parser *ps, size_t ahead) {
    return ps->p + ahead < ps->end ? (unsigned char)ps->p[ahead] : -1;
}

static int starts(parser *ps, const char *s) {
    size_t n = strlen(s);
    return (size_t)(ps->end - ps->p) >= n && memcmp(ps->p, s, n) == 0;
}

static int is_control(int c) {          /* what TOML allows nowhere but as a newline (tab is fine) */
    return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

static void skip_ws(parser *ps) {
    while (!at_end(ps) && (*ps->p == ' ' || *ps->p == '\t'))
        ps->p++;
}

static int skip_comment(parser *ps) {
    if (peek(ps, 0) != '#')
        return 1;
    while (!at_end(ps) && *ps->p != '\n') {
        if (*ps->p == '\r' && peek(ps, 1) == '\n')
            break;
        if (is_control((unsigned char)*ps->p))
            return fail(ps, "control character in a comment");
        ps->p++;
    }
    return 1;
}

static int newline(parser *ps) {       /* consume one "\n" or "\r\n" */
    if (peek(ps, 0) == '\n') {
        ps->p++;
        return 1;
    }
    if (peek(ps, 0) == '\r' && peek(ps, 1) == '\n') {
        ps->p += 2;
        return 1;
    }
    return 0;
}

/* Spaces, an optional comment, then the end of the line (or of the file). */
static int end_of_line(parser *ps) {
    skip_ws(ps);
    if (!skip_comment(ps))
        return 0;
    if (at_end(ps) || newline(ps))
        return 1;
    return fail(ps, "expected the end of the line, found '%c'", *ps->p);
}

/* Spaces, comments and newlines (inside arrays). */
static int skip_ws_nl(parser *ps) {
    for (;;) {
        skip_ws(ps);
        if (!skip_comment(ps))
            return 0;
        if (!newline(ps))
            return 1;
    }
}

/* ---- strings ------------------------------------------------------------------------------------------------------ */
static int hex_value(int c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void add_utf8(sbuf *b, uint32_t cp) {
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sb_add(b, out, n);
}

/* One escape after the backslash (ps->p at the letter). */
static int escape(parser *ps, sbuf *b) {
    int c = peek(ps, 0);
    const char *simple = c == 'b' ? "\b" : c == 't' ? "\t" : c == 'n' ? "\n" : c == 'f' ? "\f" : c == 'r' ? "\r"
                       : c == '"' ? "\"" : c == '\\' ? "\\" : NULL;
    if (simple) {
        sb_addc(b, simple[0]);
        ps->p++;
        return 1;
    }
    if (c != 'u' && c != 'U')
        return fail(ps, "invalid escape sequence '\\%c' in a string", c < 0 ? ' ' : c);
    int digits = c == 'u' ? 4 : 8;
    uint32_t cp = 0;
    for (int i = 1; i <= digits; i++) {
        int h = hex_value(peek(ps, (size_t)i));
        if (h < 0)
            return fail(ps, "\\%c needs %d hexadecimal digits", c, digits);
        cp = cp * 16 + (uint32_t)h;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return fail(ps, "escaped character is not a Unicode scalar value");
    ps->p += 1 + digits;
    add_utf8(b, cp);
    return 1;
}

/* A string of any of the four kinds at ps->p (the opening quote); the text into b. */
static int string(parser *ps, sbuf *b) {
    char quote = *ps->p;
    int multi = starts(ps, quote == '"' ? "\"\"\"" : "'''");
    ps->p += multi ? 3 : 1;
    if (multi)
        newline(ps);                    /* a newline right after the opening quotes is not part of it */
    for (;;) {
        if (at_end(ps))
            return fail(ps, "unterminated string");
        int c = (unsigned char)*ps->p;
        if (c == (unsigned char)quote) {
            if (!multi) {
                ps->p++;
                return 1;
            }
            size_t run = 0;
            while (peek(ps, run) == quote)
                run++;
            if (run >= 3) {
                if (run > 5)
                    return fail(ps, "too many quotes at the end of a multi-line string");
                sb_add(b, ps->p, run - 3);  /* up to two quotes belong to the text */
                ps->p += run;
                return 1;
            }
            sb_add(b, ps->p, run);
            ps->p += run;
            continue;
        }
        if (c == '\\' && quote == '"') {
            ps->p++;
            if (multi) {                /* a line-ending backslash: drop the whitespace and newlines after it */
                const char *save = ps->p;
                skip_ws(ps);
                if (newline(ps)) {
                    for (;;) {
                        skip_ws(ps);
                        if (!newline(ps))
                            break;
                    }
                    continue;
                }
                ps->p = save;
            }
            if (!escape(ps, b))
                return 0;
            continue;
        }
        if (c == '\n' || (c == '\r' && peek(ps, 1) == '\n')) {
            if (!multi)
                return fail(ps, "unterminated string");
            sb_adds(b, "\n");
            newline(ps);
            continue;
        }
        if (is_control(c))
            return fail(ps, "control character in a string");
        sb_addc(b, (char)c);
        ps->p++;
    }
}

/* ---- keys --------------------------------------------------------------------------------------------------------- */
typedef struct keypath {
    char *part[64];
    size_t len[64];
    size_t n;
} keypath;

static int is_bare(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int key_part(parser *ps, char **out, size_t *len) {
    int c = peek(ps, 0);
    if (c == '"' || c == '\'') {
        if (starts(ps, "\"\"\"") || starts(ps, "'''"))
            return fail(ps, "a key cannot be a multi-line string");
        sbuf b = {0};
        int ok = string(ps, &b);
        if (ok && b.oom)
            ok = fail(ps, "out of memory");
        if (ok) {
            *len = b.len;
            *out = copy_text(ps, b.p ? b.p : "", b.len);
            ok = *out != NULL;
        }
        free(b.p);
        return ok;
    }
    const char *begin = ps->p;
    while (!at_end(ps) && is_bare((unsigned char)*ps->p))
        ps->p++;
    if (ps->p == begin)
        return at_end(ps) || *ps->p == '\n' || *ps->p == '\r' ? fail(ps, "expected a key")
                                                             : fail(ps, "invalid character '%c' in a key", *ps->p);
    *len = (size_t)(ps->p - begin);
    *out = copy_text(ps, begin, *len);
    return *out != NULL;
}

static int key(parser *ps, keypath *k) {
    k->n = 0;
    for (;;) {
        skip_ws(ps);
        if (k->n == sizeof k->part / sizeof k->part[0])
            return fail(ps, "key has too many parts");
        if (!key_part(ps, &k->part[k->n], &k->len[k->n]))
            return 0;
        k->n++;
        skip_ws(ps);
        if (peek(ps, 0) != '.')
            return 1;
        ps->p++;
    }
}

static void key_text(const keypath *k, size_t upto, char *out, size_t cap) {
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < upto && used + 1 < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "." : "", k->part[i]);
}

/* ---- values ------------------------------------------------------------------------------------------------------- */
static tnode *value(parser *ps, int depth);

/* Put `v` under the dotted key k in table t: intermediate tables are made (or must be tables made the same
 * way); the last part must be new. */
static int put_dotted(parser *ps, tnode *t, const keypath *k, tnode *v, int flags) {
    char name[256];
    for (size_t i = 0; i + 1 < k->n; i++) {
        tnode *child = get(t, k->part[i], k->len[i]);
        if (!child) {
            child = new_node(ps, T_TABLE, F_DOTTED | flags);
            if (!child || !add_item(ps, t, k->part[i], k->len[i], child))
                return 0;
        } else if (child->kind != T_TABLE || (child->flags & (F_FROZEN | F_HEADER))) {
            key_text(k, i + 1, name, sizeof name);
            return fail(ps, "cannot add keys to '%s': it is already defined", name);
        }
        child->flags |= F_DOTTED;       /* no [header] may name it from now on */
        t = child;
    }
    if (get(t, k->part[k->n - 1], k->len[k->n - 1])) {
        key_text(k, k->n, name, sizeof name);
        return fail(ps, "key '%s' is defined twice", name);
    }
    return add_item(ps, t, k->part[k->n - 1], k->len[k->n - 1], v);
}

static void freeze(tnode *t) {
    t->flags |= F_FROZEN;
    for (size_t i = 0; i < t->n; i++)
        if (t->items[i]->kind == T_TABLE && !(t->items[i]->flags & F_FROZEN))
            freeze(t->items[i]);
}

static tnode *array(parser *ps, int depth) {
    tnode *a = new_node(ps, T_ARRAY, F_FROZEN);
    ps->p++;
    for (;;) {
        if (!a || !skip_ws_nl(ps))
            return NULL;
        if (peek(ps, 0) == ']')
            break;
        tnode *item = value(ps, depth + 1);
        if (!item || !add_item(ps, a, NULL, 0, item) || !skip_ws_nl(ps))
            return NULL;
        if (peek(ps, 0) == ',') {
            ps->p++;
            continue;
        }
        if (peek(ps, 0) != ']') {
            fail(ps, at_end(ps) ? "unterminated array" : "expected ',' or ']' in an array");
            return NULL;
        }
        break;
    }
    ps->p++;
    return a;
}

static tnode *inline_table(parser *ps, int depth) {
    tnode *t = new_node(ps, T_TABLE, 0);
    ps->p++;
    skip_ws(ps);
    if (t && peek(ps, 0) == '}') {
        ps->p++;
        t->flags |= F_FROZEN;
        return t;
    }
    while (t) {
        keypath k;
        if (!key(ps, &k))
            return NULL;
        if (peek(ps, 0) != '=') {
            fail(ps, "expected '=' after a key in an inline table");
            return NULL;
        }
        ps->p++;
        skip_ws(ps);
        tnode *v = value(ps, depth + 1);
        if (!v || !put_dotted(ps, t, &k, v, 0))
            return NULL;
        skip_ws(ps);
        if (peek(ps, 0) == ',') {
            ps->p++;
            continue;
        }
        if (peek(ps, 0) != '}') {
            fail(ps, "expected ',' or '}' in an inline table");
            return NULL;
        }
        ps->p++;
        freeze(t);
        return t;
    }
    return NULL;
}

/* digits with single underscores between them; `hex` allows a-f */
static int digits(const char **s, const char *end, int base) {
    const char *p = *s;
    int any = 0;
    while (p < end) {
        int c = (unsigned char)*p, d = hex_value(c);
        if (d >= 0 && d < base) {
            any = 1;
            p++;
        } else if (c == '_' && any && p + 1 < end && hex_value((unsigned char)p[1]) >= 0
                   && hex_value((unsigned char)p[1]) < base) {
            p++;
        } else {
            break;
        }
    }
    *s = p;
    return any;
}

/* An integer or a float (checked; the value is never needed). Dates and times are not supported. */
static tnode *number(parser *ps) {
    const char *begin = ps->p, *end = ps->p;
    while (end < ps->end && (is_bare((unsigned char)*end) || *end == '+' || *end == '.' || *end == ':'))
        end++;
    const char *p = begin;
    size_t n = (size_t)(end - begin);
    for (const char *q = begin; q < end; q++)
        if (*q == ':' || (q - begin == 4 && *q == '-' && n >= 10)) {
            fail(ps, "dates and times are not supported in nyash.toml");
            return NULL;
        }
    int ok = 0;
    if (*p == '+' || *p == '-')
        p++;
    if (end - p == 3 && (memcmp(p, "inf", 3) == 0 || memcmp(p, "nan", 3) == 0)) {
        ok = 1;
        p = end;
    } else if (p == begin && end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b')) {
        int base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2;
        p += 2;
        ok = digits(&p, end, base);
    } else {
        const char *int_start = p;
        ok = digits(&p, end, 10);
        if (ok && *int_start == '0' && p - int_start > 1)
            ok = 0;                     /* no leading zeros */
        if (ok && p < end && *p == '.') {
            p++;
            ok = digits(&p, end, 10);
        }
        if (ok && p < end && (*p == 'e' || *p == 'E')) {
            p++;
            if (p < end && (*p == '+' || *p == '-'))
                p++;
            ok = digits(&p, end, 10);
        }
    }
    if (!ok || p != end) {
        fail(ps, "invalid value");
        return NULL;
    }
    ps->p = end;
    return new_node(ps, T_NUM, 0);
}

static tnode *value(parser *ps, int depth) {
    if (depth > MAX_NESTING) {
        fail(ps, "arrays or inline tables nested too deeply");
        return NULL;
    }
    int c = peek(ps, 0);
    if (c == '"' || c == '\'') {
        sbuf b = {0};
        tnode *t = NULL;
        if (string(ps, &b)) {
            if (b.oom)
                fail(ps, "out of memory");
            else if ((t = new_node(ps, T_STR, 0)) != NULL) {
                t->len = b.len;
                t->str = copy_text(ps, b.p ? b.p : "", b.len);
                if (!t->str)
                    t = NULL;
            }
        }
        free(b.p);
        return t;
    }
    if (c == '[')
        return array(ps, depth);
    if (c == '{')
        return inline_table(ps, depth);
    if (starts(ps, "true") || starts(ps, "false")) {
        int truth = c == 't';
        size_t n = truth ? 4 : 5;
        if (!is_bare(peek(ps, n))) {
            tnode *t = new_node(ps, T_BOOL, 0);
            if (t) {
                t->boolean = truth;
                ps->p += n;
            }
            return t;
        }
    }
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'i' || c == 'n')
        return number(ps);
    fail(ps, at_end(ps) || c == '\n' || c == '\r' ? "expected a value" : "invalid value");
    return NULL;
}

/* ---- statements ------------------------------------------------------------------------------------------------- */
static int header(parser *ps) {
    int aot = starts(ps, "[[");
    ps->p += aot ? 2 : 1;
    keypath k;
    if (!key(ps, &k))
        return 0;
    if (!(aot ? starts(ps, "]]") : starts(ps, "]")))
        return fail(ps, aot ? "expected ']]' at the end of an array-of-tables header" : "expected ']' at the end of a table header");
    ps->p += aot ? 2 : 1;
    char name[256];
    tnode *t = ps->root;
    for (size_t i = 0; i + 1 < k.n; i++) {
        tnode *child = get(t, k.part[i], k.len[i]);
        if (!child) {
            child = new_node(ps, T_TABLE, 0);
            if (!child || !add_item(ps, t, k.part[i], k.len[i], child))
                return 0;
        } else if (child->kind == T_ARRAY && (child->flags & F_AOT)) {
            child = child->items[child->n - 1];
        }
        if (child->kind != T_TABLE || (child->flags & F_FROZEN)) {
            key_text(&k, i + 1, name, sizeof name);
            return fail(ps, "cannot add a table to '%s': it is already defined", name);
        }
        t = child;
    }
    const char *last = k.part[k.n - 1];
    size_t last_len = k.len[k.n - 1];
    tnode *found = get(t, last, last_len);
    key_text(&k, k.n, name, sizeof name);
    if (aot) {
        if (!found) {
            found = new_node(ps, T_ARRAY, F_AOT);
            if (!found || !add_item(ps, t, (char *)last, last_len, found))
                return 0;
        } else if (found->kind != T_ARRAY || !(found->flags & F_AOT)) {
            return fail(ps, "cannot define '%s' as an array of tables: it is already defined", name);
        }
        tnode *table = new_node(ps, T_TABLE, F_HEADER);
        if (!table || !add_item(ps, found, NULL, 0, table))
            return 0;
        ps->current = table;
        return 1;
    }
    if (!found) {
        found = new_node(ps, T_TABLE, F_HEADER);
        if (!found || !add_item(ps, t, (char *)last, last_len, found))
            return 0;
    } else if (found->kind != T_TABLE || (found->flags & (F_HEADER | F_DOTTED | F_FROZEN))) {
        return fail(ps, "table '%s' is defined twice", name);
    } else {
        found->flags |= F_HEADER;
    }
    ps->current = found;
    return 1;
}

static int key_value(parser *ps) {
    keypath k;
    if (!key(ps, &k))
        return 0;
    if (peek(ps, 0) != '=')
        return fail(ps, "expected '=' after a key");
    ps->p++;
    skip_ws(ps);
    tnode *v = value(ps, 0);
    return v && put_dotted(ps, ps->current, &k, v, 0);
}

/* The byte offset of the first invalid UTF-8 sequence, or -1. */
static long invalid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!len || i + len > n || (len == 2 && c < 0xC2))
            return (long)i;
        uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return (long)i;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return (long)i;
        i += len;
    }
    return -1;
}

/* Parse the whole text; 0 with ps->why on failure. */
static int parse(parser *ps, const char *text, size_t n) {
    ps->start = ps->p = text;
    ps->end = text + n;
    ps->root = ps->current = new_node(ps, T_TABLE, F_HEADER);
    if (!ps->root)
        return 0;
    long bad = invalid_utf8((const unsigned char *)text, n);
    if (bad >= 0) {
        ps->p = text + bad;
        return fail(ps, "the file is not valid UTF-8");
    }
    while (!at_end(ps)) {
        skip_ws(ps);
        int c = peek(ps, 0);
        int ok = c == '[' ? header(ps) : c == '#' || c == '\n' || c == '\r' || c < 0 ? 1 : key_value(ps);
        if (!ok || !end_of_line(ps))
            return 0;
    }
    return 1;
}

static int error_line(const parser *ps) {
    int line = 1;
    for (const char *q = ps->start; q < ps->err_at && q < ps->end; q++)
        line += *q == '\n';
    if (ps->err_at >= ps->end && ps->end > ps->start && ps->end[-1] == '\n')
        line--;                         /* at the end of the file: its last line */
    return line;
}

/* ---- config.py's checks ------------------------------------------------------------------------------------------- */
static const char *const ENTRY_KEYS[] = {"abi", "enabled", "path", "symbols", "types"};   /* sorted */
static const char *const ABI_KINDS[] = {"c", "nyash", "unified"};
static const char *const NOT_REPLACEABLE[] = {"Integer", "Float", "Bool", "Null", "Void", "String", "Array",
                                              "Result", "Error"};
#define CORE_PREFIX "nyash.core."
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct entry {
    const char *name;
    const char *written;         /* path as written */
    char *path;                  /* resolved (malloc'd) */
    const char *abi;
    const char **types;          /* in the file's order */
    size_t ntypes;
    const char *init, *boxes;    /* NULL: the default symbol */
    int enabled;
} entry;

/* The Python string order of key names (code points; byte order of UTF-8 is the same). */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int c = memcmp(a, b, n);
    return c ? c : alen < blen ? -1 : alen > blen;
}

/* The smallest key of t not in `allowed`, or NULL. */
static const char *unknown_key(const tnode *t, const char *const *allowed, size_t nallowed) {
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < t->n; i++) {
        int known = 0;
        for (size_t k = 0; k < nallowed; k++)
            known |= t->klens[i] == strlen(allowed[k]) && memcmp(t->keys[i], allowed[k], t->klens[i]) == 0;
        if (!known && (!best || key_cmp(t->keys[i], t->klens[i], best, best_len) < 0)) {
            best = t->keys[i];
            best_len = t->klens[i];
        }
    }
    return best;
}

static int nonempty_string(const tnode *v) {
    return v && v->kind == T_STR && v->len > 0;
}

static int is_core(const char *name) {
    size_t n = strlen(CORE_PREFIX);
    return strncmp(name, CORE_PREFIX, n) == 0 && !strchr(name + n, '.');
}

static int replaceable(const char *name) {
    if (!is_core(name))
        return 1;
    for (size_t i = 0; i < COUNT(NOT_REPLACEABLE); i++)
        if (strcmp(name + strlen(CORE_PREFIX), NOT_REPLACEABLE[i]) == 0)
            return 0;
    return 1;
}

/* `written` with every "{ext}" replaced, relative to dir (unless absolute), resolved; NULL on OOM. */
static char *library_path(const char *dir, const char *written) {
    sbuf b = {0};
    if (written[0] != '/') {
        sb_adds(&b, dir);
        sb_addc(&b, '/');
    }
    for (const char *p = written; *p;) {
        if (strncmp(p, "{ext}", 5) == 0) {
            sb_adds(&b, LIB_SUFFIX);
            p += 5;
        } else {
            sb_addc(&b, *p++);
        }
    }
    char *resolved = b.oom ? NULL : resolve_path(b.p);
    free(b.p);
    return resolved;
}

#define CHECK(cond, ...) do { if (!(cond)) { snprintf(msg, cap, __VA_ARGS__); return 0; } } while (0)

/* One [plugins.NAME] table as config.py's _entry reads it; 0 with the message in msg. */
static int read_entry(const char *file, const char *dir, const char *name, const tnode *body, entry *e,
                      parser *ps, char *msg, size_t cap) {
    char where[1024];
    snprintf(where, sizeof where, "%s: [plugins.%s]", file, name);
    CHECK(body->kind == T_TABLE, "%s must be a table", where);
    const char *unknown = unknown_key(body, ENTRY_KEYS, COUNT(ENTRY_KEYS));
    CHECK(!unknown, "%s: unknown key '%s' (expected abi, enabled, path, symbols, types)", where, unknown);
    const tnode *path = get_s(body, "path"), *abi = get_s(body, "abi");
    CHECK(nonempty_string(path), "%s: path must be a non-empty string", where);
    CHECK(nonempty_string(abi), "%s: abi must be a non-empty string", where);
    int known_abi = 0;
    for (size_t i = 0; i < COUNT(ABI_KINDS); i++)
        known_abi |= strcmp(abi->str, ABI_KINDS[i]) == 0;
    CHECK(known_abi, "%s: abi must be one of c, nyash, unified, not '%s'", where, abi->str);
    const tnode *enabled = get_s(body, "enabled");
    CHECK(!enabled || enabled->kind == T_BOOL, "%s: enabled must be true or false", where);
    const tnode *symbols = get_s(body, "symbols");
    e->init = e->boxes = NULL;
    if (symbols) {
        static const char *const SYMBOL_KEYS[] = {"boxes", "init"};
        CHECK(symbols->kind == T_TABLE, "%s: symbols must be a table (symbols.init, symbols.boxes)", where);
        unknown = unknown_key(symbols, SYMBOL_KEYS, COUNT(SYMBOL_KEYS));
        CHECK(!unknown, "%s: unknown key 'symbols.%s' (expected symbols.init, symbols.boxes)", where, unknown);
        const tnode *init = get_s(symbols, "init"), *boxes = get_s(symbols, "boxes");
        CHECK(!init || nonempty_string(init), "%s: init must be a non-empty string", where);
        CHECK(!boxes || nonempty_string(boxes), "%s: boxes must be a non-empty string", where);
        e->init = init ? init->str : NULL;
        e->boxes = boxes ? boxes->str : NULL;
    }
    const tnode *types = get_s(body, "types");
    int good = types && types->kind == T_ARRAY && types->n > 0;
    for (size_t i = 0; good && i < types->n; i++)
        good = nonempty_string(types->items[i]);
    CHECK(good, "%s: types must be a non-empty list of type names", where);
    for (size_t i = 0; i < types->n; i++)
        for (size_t k = 0; k < i; k++)
            CHECK(key_cmp(types->items[i]->str, types->items[i]->len, types->items[k]->str, types->items[k]->len),
                  "%s: types lists a name twice", where);
    e->types = alloc(ps, types->n * sizeof *e->types);
    CHECK(e->types, "%s: out of memory", file);
    for (size_t i = 0; i < types->n; i++)
        e->types[i] = types->items[i]->str;
    e->ntypes = types->n;
    e->name = name;
    e->written = path->str;
    e->abi = abi->str;
    e->enabled = !enabled || enabled->boolean;
    e->path = library_path(dir, path->str);
    CHECK(e->path, "%s: out of memory", file);
    return 1;
}

/* ---- plugins.py's load_entry -------------------------------------------------------------------------------------- */
static int str_less(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_names(sbuf *b, const char **names, size_t n) {   /* "[a, b]" sorted */
    const char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted) {
        b->oom = 1;
        return;
    }
    memcpy(sorted, names, n * sizeof *names);
    qsort(sorted, n, sizeof *sorted, str_less);
    sb_addc(b, '[');
    for (size_t i = 0; i < n; i++) {
        sb_adds(b, i ? ", " : "");
        sb_adds(b, sorted[i]);
    }
    sb_addc(b, ']');
    free(sorted);
}

static void problem(sbuf *problems, const char *text, size_t n) {
    if (problems->len)
        sb_adds(problems, "; ");
    sb_add(problems, text, n);
}

static const char *kind_name(uint32_t kind, char *buf, size_t cap) {
    if (kind >= 1 && kind <= 3)
        return ABI_KINDS[kind - 1];
    snprintf(buf, cap, "%u", (unsigned)kind);
    return buf;
}

/* Load one entry; 1 when loaded, else 0 with its refusal appended to err. */
static int load_entry(const entry *e, char *err, size_t cap) {
    sbuf problems = {0};
    for (size_t i = 0; i < e->ntypes; i++)
        if (!replaceable(e->types[i])) {
            char line[600];
            int n = snprintf(line, sizeof line, "%s: a plugin cannot supply this core type (nyrt makes its values itself)",
                             e->types[i]);
            problem(&problems, line, n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        }
    int32_t id = -1;
    if (!problems.len) {
        for (size_t i = 0; i < e->ntypes; i++) {
            uint64_t key = nyrt_fast_key(e->types[i]);
            if (is_core(e->types[i]) && nyrt_tb_owner(key) == -1)
                nyrt_tb_unregister(key);
        }
        char why[8192];
        id = nyrt_plugin_load(e->path, e->init, e->boxes, why, sizeof why);
        if (id < 0) {
            size_t plen = strlen(e->path);
            for (char *line = why; *line;) {       /* nyrt's lines "PATH: REASON", the path dropped */
                char *next = strchr(line, '\n');
                size_t n = next ? (size_t)(next - line) : strlen(line);
                if (n) {
                    int prefixed = n >= plen + 2 && strncmp(line, e->path, plen) == 0 && line[plen] == ':' && line[plen + 1] == ' ';
                    problem(&problems, line + (prefixed ? plen + 2 : 0), n - (prefixed ? plen + 2 : 0));
                }
                line += n + (next ? 1 : 0);
            }
            if (!problems.len)
                problem(&problems, "cannot load", 11);
            nyrt_tb_restore_core();
        } else {
            size_t count = nyrt_plugin_type_count(id);
            const char **reported = malloc((count ? count : 1) * sizeof *reported);
            if (!reported) {
                problem(&problems, "out of memory", 13);
                count = 0;
            }
            for (size_t i = 0; i < count; i++)
                reported[i] = nyrt_plugin_type(id, i)->name;
            int same = 1;                                   /* set(reported) == set(types) */
            for (size_t i = 0; same && i < count; i++) {
                int found = 0;
                for (size_t k = 0; k < e->ntypes; k++)
                    found |= strcmp(reported[i], e->types[k]) == 0;
                same = found;
            }
            for (size_t k = 0; same && reported && k < e->ntypes; k++) {
                int found = 0;
                for (size_t i = 0; i < count; i++)
                    found |= strcmp(reported[i], e->types[k]) == 0;
                same = found;
            }
            if (!same) {
                sbuf line = {0};
                sb_adds(&line, "types mismatch: nyash.toml lists ");
                add_names(&line, e->types, e->ntypes);
                sb_adds(&line, ", the library reports ");
                add_names(&line, reported, count);
                if (line.oom)
                    problem(&problems, "out of memory", 13);
                else
                    problem(&problems, line.p, line.len);
                free(line.p);
            }
            for (size_t i = 0; i < count; i++) {
                char buf[16], line[600];
                const char *kind = kind_name(nyrt_plugin_type(id, i)->abi_kind, buf, sizeof buf);
                if (strcmp(kind, e->abi) != 0) {
                    int n = snprintf(line, sizeof line, "%s: abi mismatch (nyash.toml says %s, the TypeBox is %s)",
                                     reported[i], e->abi, kind);
                    problem(&problems, line, n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
                }
            }
            free(reported);
            if (problems.len || problems.oom) {
                nyrt_plugin_unload(id, why, sizeof why);    /* nothing can be live yet */
                nyrt_tb_restore_core();
            }
        }
    }
    int ok = id >= 0 && !problems.len && !problems.oom;
    if (!ok)
        add_line(err, cap, "PluginError: plugin %s (%s) refused: %s", e->name, e->path,
                 problems.oom ? "out of memory" : problems.p);
    free(problems.p);
    return ok;
}

/* ---- the API ----------------------------------------------------------------------------------------------------- */
static char *read_file(const char *path, size_t *len, int *error) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        *error = errno;
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        *error = EISDIR;
        return NULL;
    }
    sbuf b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_add(&b, chunk, got);
    int failed = ferror(f);
    *error = failed ? (errno ? errno : EIO) : b.oom ? ENOMEM : 0;
    fclose(f);
    if (*error) {
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p ? b.p : calloc(1, 1);
}

int32_t nyrt_x_load_plugins(const char *toml_path, char *err, size_t cap) {
    if (err && cap)
        err[0] = 0;
    nyrt_init();
    char *file = resolve_path(toml_path ? toml_path : "");
    if (!file) {
        add_line(err, cap, "%s: out of memory", toml_path ? toml_path : "");
        return -1;
    }
    size_t len = 0;
    int error = 0;
    char *text = read_file(file, &len, &error);
    if (!text) {
        add_line(err, cap, "%s: cannot read: %s", file, strerror(error ? error : ENOMEM));
        free(file);
        return -1;
    }
    parser ps = {0};
    entry *entries = NULL;
    size_t nentries = 0;
    int32_t result = -1;
    char msg[2048];
    if (!parse(&ps, text, len)) {
        add_line(err, cap, "%s: invalid TOML: line %d: %s", file, error_line(&ps), ps.why);
        goto done;
    }
    const tnode *plugins = get_s(ps.root, "plugins");
    if (plugins && plugins->kind != T_TABLE) {
        add_line(err, cap, "%s: 'plugins' must be a table of [plugins.NAME] tables", file);
        goto done;
    }
    /* the folder of the file: library paths are relative to it */
    char *slash = strrchr(file, '/');
    char dir[PATH_MAX + 1];
    size_t dlen = slash && slash != file ? (size_t)(slash - file) : 1;
    snprintf(dir, sizeof dir, "%.*s", (int)dlen, file);
    size_t count = plugins ? plugins->n : 0;
    entries = calloc(count ? count : 1, sizeof *entries);
    if (!entries) {
        add_line(err, cap, "%s: out of memory", file);
        goto done;
    }
    for (; nentries < count; nentries++)
        if (!read_entry(file, dir, plugins->keys[nentries], plugins->items[nentries], &entries[nentries], &ps,
                        msg, sizeof msg)) {
            add_line(err, cap, "%s", msg);
            goto done;
        }
    int32_t loaded = 0, refused = 0;
    for (size_t i = 0; i < nentries; i++)
        if (entries[i].enabled) {
            if (load_entry(&entries[i], err, cap))
                loaded++;
            else
                refused++;
        }
    result = refused ? -1 : loaded;
done:
    for (size_t i = 0; i < nentries; i++)
        free(entries[i].path);
    free(entries);
    free_blocks(&ps);
    free(text);
    free(file);
    return result;
}
