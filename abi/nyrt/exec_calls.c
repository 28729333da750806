/* exec_calls.c -- the calls of compiled Nyash code (nyrt_exec.h): methods of user boxes and of any other value,
 * bare calls, `from` calls, `new`, and the check before a devirtualised call.
 *
 * As backends/vm/support.py: a user method or constructor runs at depth + 1 and fails with "Maximum call depth
 * exceeded" when that is past NYRT_X_MAX_DEPTH (the VM checks it in the callee's prologue, so after the
 * argument count and, for `new`, after the instance took its serial number). `new` of a name that is not a
 * user box goes to a plugin type of that short name, else to the builtin constructors of language.md 7.1
 * (nyash_run/runtime/constructors.py: their counts, conversions and messages), else "Unknown Box type".
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* "1 argument", "0 arguments" (diagnostics.plural) */
#define PLURAL(n) (n), ((n) == 1 ? "" : "s")

/* Run a user entry at depth + 1; the result goes to out (+1), or is dropped when out is NULL. */
static int32_t run(const nyrt_x_entry *e, int64_t depth, const nyrt_nyash_value *me, const nyrt_nyash_value *args,
                   nyrt_nyash_value *out) {
    nyrt_nyash_value r;
    if (depth + 1 > NYRT_X_MAX_DEPTH)
        return nyrt_x_errorf("Maximum call depth exceeded");
    nyrt_v_void(&r);
    if (e->fn(depth + 1, me, args, &r) != NYRT_X_OK)
        return NYRT_X_FAIL;
    if (out)
        *out = r;
    else
        nyrt_val_release(&r);
    return NYRT_X_OK;
}

static const nyrt_x_entry *ctor_of(const nyrt_x_class *c, int64_t argc) {
    for (int64_t i = 0; i < c->nctors; i++)
        if (c->ctors[i].nparams == argc)
            return &c->ctors[i];
    return NULL;
}

static const char *name_of(int64_t name_id) {
    const char *name = nyrt_x_name(name_id);
    return name ? name : "?";
}

/* recv.NAME(args) on an instance (support.py call_method) */
static int32_t call_user(nyrt_inst *o, int64_t depth, const nyrt_nyash_value *recv, int64_t name_id,
                         const nyrt_nyash_value *args, int64_t argc, nyrt_nyash_value *out) {
    const char *name = name_of(name_id);
    const nyrt_x_entry *e = nyrt_x_method(o->cls, name_id);
    if (!e) {
        if (argc == 0 && strcmp(name, "toString") == 0) {
            nyrt_str *s = nyrt_disp_str(recv);
            if (!s)
                return nyrt_oom(), NYRT_X_FAIL;
            nyrt_val_of_obj(s, out);
            return NYRT_X_OK;
        }
        return nyrt_x_errorf("Method '%s' not found in %s", name, o->cls->name);
    }
    if (argc != e->nparams)
        return nyrt_x_errorf("Method %s expects %" PRId64 " argument%s, got %" PRId64, name, PLURAL(e->nparams), argc);
    return run(e, depth, recv, args, out);
}

/* The builtin method a call site resolved to, per thread: (program, name_id, key, receiver kind) -> method.
 * What nyrt_core_call would find by id and check by name, without the name check on every call. */
#define CORE_CACHE 256
typedef struct core_cached {
    int64_t name_id;
    uint64_t key;
    int32_t kind;
    uint32_t gen;
    const struct cmethod *c;
} core_cached;
static _Thread_local core_cached core_cache[CORE_CACHE];

static const struct cmethod *core_method(int32_t kind, int64_t name_id, uint64_t key) {
    core_cached *slot = &core_cache[((uint64_t)name_id ^ key) & (CORE_CACHE - 1)];   /* key: a hash */
    if (slot->gen == nyrt_x_program_gen && slot->name_id == name_id && slot->key == key && slot->kind == kind)
        return slot->c;
    const struct cmethod *c = nyrt_core_resolve(kind, key, nyrt_x_name(name_id));
    if (c) {
        slot->name_id = name_id;
        slot->key = key;
        slot->kind = kind;
        slot->gen = nyrt_x_program_gen;
        slot->c = c;
    }
    return c;
}

