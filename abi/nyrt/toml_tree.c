/* toml_tree.c -- the TOML tree's nodes and their memory (toml.h).
 *
 * In: nodes, keys and texts the reader (toml.c) makes. Out: tables (keys in the file's order) and arrays in the
 * parser's arena, looked up by key, until nyrt_toml_free_blocks frees them all at once. The parser's first
 * error is recorded here too (nyrt_toml_fail), since running out of memory is one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"

struct block {
    struct block *next;
    max_align_t data[];
};

int nyrt_toml_fail(parser *ps, const char *fmt, ...) {
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

void *nyrt_toml_alloc(parser *ps, size_t n) {
    block *b = calloc(1, sizeof *b + n);
    if (!b) {
        nyrt_toml_fail(ps, "out of memory");
        return NULL;
    }
    b->next = ps->blocks;
    ps->blocks = b;
    return b->data;
}

void nyrt_toml_free_blocks(parser *ps) {
    while (ps->blocks) {
        block *next = ps->blocks->next;
        free(ps->blocks);
        ps->blocks = next;
    }
}

tnode *nyrt_toml_new_node(parser *ps, int kind, int flags) {
    tnode *t = nyrt_toml_alloc(ps, sizeof *t);
    if (t) {
        t->kind = kind;
        t->flags = flags;
    }
    return t;
}

char *nyrt_toml_copy_text(parser *ps, const char *p, size_t n) {
    char *s = nyrt_toml_alloc(ps, n + 1);
    if (s)
        memcpy(s, p, n);
    return s;
}

/* Add an item (and for a table its key); arrays grow by copying into a new arena block. */
int nyrt_toml_add_item(parser *ps, tnode *t, char *key, size_t klen, tnode *v) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        tnode **items = nyrt_toml_alloc(ps, cap * sizeof *items);
        char **keys = nyrt_toml_alloc(ps, cap * sizeof *keys);
        size_t *klens = nyrt_toml_alloc(ps, cap * sizeof *klens);
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

tnode *nyrt_toml_get(const tnode *t, const char *key, size_t klen) {
    for (size_t i = 0; t && t->kind == T_TABLE && i < t->n; i++)
        if (t->klens[i] == klen && memcmp(t->keys[i], key, klen) == 0)
            return t->items[i];
    return NULL;
}

tnode *nyrt_toml_get_s(const tnode *t, const char *key) {
    return nyrt_toml_get(t, key, strlen(key));
}
