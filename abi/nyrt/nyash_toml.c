/* nyash_toml.c -- nyash.toml v3 for native executables: nyrt_x_load_plugins (nyrt_exec.h).
 *
 * In: the path of a nyash.toml. Out: every enabled [plugins.NAME] entry loaded with nyrt_plugin_load, in the
 * file's order, checked as abi/plugins.py's load_entry checks it; or -1 and one line per problem.
 *
 * The file is read in three steps, as abi/config.py reads it, so that each message is the Python one:
 *  1. toml.c reads the text into a tree (toml.h); a problem there gives "FILE: invalid TOML: line N: WHAT"
 *     (Python: tomllib's message; the text differs);
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

#include "internal.h"
#include "nyrt_exec.h"
#include "toml.h"

#if defined(__APPLE__)
#define LIB_SUFFIX "dylib"
#elif defined(_WIN32) || defined(__CYGWIN__)
#define LIB_SUFFIX "dll"
#else
#define LIB_SUFFIX "so"
#endif


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
    const tnode *path = nyrt_toml_get_s(body, "path"), *abi = nyrt_toml_get_s(body, "abi");
    CHECK(nonempty_string(path), "%s: path must be a non-empty string", where);
    CHECK(nonempty_string(abi), "%s: abi must be a non-empty string", where);
    int known_abi = 0;
    for (size_t i = 0; i < COUNT(ABI_KINDS); i++)
        known_abi |= strcmp(abi->str, ABI_KINDS[i]) == 0;
    CHECK(known_abi, "%s: abi must be one of c, nyash, unified, not '%s'", where, abi->str);
    const tnode *enabled = nyrt_toml_get_s(body, "enabled");
    CHECK(!enabled || enabled->kind == T_BOOL, "%s: enabled must be true or false", where);
    const tnode *symbols = nyrt_toml_get_s(body, "symbols");
    e->init = e->boxes = NULL;
    if (symbols) {
        static const char *const SYMBOL_KEYS[] = {"boxes", "init"};
        CHECK(symbols->kind == T_TABLE, "%s: symbols must be a table (symbols.init, symbols.boxes)", where);
        unknown = unknown_key(symbols, SYMBOL_KEYS, COUNT(SYMBOL_KEYS));
        CHECK(!unknown, "%s: unknown key 'symbols.%s' (expected symbols.init, symbols.boxes)", where, unknown);
        const tnode *init = nyrt_toml_get_s(symbols, "init"), *boxes = nyrt_toml_get_s(symbols, "boxes");
        CHECK(!init || nonempty_string(init), "%s: init must be a non-empty string", where);
        CHECK(!boxes || nonempty_string(boxes), "%s: boxes must be a non-empty string", where);
        e->init = init ? init->str : NULL;
        e->boxes = boxes ? boxes->str : NULL;
    }
    const tnode *types = nyrt_toml_get_s(body, "types");
    int good = types && types->kind == T_ARRAY && types->n > 0;
    for (size_t i = 0; good && i < types->n; i++)
        good = nonempty_string(types->items[i]);
    CHECK(good, "%s: types must be a non-empty list of type names", where);
    for (size_t i = 0; i < types->n; i++)
        for (size_t k = 0; k < i; k++)
            CHECK(key_cmp(types->items[i]->str, types->items[i]->len, types->items[k]->str, types->items[k]->len),
                  "%s: types lists a name twice", where);
    e->types = nyrt_toml_alloc(ps, types->n * sizeof *e->types);
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
        nyrt_add_line(err, cap, "PluginError: plugin %s (%s) refused: %s", e->name, e->path,
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
        nyrt_add_line(err, cap, "%s: out of memory", toml_path ? toml_path : "");
        return -1;
    }
    size_t len = 0;
    int error = 0;
    char *text = read_file(file, &len, &error);
    if (!text) {
        nyrt_add_line(err, cap, "%s: cannot read: %s", file, strerror(error ? error : ENOMEM));
        free(file);
        return -1;
    }
    parser ps = {0};
    entry *entries = NULL;
    size_t nentries = 0;
    int32_t result = -1;
    char msg[2048];
    if (!nyrt_toml_parse(&ps, text, len)) {
        nyrt_add_line(err, cap, "%s: invalid TOML: line %d: %s", file, nyrt_toml_error_line(&ps), ps.why);
        goto done;
    }
    const tnode *plugins = nyrt_toml_get_s(ps.root, "plugins");
    if (plugins && plugins->kind != T_TABLE) {
        nyrt_add_line(err, cap, "%s: 'plugins' must be a table of [plugins.NAME] tables", file);
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
        nyrt_add_line(err, cap, "%s: out of memory", file);
        goto done;
    }
    for (; nentries < count; nentries++)
        if (!read_entry(file, dir, plugins->keys[nentries], plugins->items[nentries], &entries[nentries], &ps,
                        msg, sizeof msg)) {
            nyrt_add_line(err, cap, "%s", msg);
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
    nyrt_toml_free_blocks(&ps);
    free(text);
    free(file);
    return result;
}