int32_t nyrt_x_call_method(int64_t depth, const nyrt_nyash_value *recv, int64_t name_id, uint64_t method_key,
                           const nyrt_nyash_value *args, int64_t argc, nyrt_nyash_value *out) {
    nyrt_nyash_value r;
    nyrt_inst *o = nyrt_inst_of(recv);
    if (argc < 0)
        return nyrt_x_errorf("nyrt_x_call_method: negative argument count");
    if (o)
        return call_user(o, depth, recv, name_id, args, argc, out);
    int32_t kind = recv ? nyrt_core_index(recv->type_id) : -1;
    if (kind >= 0 && kind != NYRT_TID_HOST) {   /* a builtin value (as nyrt_call_id -> nyrt_core_call) */
        const struct cmethod *c = core_method(kind, name_id, method_key);
        if (c) {
            if (nyrt_core_invoke(c, recv, args, (size_t)argc, &r) != NYRT_OK)
                return NYRT_X_FAIL;
            *out = r;
            return NYRT_X_OK;
        }
    }
    if (nyrt_call_id(recv, method_key, nyrt_x_name(name_id), args, (size_t)argc, &r) != NYRT_OK)
        return NYRT_X_FAIL;
    *out = r;
    return NYRT_X_OK;
}

int32_t nyrt_x_call_bare(int64_t depth, int64_t name_id, const nyrt_nyash_value *me,
                         const nyrt_nyash_value *args, int64_t argc, nyrt_nyash_value *out) {
    nyrt_inst *o = nyrt_inst_of(me);
    if (o && nyrt_x_method(o->cls, name_id))
        return call_user(o, depth, me, name_id, args, argc, out);
    return nyrt_x_errorf("Undefined function '%s'", name_of(name_id));
}

int32_t nyrt_x_from_call(int64_t depth, int64_t parent_cls, int64_t name_id, const nyrt_nyash_value *me,
                         const nyrt_nyash_value *args, int64_t argc, nyrt_nyash_value *out) {
    const nyrt_x_class *p = nyrt_x_class_at(parent_cls);
    const char *name = name_of(name_id);
    if (!p)
        return nyrt_x_errorf("nyrt_x_from_call: no class %" PRId64, parent_cls);
    if (strcmp(name, "birth") == 0 || strcmp(name, "init") == 0 || strcmp(name, "pack") == 0) {
        const nyrt_x_entry *ctor = ctor_of(p, argc);
        if (ctor && run(ctor, depth, me, args, NULL) != NYRT_X_OK)
            return NYRT_X_FAIL;
        if (!ctor && argc)
            return nyrt_x_errorf("No constructor found for parent class '%s' with %" PRId64 " argument%s", p->name,
                                 PLURAL(argc));
        *out = *me;                            /* the value of a parent constructor call is me */
        nyrt_val_retain(out);
        return NYRT_X_OK;
    }
    const nyrt_x_entry *e = nyrt_x_method(p, name_id);
    if (!e)
        return nyrt_x_errorf("Method '%s' not found in parent class '%s'", name, p->name);
    if (argc != e->nparams)
        return nyrt_x_errorf("Parent method %s.%s expects %" PRId64 " argument%s, got %" PRId64, p->name, name,
                             PLURAL(e->nparams), argc);
    return run(e, depth, me, args, out);
}

