/* core_types.c -- the core TypeBoxes (nyash.core.Integer ... nyash.core.Error, nyash.host.Object), the
 * builtin method dispatch behind their Nyash-ABI vtables (language.md 7), and nyrt_init.
 *
 * Methods are declared once per type as {name, signature, function} (internal.h); the signature letters of
 * methodspec.py give the accepted argument counts and the argument checks, and so the exact messages:
 * "NAME() expects N arguments, got M", "NAME() requires integer arguments", "... numeric arguments".
 * At init every (type, "name/arity") id a method answers to goes into one hash table, so a call by id costs
 * one probe; a call by name (invoke_by_name, or an arity no id was made for) scans the type's table.
 */
#include <stdio.h>
#include <string.h>

#include "abi_internal.h"
#include "internal.h"

const char *const nyrt_core_names[NYRT_CORE_COUNT] = {
    "nyash.core.Integer", "nyash.core.Float", "nyash.core.Bool", "nyash.core.String", "nyash.core.Null",
    "nyash.core.Void", "nyash.core.Array", "nyash.core.Map", "nyash.core.Console", "nyash.core.Math",
    "nyash.core.Result", "nyash.core.Error", "nyash.host.Object",
};

static const char *const box_names[NYRT_CORE_COUNT] = {
    "IntegerBox", "FloatBox", "BoolBox", "StringBox", "NullBox", "VoidBox", "ArrayBox", "MapBox",
    "ConsoleBox", "MathBox", "ResultBox", "ErrorBox", "Object",
};

/* ---- the universal methods of every builtin value (7.0) ------------------------------------------------ */
static nyrt_err m_to_string(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)a, (void)argc;
    return nyrt_str_take(nyrt_disp_str(self), ret);
}

static nyrt_err m_equals(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    (void)argc;
    nyrt_v_bool(nyrt_val_equals(self, a[0].v), ret);
    return NYRT_OK;
}

static const nyrt_method universal[] = {
    {"toString", "", m_to_string},
    {"equals", "v", m_equals},
    {NULL, NULL, NULL},
};

/* ---- compiled signatures ---------------------------------------------------------------------------------- */
#define MAX_METHODS 200
#define MAX_KINDS 8          /* letters before an optional rest */
#define VARIADIC 0xFFFF
#define ID_ARITIES 6         /* ids are made for arities min .. min+5 (variadic methods: beyond by name) */

typedef struct cmethod {
    const nyrt_method *m;
    int32_t kind;            /* NYRT_TID_* of the receiver type */
    uint16_t min, max;       /* max VARIADIC: no upper bound */
    char letters[MAX_KINDS]; /* one per declared parameter */
    uint8_t nletters;
    char rest;               /* letter repeated after the declared ones, or 0 */
} cmethod;

static cmethod methods[MAX_METHODS];
static size_t method_count;
static size_t first_method[NYRT_CORE_COUNT + 1];   /* methods of kind k: [first_method[k], first_method[k+1]) */

/* "s[i]" -> min 1, max 2, letters "si"; "v+" -> min 1, variadic, rest 'v'; "s*" -> min 0, variadic */
static void compile_sig(cmethod *c, const char *sig) {
    size_t n = strlen(sig);
    c->rest = 0;
    if (n >= 2 && (sig[n - 1] == '+' || sig[n - 1] == '*')) {
        c->rest = sig[n - 2];
        n -= sig[n - 1] == '*' ? 2 : 1;
    }
    c->min = c->nletters = 0;
    int optional = 0;
    for (size_t i = 0; i < n && c->nletters < MAX_KINDS; i++) {
        if (sig[i] == '[' || sig[i] == ']') {
            optional = 1;
            continue;
        }
        c->letters[c->nletters++] = sig[i];
        if (!optional)
            c->min++;
    }
    c->max = c->rest ? VARIADIC : c->nletters;
}

static const nyrt_method *table_of(int32_t kind) {
    switch (kind) {
    case NYRT_TID_INTEGER: return nyrt_int_methods;
    case NYRT_TID_FLOAT: return nyrt_float_methods;
    case NYRT_TID_STRING: return nyrt_str_methods;
    case NYRT_TID_NULL: return nyrt_null_methods;
    case NYRT_TID_ARRAY: return nyrt_arr_methods;
    case NYRT_TID_MAP: return nyrt_map_methods;
    case NYRT_TID_CONSOLE: return nyrt_console_methods;
    case NYRT_TID_MATH: return nyrt_math_methods;
    case NYRT_TID_RESULT: return nyrt_res_methods;
    case NYRT_TID_ERROR: return nyrt_err_methods;
    case NYRT_TID_HOST: return NULL;          /* host objects are called through the host hooks */
    default: return nyrt_none_methods;        /* Bool, Void */
    }
}

