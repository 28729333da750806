/* toml.h -- the TOML tree between the reader (toml.c, toml_tree.c) and nyash.toml's checks (nyash_toml.c);
 * not part of nyrt's API.
 *
 * toml.c reads a text into a tree of tnodes (nyrt_toml_parse); the nodes, keys and texts live in the parser's
 * arena (toml_tree.c) until nyrt_toml_free_blocks. nyash_toml.c looks tables up with nyrt_toml_get_s and
 * checks them as abi/config.py does. Both sides build text in an sbuf, a growable string.
 */
#ifndef NYRT_TOML_H
#define NYRT_TOML_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growable string ------------------------------------------------------------------------------------- */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static inline void sb_add(sbuf *b, const char *p, size_t n) {
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

static inline void sb_adds(sbuf *b, const char *s) {
    sb_add(b, s, strlen(s));
}

static inline void sb_addc(sbuf *b, char c) {
    sb_add(b, &c, 1);
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

typedef struct block block;      /* the arena's blocks (toml_tree.c) */

typedef struct parser {
    const char *start, *p, *end;
    block *blocks;
    tnode *root, *current;
    const char *err_at;          /* where the first error is */
    char why[160];
    int failed;
} parser;

/* ---- toml_tree.c: the arena, the first error, lookups ------------------------------------------------------ */
int nyrt_toml_fail(parser *ps, const char *fmt, ...);                  /* records the first error; returns 0 */
void *nyrt_toml_alloc(parser *ps, size_t n);                           /* zeroed; NULL (and failed) on OOM */
void nyrt_toml_free_blocks(parser *ps);                                /* every node, key and text */
tnode *nyrt_toml_new_node(parser *ps, int kind, int flags);
char *nyrt_toml_copy_text(parser *ps, const char *p, size_t n);        /* NUL-terminated */
int nyrt_toml_add_item(parser *ps, tnode *t, char *key, size_t klen, tnode *v);
tnode *nyrt_toml_get(const tnode *t, const char *key, size_t klen);    /* NULL: no such key, or t no table */
tnode *nyrt_toml_get_s(const tnode *t, const char *key);

/* ---- toml.c: the reader ---------------------------------------------------------------------------------------- */
int nyrt_toml_parse(parser *ps, const char *text, size_t n);           /* 0 with ps->why on failure */
int nyrt_toml_error_line(const parser *ps);                            /* the line of the first error */

#endif