int32_t nyrt_x_expect_instance(const nyrt_nyash_value *v, int64_t name_id, uint64_t method_key0) {
    nyrt_nyash_value r;
    if (nyrt_inst_of(v))
        return NYRT_X_OK;
    if (nyrt_call_id(v, method_key0, nyrt_x_name(name_id), NULL, 0, &r) != NYRT_OK)
        return NYRT_X_FAIL;
    nyrt_val_release(&r);                      /* the VM calls it for its error only and drops the result */
    return NYRT_X_OK;
}

/* ---- builtin constructors (constructors.py) ------------------------------------------------------------------ */
static int32_t conversion_error(const nyrt_nyash_value *v, const char *target) {
    nyrt_str *s = nyrt_x_display(v);
    if (!s)
        return NYRT_X_FAIL;
    nyrt_x_errorf("Cannot convert '%s' to %s", s->bytes, target);
    nyrt_obj_release(&s->h);
    return NYRT_X_FAIL;
}

/* numeric.parse_i64: the whole text is [+-]?[0-9]+ within the Int range */
static int parse_i64(const char *p, size_t len, int64_t *out) {
    size_t i = p[0] == '+' || p[0] == '-';
    int neg = p[0] == '-';
    uint64_t mag = 0, limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    if (i == len)
        return 0;
    for (; i < len; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        if (p[i] < '0' || p[i] > '9' || mag > (limit - d) / 10)
            return 0;
        mag = mag * 10 + d;
    }
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return 1;
}

static size_t digits(const char *p, size_t len, size_t *i) {
    size_t start = *i;
    while (*i < len && p[*i] >= '0' && p[*i] <= '9')
        ++*i;
    return *i - start;
}