static void add_methods(int32_t kind, const nyrt_method *table) {
    for (; table && table->name && method_count < MAX_METHODS; table++) {
        cmethod *c = &methods[method_count++];
        c->m = table;
        c->kind = kind;
        compile_sig(c, table->sig);
    }
}

/* ---- the id table: (kind, method id) -> method ---------------------------------------------------------- */
#define ID_SLOTS 2048        /* power of 2, at least twice the ids made */

typedef struct id_slot {
    uint64_t id;
    int32_t kind;
    int32_t method;          /* index into methods, -1 empty */
} id_slot;

static id_slot ids[ID_SLOTS];

static size_t id_hash(uint64_t id, int32_t kind) {
    return (size_t)((id ^ id >> 31) + (uint64_t)kind * 0x9E3779B1u) & (ID_SLOTS - 1);
}

static void id_insert(uint64_t id, int32_t kind, int32_t method) {
    for (size_t i = id_hash(id, kind);; i = (i + 1) & (ID_SLOTS - 1)) {
        if (ids[i].method < 0 || (ids[i].id == id && ids[i].kind == kind)) {
            ids[i].id = id;
            ids[i].kind = kind;
            ids[i].method = method;
            return;
        }
    }
}

static const cmethod *by_id(int32_t kind, uint64_t id) {
    for (size_t i = id_hash(id, kind); ids[i].method >= 0; i = (i + 1) & (ID_SLOTS - 1))
        if (ids[i].id == id && ids[i].kind == kind)
            return &methods[ids[i].method];
    return NULL;
}

static const cmethod *by_name(int32_t kind, const char *name) {
    for (size_t i = first_method[kind]; i < first_method[kind + 1]; i++)
        if (strcmp(methods[i].m->name, name) == 0)
            return &methods[i];
    return NULL;
}

static unsigned id_arity_end(const cmethod *c) {
    return c->max == VARIADIC || c->max > c->min + ID_ARITIES - 1 ? c->min + ID_ARITIES - 1u : c->max;
}

static void build_methods(void) {
    memset(ids, 0xFF, sizeof ids);            /* method -1 everywhere: empty */
    method_count = 0;
    for (int32_t k = 0; k < NYRT_CORE_COUNT; k++) {
        first_method[k] = method_count;
        if (k != NYRT_TID_HOST)
            add_methods(k, universal);
        add_methods(k, table_of(k));
    }
    first_method[NYRT_CORE_COUNT] = method_count;
    for (size_t i = 0; i < method_count; i++)
        for (unsigned n = methods[i].min; n <= id_arity_end(&methods[i]); n++)
            id_insert(nyrt_method_id(methods[i].m->name, (int32_t)n), methods[i].kind, (int32_t)i);
}

/* ---- calls -------------------------------------------------------------------------------------------------- */
static nyrt_err arity_error(const cmethod *c, size_t got) {
    char wanted[64];
    if (c->max == VARIADIC)
        snprintf(wanted, sizeof wanted, "at least %u argument%s", c->min, c->min == 1 ? "" : "s");
    else if (c->min == c->max)
        snprintf(wanted, sizeof wanted, "%u argument%s", c->min, c->min == 1 ? "" : "s");
    else if (c->max == c->min + 1)
        snprintf(wanted, sizeof wanted, "%u or %u arguments", c->min, c->max);
    else
        snprintf(wanted, sizeof wanted, "%u to %u arguments", c->min, c->max);
    return nyrt_fail(NYRT_E_ARG, "%s() expects %s, got %zu", c->m->name, wanted, got);
}

