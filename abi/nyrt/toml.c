/* toml.c -- the TOML reader for nyash.toml (toml.h): text in, a tree out.
 *
 * In: a file's bytes. Out: nyrt_toml_parse's tree of tnodes (tables, arrays, strings, booleans; numbers only
 * as T_NUM), or 0 with the first problem in ps->why and its line from nyrt_toml_error_line. The subset a config
 * needs: comments, [a.b] and [[a.b]] headers, bare and quoted (dotted) keys, basic and literal strings (also
 * multi-line), true/false, integers and floats (checked, their values unused), arrays, inline tables; TOML's
 * rules on defining a key or a table twice. Dates and anything else are a problem (nyash_toml.c reports
 * "FILE: invalid TOML: line N: WHAT"; Python: tomllib's message, the text differs). The nodes live in the
 * parser's arena (toml_tree.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"

#define MAX_NESTING 200          /* arrays and inline tables inside each other */

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
            return nyrt_toml_fail(ps, "control character in a comment");
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
    return nyrt_toml_fail(ps, "expected the end of the line, found '%c'", *ps->p);
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
        return nyrt_toml_fail(ps, "invalid escape sequence '\\%c' in a string", c < 0 ? ' ' : c);
    int digits = c == 'u' ? 4 : 8;
    uint32_t cp = 0;
    for (int i = 1; i <= digits; i++) {
        int h = hex_value(peek(ps, (size_t)i));
        if (h < 0)
            return nyrt_toml_fail(ps, "\\%c needs %d hexadecimal digits", c, digits);
        cp = cp * 16 + (uint32_t)h;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return nyrt_toml_fail(ps, "escaped character is not a Unicode scalar value");
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
            return nyrt_toml_fail(ps, "unterminated string");
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
                    return nyrt_toml_fail(ps, "too many quotes at the end of a multi-line string");
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
                return nyrt_toml_fail(ps, "unterminated string");
            sb_adds(b, "\n");
            newline(ps);
            continue;
        }
        if (is_control(c))
            return nyrt_toml_fail(ps, "control character in a string");
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
            return nyrt_toml_fail(ps, "a key cannot be a multi-line string");
        sbuf b = {0};
        int ok = string(ps, &b);
        if (ok && b.oom)
            ok = nyrt_toml_fail(ps, "out of memory");
        if (ok) {
            *len = b.len;
            *out = nyrt_toml_copy_text(ps, b.p ? b.p : "", b.len);
            ok = *out != NULL;
        }
        free(b.p);
        return ok;
    }
    const char *begin = ps->p;
    while (!at_end(ps) && is_bare((unsigned char)*ps->p))
        ps->p++;
    if (ps->p == begin)
        return at_end(ps) || *ps->p == '\n' || *ps->p == '\r' ? nyrt_toml_fail(ps, "expected a key")
                                                              : nyrt_toml_fail(ps, "invalid character '%c' in a key", *ps->p);
    *len = (size_t)(ps->p - begin);
    *out = nyrt_toml_copy_text(ps, begin, *len);
    return *out != NULL;
}

static int key(parser *ps, keypath *k) {
    k->n = 0;
    for (;;) {
        skip_ws(ps);
        if (k->n == sizeof k->part / sizeof k->part[0])
            return nyrt_toml_fail(ps, "key has too many parts");
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
        tnode *child = nyrt_toml_get(t, k->part[i], k->len[i]);
        if (!child) {
            child = nyrt_toml_new_node(ps, T_TABLE, F_DOTTED | flags);
            if (!child || !nyrt_toml_add_item(ps, t, k->part[i], k->len[i], child))
                return 0;
        } else if (child->kind != T_TABLE || (child->flags & (F_FROZEN | F_HEADER))) {
            key_text(k, i + 1, name, sizeof name);
            return nyrt_toml_fail(ps, "cannot add keys to '%s': it is already defined", name);
        }
        child->flags |= F_DOTTED;       /* no [header] may name it from now on */
        t = child;
    }
    if (nyrt_toml_get(t, k->part[k->n - 1], k->len[k->n - 1])) {
        key_text(k, k->n, name, sizeof name);
        return nyrt_toml_fail(ps, "key '%s' is defined twice", name);
    }
    return nyrt_toml_add_item(ps, t, k->part[k->n - 1], k->len[k->n - 1], v);
}

static void freeze(tnode *t) {
    t->flags |= F_FROZEN;
    for (size_t i = 0; i < t->n; i++)
        if (t->items[i]->kind == T_TABLE && !(t->items[i]->flags & F_FROZEN))
            freeze(t->items[i]);
}

static tnode *array(parser *ps, int depth) {
    tnode *a = nyrt_toml_new_node(ps, T_ARRAY, F_FROZEN);
    ps->p++;
    for (;;) {
        if (!a || !skip_ws_nl(ps))
            return NULL;
        if (peek(ps, 0) == ']')
            break;
        tnode *item = value(ps, depth + 1);
        if (!item || !nyrt_toml_add_item(ps, a, NULL, 0, item) || !skip_ws_nl(ps))
            return NULL;
        if (peek(ps, 0) == ',') {
            ps->p++;
            continue;
        }
        if (peek(ps, 0) != ']') {
            nyrt_toml_fail(ps, at_end(ps) ? "unterminated array" : "expected ',' or ']' in an array");
            return NULL;
        }
        break;
    }
    ps->p++;
    return a;
}