static int same_nocase(const char *p, size_t len, const char *word) {
    size_t n = strlen(word);
    if (len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((p[i] | 0x20) != word[i])
            return 0;
    return 1;
}

/* numeric.parse_float: [+-]?(digits[.digits*]|.digits)([eE][+-]?digits)? or inf/infinity/nan in any case;
 * strtod (correctly rounded, as Python's float()) reads the accepted text. p is NUL-terminated at len. */
static int parse_float(const char *p, size_t len, double *out) {
    size_t i = p[0] == '+' || p[0] == '-';
    const char *word = p + i;
    if (!same_nocase(word, len - i, "inf") && !same_nocase(word, len - i, "infinity") &&
        !same_nocase(word, len - i, "nan")) {
        size_t whole = digits(p, len, &i), frac = 0;
        if (i < len && p[i] == '.') {
            i++;
            frac = digits(p, len, &i);
        }
        if (!whole && !frac)
            return 0;
        if (i < len && (p[i] == 'e' || p[i] == 'E')) {
            i++;
            i += i < len && (p[i] == '+' || p[i] == '-');
            if (!digits(p, len, &i))
                return 0;
        }
        if (i != len)
            return 0;
    }
    *out = strtod(p, NULL);
    return 1;
}

/* numeric.float_to_int: truncation, NaN 0, beyond the range the nearest limit */
static int64_t float_to_int(double x) {
    if (x != x)
        return 0;
    if (x >= 9223372036854775808.0)
        return INT64_MAX;
    if (x < -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)x;
}

static int32_t new_string(const nyrt_nyash_value *a, int64_t n, nyrt_nyash_value *out) {
    nyrt_str *s = n ? nyrt_x_display(a) : nyrt_str_alloc("", 0);
    if (!s)
        return n ? NYRT_X_FAIL : (nyrt_oom(), NYRT_X_FAIL);
    nyrt_val_of_obj(s, out);
    return NYRT_X_OK;
}

static int32_t new_integer(const nyrt_nyash_value *a, int64_t n, nyrt_nyash_value *out) {
    int64_t x = 0;
    nyrt_str *s = n ? nyrt_str_of(a) : NULL;
    int32_t k = n ? nyrt_kind_of(a) : NYRT_TID_INTEGER;
    if (k == NYRT_TID_INTEGER)
        x = n ? nyrt_val_as_int_raw(a) : 0;
    else if (k == NYRT_TID_FLOAT)
        x = float_to_int(nyrt_val_as_float_raw(a));
    else if (!s || !parse_i64(s->bytes, s->len, &x))
        return conversion_error(a, "integer");
    nyrt_v_int(x, out);
    return NYRT_X_OK;
}

static int32_t new_float(const nyrt_nyash_value *a, int64_t n, nyrt_nyash_value *out) {
    double x = 0.0;
    nyrt_str *s = n ? nyrt_str_of(a) : NULL;
    int32_t k = n ? nyrt_kind_of(a) : NYRT_TID_FLOAT;
    if (k == NYRT_TID_FLOAT)
        x = n ? nyrt_val_as_float_raw(a) : 0.0;
    else if (k == NYRT_TID_INTEGER)
        x = (double)nyrt_val_as_int_raw(a);
    else if (!s || !parse_float(s->bytes, s->len, &x))
        return conversion_error(a, "float");
    nyrt_v_float(x, out);
    return NYRT_X_OK;
}

static int32_t new_bool(const nyrt_nyash_value *a, int64_t n, nyrt_nyash_value *out) {
    if (!n || nyrt_kind_of(a) == NYRT_TID_BOOL) {
        nyrt_v_bool(n ? (int32_t)a->box_handle : 0, out);
        return NYRT_X_OK;
    }
    nyrt_str *s = nyrt_x_display(a);
    if (!s)
        return NYRT_X_FAIL;
    nyrt_buf b;
    nyrt_buf_init(&b);
    nyrt_unicase_lower(&b, s->bytes, s->len);   /* Python's str.lower() */
    nyrt_obj_release(&s->h);
    int t = !b.oom && b.len == 4 && memcmp(b.p, "true", 4) == 0;
    int f = !b.oom && b.len == 5 && memcmp(b.p, "false", 5) == 0;
    nyrt_buf_free(&b);
    if (!t && !f)
        return conversion_error(a, "boolean");
    nyrt_v_bool(t, out);
    return NYRT_X_OK;
}

static int32_t new_other(const char *name, const nyrt_nyash_value *a, nyrt_nyash_value *out) {
    nyrt_err r;
    if (strcmp(name, "NullBox") == 0) {
        nyrt_v_null(out);
        return NYRT_X_OK;
    }
    if (strcmp(name, "ResultBox") == 0)
        r = nyrt_res_new(1, a, out);           /* new ResultBox(v) is Ok(v) */
    else if (strcmp(name, "ArrayBox") == 0)
        r = nyrt_arr_new(out);
    else if (strcmp(name, "MapBox") == 0)
        r = nyrt_map_new(out);
    else if (strcmp(name, "ConsoleBox") == 0)
        r = nyrt_console_new(out);
    else
        r = nyrt_math_new(out);
    return r == NYRT_OK ? NYRT_X_OK : NYRT_X_FAIL;
}

typedef struct builtin {
    const char *name;
    int64_t lo, hi;
    int32_t (*make)(const nyrt_nyash_value *a, int64_t n, nyrt_nyash_value *out);   /* NULL: new_other */
} builtin;

static const builtin builtins[] = {
    {"StringBox", 0, 1, new_string}, {"IntegerBox", 0, 1, new_integer}, {"FloatBox", 0, 1, new_float},
    {"BoolBox", 0, 1, new_bool}, {"NullBox", 0, 0, NULL}, {"ArrayBox", 0, 0, NULL}, {"MapBox", 0, 0, NULL},
    {"ConsoleBox", 0, 0, NULL}, {"MathBox", 0, 0, NULL}, {"ResultBox", 1, 1, NULL},
};

/* 1 when name is a builtin constructor (*status is its outcome), 0 when it is not one */
static int construct_builtin(const char *name, const nyrt_nyash_value *args, int64_t argc, nyrt_nyash_value *out,
                             int32_t *status) {
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        const builtin *c = &builtins[i];
        if (strcmp(c->name, name) != 0)
            continue;
        if (argc < c->lo || argc > c->hi) {
            if (c->lo == c->hi)
                *status = nyrt_x_errorf("%s constructor expects %" PRId64 " argument%s, got %" PRId64, name,
                                        PLURAL(c->lo), argc);
            else
                *status = nyrt_x_errorf("%s constructor expects %" PRId64 " or %" PRId64 " arguments, got %" PRId64,
                                        name, c->lo, c->hi, argc);
            return 1;
        }
        *status = c->make ? c->make(args, argc, out) : new_other(name, args, out);
        return 1;
    }
    return 0;
}