/* Check and convert one argument by its signature letter (left to right: the first bad one is reported). */
static nyrt_err convert(const cmethod *c, char letter, const nyrt_nyash_value *v, nyrt_arg *out) {
    int32_t k = letter == 'i' || letter == 'x' ? nyrt_kind_of(v) : -1;
    out->v = v;
    out->s = NULL;
    out->owned_s = 0;
    switch (letter) {
    case 's':
        if ((out->s = nyrt_str_of(v)) != NULL)
            return NYRT_OK;
        out->owned_s = 1;
        return (out->s = nyrt_disp_str(v)) != NULL ? NYRT_OK : nyrt_oom();
    case 'i':
        if (k != NYRT_TID_INTEGER)
            return nyrt_fail(NYRT_E_TYPE, "%s() requires integer arguments", c->m->name);
        out->i = (int64_t)v->box_handle;
        return NYRT_OK;
    case 'x':
        if (k != NYRT_TID_INTEGER && k != NYRT_TID_FLOAT)
            return nyrt_fail(NYRT_E_TYPE, "%s() requires numeric arguments", c->m->name);
        out->is_int = k == NYRT_TID_INTEGER;
        out->i = out->is_int ? (int64_t)v->box_handle : 0;
        out->f = out->is_int ? (double)out->i : nyrt_val_as_float_raw(v);
        return NYRT_OK;
    default:                                   /* 'v': as it is */
        return NYRT_OK;
    }
}

static nyrt_err invoke(const cmethod *c, const nyrt_nyash_value *self, const nyrt_nyash_value *args, size_t argc,
                       nyrt_nyash_value *ret) {
    if (argc < c->min || (c->max != VARIADIC && argc > c->max))
        return arity_error(c, argc);
    nyrt_arg stack[8], *conv = argc <= 8 ? stack : nyrt_mem_alloc(argc * sizeof *conv);
    if (!conv)
        return nyrt_oom();
    nyrt_err e = NYRT_OK;
    size_t done = 0;
    for (; done < argc && e == NYRT_OK; done++)
        e = convert(c, done < c->nletters ? c->letters[done] : c->rest, &args[done], &conv[done]);
    if (e == NYRT_OK)
        e = c->m->fn(self, argc ? conv : NULL, argc, ret);
    for (size_t i = 0; i < done; i++)
        if (conv[i].owned_s && conv[i].s)
            nyrt_obj_release(&conv[i].s->h);
    if (conv != stack)
        nyrt_mem_free(conv, argc * sizeof *conv);
    return e;
}

const cmethod *nyrt_core_resolve(int32_t kind, uint64_t method_id, const char *method) {
    const cmethod *c = by_id(kind, method_id);
    if (c && method && strcmp(method, c->m->name) != 0)
        c = NULL;                              /* an id that does not belong to this name: trust the name */
    if (!c && method)
        c = by_name(kind, method);
    return c;
}

nyrt_err nyrt_core_invoke(const cmethod *c, const nyrt_nyash_value *self, const nyrt_nyash_value *args, size_t argc,
                          nyrt_nyash_value *ret) {
    nyrt_v_void(ret);
    nyrt_err e = invoke(c, self, args, argc, ret);
    if (e != NYRT_OK)
        nyrt_v_void(ret);
    return e;
}

nyrt_err nyrt_core_call(const nyrt_nyash_value *self, uint64_t method_id, const char *method,
                        const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *ret) {
    nyrt_v_void(ret);
    int32_t kind = nyrt_kind_of(self);
    if (kind < 0 || kind == NYRT_TID_HOST)
        return nyrt_fail(NYRT_E_TYPE, "nyrt_core_call: not a core value");
    const cmethod *c = nyrt_core_resolve(kind, method_id, method);
    if (c) {
        nyrt_err e = invoke(c, self, args, argc, ret);
        if (e != NYRT_OK)
            nyrt_v_void(ret);
        return e;
    }
    if (!method)
        return NYRT_E_NOT_FOUND;               /* invoke_by_id: the caller retries by name */
    if (kind == NYRT_TID_VOID)
        return nyrt_fail(NYRT_E_NOT_FOUND, "Cannot call method '%s' on non-instance type", method);
    return nyrt_fail(NYRT_E_NOT_FOUND, "Unknown method '%s' for %s", method, box_names[kind]);
}

/* ---- the Nyash-ABI vtables ------------------------------------------------------------------------------- */
static const int32_t kind_codes[NYRT_CORE_COUNT] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

static int32_t kind_of_env(const void *env) {
    return env ? *(const int32_t *)env : -1;   /* create's env/ctx is the TypeBox's user_data: &kind_codes[k] */
}