static tnode *inline_table(parser *ps, int depth) {
    tnode *t = nyrt_toml_new_node(ps, T_TABLE, 0);
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
            nyrt_toml_fail(ps, "expected '=' after a key in an inline table");
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
            nyrt_toml_fail(ps, "expected ',' or '}' in an inline table");
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
            nyrt_toml_fail(ps, "dates and times are not supported in nyash.toml");
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
        nyrt_toml_fail(ps, "invalid value");
        return NULL;
    }
    ps->p = end;
    return nyrt_toml_new_node(ps, T_NUM, 0);
}

static tnode *value(parser *ps, int depth) {
    if (depth > MAX_NESTING) {
        nyrt_toml_fail(ps, "arrays or inline tables nested too deeply");
        return NULL;
    }
    int c = peek(ps, 0);
    if (c == '"' || c == '\'') {
        sbuf b = {0};
        tnode *t = NULL;
        if (string(ps, &b)) {
            if (b.oom)
                nyrt_toml_fail(ps, "out of memory");
            else if ((t = nyrt_toml_new_node(ps, T_STR, 0)) != NULL) {
                t->len = b.len;
                t->str = nyrt_toml_copy_text(ps, b.p ? b.p : "", b.len);
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
            tnode *t = nyrt_toml_new_node(ps, T_BOOL, 0);
            if (t) {
                t->boolean = truth;
                ps->p += n;
            }
            return t;
        }
    }
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'i' || c == 'n')
        return number(ps);
    nyrt_toml_fail(ps, at_end(ps) || c == '\n' || c == '\r' ? "expected a value" : "invalid value");
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
        return nyrt_toml_fail(ps, aot ? "expected ']]' at the end of an array-of-tables header"
                                      : "expected ']' at the end of a table header");
    ps->p += aot ? 2 : 1;
    char name[256];
    tnode *t = ps->root;
    for (size_t i = 0; i + 1 < k.n; i++) {
        tnode *child = nyrt_toml_get(t, k.part[i], k.len[i]);
        if (!child) {
            child = nyrt_toml_new_node(ps, T_TABLE, 0);
            if (!child || !nyrt_toml_add_item(ps, t, k.part[i], k.len[i], child))
                return 0;
        } else if (child->kind == T_ARRAY && (child->flags & F_AOT)) {
            child = child->items[child->n - 1];
        }
        if (child->kind != T_TABLE || (child->flags & F_FROZEN)) {
            key_text(&k, i + 1, name, sizeof name);
            return nyrt_toml_fail(ps, "cannot add a table to '%s': it is already defined", name);
        }
        t = child;
    }
    const char *last = k.part[k.n - 1];
    size_t last_len = k.len[k.n - 1];
    tnode *found = nyrt_toml_get(t, last, last_len);
    key_text(&k, k.n, name, sizeof name);
    if (aot) {
        if (!found) {
            found = nyrt_toml_new_node(ps, T_ARRAY, F_AOT);
            if (!found || !nyrt_toml_add_item(ps, t, (char *)last, last_len, found))
                return 0;
        } else if (found->kind != T_ARRAY || !(found->flags & F_AOT)) {
            return nyrt_toml_fail(ps, "cannot define '%s' as an array of tables: it is already defined", name);
        }
        tnode *table = nyrt_toml_new_node(ps, T_TABLE, F_HEADER);
        if (!table || !nyrt_toml_add_item(ps, found, NULL, 0, table))
            return 0;
        ps->current = table;
        return 1;
    }
    if (!found) {
        found = nyrt_toml_new_node(ps, T_TABLE, F_HEADER);
        if (!found || !nyrt_toml_add_item(ps, t, (char *)last, last_len, found))
            return 0;
    } else if (found->kind != T_TABLE || (found->flags & (F_HEADER | F_DOTTED | F_FROZEN))) {
        return nyrt_toml_fail(ps, "table '%s' is defined twice", name);
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
        return nyrt_toml_fail(ps, "expected '=' after a key");
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
int nyrt_toml_parse(parser *ps, const char *text, size_t n) {
    ps->start = ps->p = text;
    ps->end = text + n;
    ps->root = ps->current = nyrt_toml_new_node(ps, T_TABLE, F_HEADER);
    if (!ps->root)
        return 0;
    long bad = invalid_utf8((const unsigned char *)text, n);
    if (bad >= 0) {
        ps->p = text + bad;
        return nyrt_toml_fail(ps, "the file is not valid UTF-8");
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

int nyrt_toml_error_line(const parser *ps) {
    int line = 1;
    for (const char *q = ps->start; q < ps->err_at && q < ps->end; q++)
        line += *q == '\n';
    if (ps->err_at >= ps->end && ps->end > ps->start && ps->end[-1] == '\n')
        line--;                         /* at the end of the file: its last line */
    return line;
}