/* Box names the host refuses for `new`, with the message (a plugin that failed to load, an ambiguous name):
 * `nyash run` loads plugins lazily and reports the refusal where the program first uses the name. */
#define MAX_REFUSED 64
static struct { char *name, *message; } refused[MAX_REFUSED];
static int nrefused;

static char *copy_text(const char *text) {
    size_t n = strlen(text) + 1;
    char *copy = nyrt_mem_alloc(n);
    if (copy)
        memcpy(copy, text, n);
    return copy;
}

void nyrt_x_refuse_new(const char *name, const char *message) {
    if (!name) {
        for (int i = 0; i < nrefused; i++) {
            nyrt_mem_free(refused[i].name, strlen(refused[i].name) + 1);
            nyrt_mem_free(refused[i].message, strlen(refused[i].message) + 1);
        }
        nrefused = 0;
        return;
    }
    if (nrefused == MAX_REFUSED || !message)
        return;
    char *n = copy_text(name), *m = copy_text(message);
    if (!n || !m) {
        if (n)
            nyrt_mem_free(n, strlen(n) + 1);
        if (m)
            nyrt_mem_free(m, strlen(m) + 1);
        return;
    }
    refused[nrefused].name = n;
    refused[nrefused++].message = m;
}

static const char *refusal_of(const char *name) {
    for (int i = 0; i < nrefused; i++)
        if (strcmp(refused[i].name, name) == 0)
            return refused[i].message;
    return NULL;
}

int32_t nyrt_x_new(int64_t depth, const char *name, const nyrt_nyash_value *args, int64_t argc,
                   nyrt_nyash_value *out) {
    nyrt_nyash_value v;
    int32_t status;
    if (argc < 0 || !name)
        return nyrt_x_errorf("nyrt_x_new: bad arguments");
    const nyrt_x_class *c = nyrt_x_class_at(nyrt_x_class_named(name));
    if (c && !c->is_static) {
        const nyrt_x_entry *ctor = ctor_of(c, argc);
        if (!ctor && argc)
            return nyrt_x_errorf("No constructor found for %s with %" PRId64 " argument%s", name, PLURAL(argc));
        nyrt_inst *o = nyrt_x_new_inst(c);
        if (!o)
            return NYRT_X_FAIL;
        nyrt_inst_value(o, &v);
        if (ctor && run(ctor, depth, &v, args, NULL) != NYRT_X_OK) {
            nyrt_val_release(&v);
            return NYRT_X_FAIL;
        }
        *out = v;
        return NYRT_X_OK;
    }
    if (!c) {
        const char *refusal = refusal_of(name);
        if (refusal)
            return nyrt_x_errorf("%s", refusal);
        uint64_t key = nyrt_tb_plugin_type_named(name);    /* plugins first: one may replace a core type */
        if (key) {
            if (nyrt_tb_new(key, args, (size_t)argc, &v) != NYRT_OK)
                return NYRT_X_FAIL;
            *out = v;
            return NYRT_X_OK;
        }
        if (construct_builtin(name, args, argc, &v, &status)) {
            if (status == NYRT_X_OK)
                *out = v;
            return status;
        }
    }
    return nyrt_x_errorf("Unknown Box type: %s", name);
}