static nyrt_err ny_create(void *ctx, nyrt_nyash_value *out) {
    switch (kind_of_env(ctx)) {
    case NYRT_TID_INTEGER: nyrt_v_int(0, out); return NYRT_OK;
    case NYRT_TID_FLOAT: nyrt_v_float(0.0, out); return NYRT_OK;
    case NYRT_TID_BOOL: nyrt_v_bool(0, out); return NYRT_OK;
    case NYRT_TID_NULL: nyrt_v_null(out); return NYRT_OK;
    case NYRT_TID_VOID: nyrt_v_void(out); return NYRT_OK;
    case NYRT_TID_STRING: return nyrt_str_new("", 0, out);
    case NYRT_TID_ARRAY: return nyrt_arr_new(out);
    case NYRT_TID_MAP: return nyrt_map_new(out);
    case NYRT_TID_CONSOLE: return nyrt_console_new(out);
    case NYRT_TID_MATH: return nyrt_math_new(out);
    case NYRT_TID_RESULT: return nyrt_fail(NYRT_E_ARG, "ResultBox constructor expects 1 argument, got 0");
    case NYRT_TID_ERROR: return nyrt_fail(NYRT_E_TYPE, "Unknown Box type: ErrorBox");
    default: return nyrt_fail(NYRT_E_TYPE, "host objects are made by the host");
    }
}

static void ny_retain(const nyrt_nyash_value *v) { nyrt_val_retain(v); }
static void ny_release(const nyrt_nyash_value *v) { nyrt_val_release(v); }

static nyrt_err ny_invoke_by_id(nyrt_nyash_value *self, uint64_t method, const nyrt_nyash_value *args, size_t argc,
                                nyrt_nyash_value *ret) {
    return nyrt_core_call(self, method, NULL, args, argc, ret);
}

static nyrt_err ny_invoke_by_name(nyrt_nyash_value *self, const char *method, const nyrt_nyash_value *args,
                                  size_t argc, nyrt_nyash_value *ret) {
    return nyrt_core_call(self, 0, method, args, argc, ret);
}

static nyrt_err host_invoke_by_id(nyrt_nyash_value *self, uint64_t method, const nyrt_nyash_value *args,
                                  size_t argc, nyrt_nyash_value *ret) {
    (void)self, (void)method, (void)args, (void)argc;
    nyrt_v_void(ret);
    return NYRT_E_NOT_FOUND;                   /* the host knows its methods by name only */
}

static nyrt_err host_invoke_by_name(nyrt_nyash_value *self, const char *method, const nyrt_nyash_value *args,
                                    size_t argc, nyrt_nyash_value *ret) {
    return nyrt_host_call(self->box_handle, method, args, argc, ret);
}

static const nyrt_ny_vtable ny_core = {ny_create, ny_retain, ny_release, ny_invoke_by_id, ny_invoke_by_name};
static const nyrt_ny_vtable ny_host = {ny_create, ny_retain, ny_release, host_invoke_by_id, host_invoke_by_name};

/* ---- the C-ABI vtables: abi/README.md "C representation of core values" --------------------------------- */
static const double zero_double = 0.0;

static void *c_create(void *env) {
    nyrt_nyash_value v;
    int32_t kind = kind_of_env(env);
    switch (kind) {
    case NYRT_TID_STRING: return (void *)"";
    case NYRT_TID_FLOAT: return (void *)&zero_double;
    case NYRT_TID_ARRAY: case NYRT_TID_MAP: case NYRT_TID_CONSOLE: case NYRT_TID_MATH:
        return ny_create(env, &v) == NYRT_OK ? (void *)(uintptr_t)v.box_handle : NULL;
    default: return NULL;                      /* Integer 0, Bool false, null, void; no Result or Error */
    }
}

static void c_noop(void *inst) { (void)inst; }
static void c_obj_retain(void *inst) { nyrt_obj_retain(inst); }
static void c_obj_release(void *inst) { nyrt_obj_release(inst); }
static void c_host_retain(void *inst) { nyrt_host_retain((uint64_t)(uintptr_t)inst); }
static void c_host_release(void *inst) { nyrt_host_release((uint64_t)(uintptr_t)inst); }

/* Every core value to its C representation (BORROW: valid while val is). A Float points into val itself. */
static nyrt_err c_from_nyash(const nyrt_nyash_value *val, void **out, nyrt_ownership *own) {
    int32_t kind = nyrt_kind_of(val);
    *own = NYRT_OWN_BORROW;
    switch (kind) {
    case NYRT_TID_INTEGER: case NYRT_TID_BOOL: *out = (void *)(intptr_t)(int64_t)val->box_handle; return NYRT_OK;
    case NYRT_TID_FLOAT: *out = (void *)&val->box_handle; return NYRT_OK;
    case NYRT_TID_STRING: *out = ((nyrt_str *)(uintptr_t)val->box_handle)->bytes; return NYRT_OK;
    case NYRT_TID_NULL: case NYRT_TID_VOID: *out = NULL; return NYRT_OK;
    case -1: return nyrt_fail(NYRT_E_TYPE, "from_nyash: not a core value");
    default: *out = (void *)(uintptr_t)val->box_handle; return NYRT_OK;   /* objects and host handles */
    }
}

static nyrt_err scalar_to(int32_t kind, uint64_t bits, nyrt_nyash_value *out, nyrt_ownership *own) {
    out->type_id = nyrt_core_ids[kind];
    out->box_handle = bits;
    out->metadata = NYASH_META_INLINE;
    *own = NYRT_OWN_BORROW;
    return NYRT_OK;
}

static nyrt_err c_int_to(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    return scalar_to(NYRT_TID_INTEGER, (uint64_t)(intptr_t)inst, out, own);
}

static nyrt_err c_bool_to(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    return scalar_to(NYRT_TID_BOOL, inst != NULL, out, own);
}

static nyrt_err c_null_to(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    (void)inst;
    return scalar_to(NYRT_TID_NULL, 0, out, own);
}

static nyrt_err c_void_to(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    (void)inst;
    return scalar_to(NYRT_TID_VOID, 0, out, own);
}

static nyrt_err c_float_to(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    *own = NYRT_OWN_BORROW;
    nyrt_v_float(inst ? *(const double *)inst : 0.0, out);
    return NYRT_OK;
}

/* A new String copied from the bytes: out is the caller's (TRANSFER). */
static nyrt_err c_str_to(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    *own = NYRT_OWN_TRANSFER;
    return nyrt_str_lit(inst ? (const char *)inst : "", out);
}

/* The object itself, not retained (BORROW). */
static nyrt_err c_obj_to(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    *own = NYRT_OWN_BORROW;
    if (!inst)
        return nyrt_fail(NYRT_E_ARG, "to_nyash: NULL object");
    nyrt_val_of_obj(inst, out);
    return NYRT_OK;
}

static nyrt_err c_host_to(const void *inst, nyrt_nyash_value *out, nyrt_ownership *own) {
    *own = NYRT_OWN_BORROW;
    nyrt_host_object((uint64_t)(uintptr_t)inst, out);
    return NYRT_OK;
}

/* Core methods take Nyash values; a bare void* argument cannot say what it is, so C-ABI calls are refused. */
static nyrt_err c_invoke_by_id(void *inst, uint64_t method, const void *const *argv, size_t argc, void **ret,
                               nyrt_ownership *ret_own) {
    (void)inst, (void)method, (void)argv, (void)argc;
    *ret = NULL;
    *ret_own = NYRT_OWN_BORROW;
    return nyrt_plugin_fail(NYRT_E_NOT_FOUND, "core types are called through their Nyash ABI vtable");
}

static nyrt_err c_invoke_by_name(void *inst, const char *method, const void *const *argv, size_t argc, void **ret,
                                 nyrt_ownership *ret_own) {
    (void)method;
    return c_invoke_by_id(inst, 0, argv, argc, ret, ret_own);
}

#define C_VTABLE(name, retain, release, to) \
    static const nyrt_c_vtable name = {c_create, retain, release, to, c_from_nyash, c_invoke_by_id, c_invoke_by_name}
C_VTABLE(c_int, c_noop, c_noop, c_int_to);
C_VTABLE(c_float, c_noop, c_noop, c_float_to);
C_VTABLE(c_bool, c_noop, c_noop, c_bool_to);
C_VTABLE(c_str, c_noop, c_noop, c_str_to);
C_VTABLE(c_null, c_noop, c_noop, c_null_to);
C_VTABLE(c_void, c_noop, c_noop, c_void_to);
C_VTABLE(c_obj, c_obj_retain, c_obj_release, c_obj_to);
C_VTABLE(c_host, c_host_retain, c_host_release, c_host_to);

static const nyrt_c_vtable *c_vtable_of(int32_t kind) {
    switch (kind) {
    case NYRT_TID_INTEGER: return &c_int;
    case NYRT_TID_FLOAT: return &c_float;
    case NYRT_TID_BOOL: return &c_bool;
    case NYRT_TID_STRING: return &c_str;
    case NYRT_TID_NULL: return &c_null;
    case NYRT_TID_VOID: return &c_void;
    case NYRT_TID_HOST: return &c_host;
    default: return &c_obj;
    }
}

/* ---- the TypeBoxes ------------------------------------------------------------------------------------------ */
static nyrt_typebox typeboxes[NYRT_CORE_COUNT];

/* {"methods": {"name/arity": {}, ...}, "birth_arity": [...]} -- what `new` accepts is language.md 7.1 */
static char *make_meta(int32_t kind, size_t *len) {
    static const char *const births[NYRT_CORE_COUNT] = {
        "[0, 1]", "[0, 1]", "[0, 1]", "[0, 1]", "[0]", "[]", "[0]", "[0]", "[0]", "[0]", "[1]", "[]", "[]",
    };
    char key[80];
    nyrt_buf b;
    nyrt_buf_init(&b);
    nyrt_buf_adds(&b, "{\"methods\": {");
    for (size_t i = first_method[kind]; i < first_method[kind + 1]; i++) {
        for (unsigned n = methods[i].min; n <= id_arity_end(&methods[i]); n++) {
            snprintf(key, sizeof key, "%s\"%s/%u\": {}", b.p[b.len - 1] == '{' ? "" : ", ", methods[i].m->name, n);
            nyrt_buf_adds(&b, key);
        }
    }
    nyrt_buf_adds(&b, "}, \"birth_arity\": ");
    nyrt_buf_adds(&b, births[kind]);
    nyrt_buf_add(&b, "}", 2);                  /* with the NUL: json is a C string too */
    if (b.oom) {
        nyrt_buf_free(&b);
        return NULL;
    }
    *len = b.len - 1;
    return b.p;                                /* kept for the life of the process */
}

static int32_t is_immutable(int32_t kind) {
    return kind <= NYRT_TID_VOID || kind == NYRT_TID_RESULT || kind == NYRT_TID_ERROR;
}

static nyrt_err fill_typebox(int32_t kind) {
    nyrt_typebox *tb = &typeboxes[kind];
    memset(tb, 0, sizeof *tb);
    tb->abi_tag = NYRT_ABI_TAG;
    tb->ver_major = NYRT_ABI_VER_MAJOR;
    tb->ver_minor = NYRT_ABI_VER_MINOR;
    tb->size = (uint32_t)sizeof *tb;
    tb->abi_kind = NYRT_ABI_UNIFIED;
#ifdef _WIN64
    tb->callconv = NYRT_CALLCONV_WIN64;
#else
    tb->callconv = NYRT_CALLCONV_SYSV;
#endif
    tb->flags = is_immutable(kind) ? NYRT_TYPE_IMMUTABLE : 0;
    tb->name = nyrt_core_names[kind];
    nyrt_sha256((const uint8_t *)tb->name, strlen(tb->name), tb->stable_id);
    tb->fast_key = nyrt_core_ids[kind];
    tb->align = 8;
    tb->c = c_vtable_of(kind);
    tb->ny = kind == NYRT_TID_HOST ? &ny_host : &ny_core;
    tb->meta.json = make_meta(kind, &tb->meta.json_len);
    tb->user_data = &kind_codes[kind];
    return tb->meta.json ? NYRT_OK : nyrt_oom();
}

const nyrt_typebox *nyrt_core_typebox(int32_t which) {
    return which >= 0 && which < NYRT_CORE_COUNT && typeboxes[which].abi_tag ? &typeboxes[which] : NULL;
}

/* ---- init ------------------------------------------------------------------------------------------------------ */
static int initialized;

nyrt_err nyrt_init(void) {
    char why[256];
    if (initialized)
        return NYRT_OK;
    for (int32_t k = 0; k < NYRT_CORE_COUNT; k++)
        nyrt_core_ids[k] = nyrt_fast_key(nyrt_core_names[k]);
    nyrt_core_served_changed();
    build_methods();
    nyrt_str_init_constants();
    for (int32_t k = 0; k < NYRT_CORE_COUNT; k++) {
        nyrt_err e = typeboxes[k].abi_tag ? NYRT_OK : fill_typebox(k);
        if (e == NYRT_OK && !nyrt_tb_lookup(nyrt_core_ids[k]))
            e = nyrt_tb_register(&typeboxes[k], NYRT_PLUGIN_CORE, why, sizeof why);
        if (e != NYRT_OK)
            return nyrt_fail(e, "nyrt_init: %s", e == NYRT_E_OOM ? "out of memory" : why);
    }
    initialized = 1;
    return NYRT_OK;
}
