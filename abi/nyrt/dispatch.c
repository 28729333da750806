/* dispatch.c -- the unified method call (abi.md section 5) and the ownership bookkeeping of plugin values.
 *
 * In: any value and a method (name and/or id). Out: a +1 result or a non-OK code with the failure recorded
 * for nyrt_last_error. Core values go to nyrt_core_call, host objects to the host hooks, plugin values to
 * their TypeBox: the Nyash ABI when it has one, else the C-ABI bridge below, which converts in C (abi/README.md
 * "C representation of core values") so that its overhead stays native.
 *
 * Live instances are counted per plugin for every reference held outside it (by nyrt, by other plugins): +1
 * on create, on each owned (+1 / TRANSFER / CLONE) value received and on retain, -1 on release (the exact rule
 * is above count_received). A count of zero means nothing outside the plugin points into it, which is what
 * makes unloading safe.
 *
 * invoke_by_name is tried after E_NOT_FOUND from invoke_by_id only for ids the metadata does not list.
 * The C-ABI bridge also knows the metadata extension "nyash.core.Any" (an argument or result passed as the
 * nyrt_nyash_value* itself, for methods such as MapBox.get that take and give values of any type).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "abi_internal.h"
#include "internal.h"

#define STACK_ARGS 8

/* ---- failures -------------------------------------------------------------------------------------------- */
/* The user-facing text of the last kind-2 failure, and the detail it was made from: a kind-2 error recorded
 * elsewhere (nyrt_set_error from a host hook) does not match and is shown as it is. Per thread, like the
 * last error itself (values.c). */
static _Thread_local char full_message[1024];
static _Thread_local char full_detail[512];

static const char *err_name(nyrt_err code) {
    static const char *names[] = {"OK", "E_ARG", "E_TYPE", "E_STATE", "E_OOM", "E_ABORT", "E_NOT_FOUND"};
    return code >= 0 && code <= NYRT_E_NOT_FOUND ? names[code] : "E_UNKNOWN";
}

nyrt_err nyrt_plugin_fail(nyrt_err code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    nyrt_set_errorv(2, fmt, ap);
    va_end(ap);
    snprintf(full_message, sizeof full_message, "%s", nyrt_last_error());
    snprintf(full_detail, sizeof full_detail, "%s", nyrt_last_error());
    return code;
}

/* "PluginError: TYPE.METHOD failed: E_CODE (DETAIL)"; nyrt_last_error() keeps the DETAIL alone. */
static nyrt_err call_failed(const char *type, const char *method, nyrt_err code, const char *detail) {
    nyrt_set_error(2, detail);
    snprintf(full_message, sizeof full_message, "PluginError: %s.%s failed: %s (%s)", type, method,
             err_name(code), detail);
    snprintf(full_detail, sizeof full_detail, "%s", nyrt_last_error());
    return code;
}

const char *nyrt_last_error_message(void) {
    int mine = nyrt_last_error_kind() == 2 && strcmp(full_detail, nyrt_last_error()) == 0;
    return mine ? full_message : nyrt_last_error();
}

const char *nyrt_err_code_name(nyrt_err code) {
    return err_name(code);
}

/* The method's name for messages: the caller's, else the metadata key of the id without "/arity". */
static void method_label(const nyrt_tb_entry *e, uint64_t id, const char *method, char *out, size_t cap) {
    const nyrt_meta_method *m = method ? NULL : nyrt_meta_find(&e->meta, id);
    if (method)
        snprintf(out, cap, "%s", method);
    else if (m)
        snprintf(out, cap, "%.*s", (int)(strrchr(m->key, '/') - m->key), m->key);
    else
        snprintf(out, cap, "#%016llx", (unsigned long long)id);
}

/* ---- counting and retain/release of plugin values ----------------------------------------------------- */
/* A plugin's count is the references held *outside* it: by nyrt (values, arrays) and by other plugins. A
 * reference a plugin takes on its own values (through host value_retain while one of its calls runs) is
 * internal and not counted; when it then hands such a reference back as a result, the receipt is counted.
 * A result holding another plugin's value was counted when the callee retained it, so its receipt is not. */
static _Thread_local int32_t current = NYRT_PLUGIN_NONE;   /* the plugin whose code is running */

int32_t nyrt_dispatch_enter(int32_t plugin_id) {
    int32_t previous = current;
    current = plugin_id;
    return previous;
}

void nyrt_dispatch_leave(int32_t previous) {
    current = previous;
}

static int is_inline(const nyrt_nyash_value *v) {
    return (v->metadata & NYASH_META_INLINE) != 0;
}

static void count_plugin(int32_t plugin_id, int64_t delta) {
    if (plugin_id >= 0)
        nyrt_plugin_count(plugin_id, delta);
}

/* A +1 result of plugin `callee` received by nyrt. */
static void count_received(const nyrt_nyash_value *v, int32_t callee) {
    nyrt_tb_entry *e = is_inline(v) ? NULL : nyrt_tb_entry_of(v->type_id);
    if (e && e->plugin_id == callee)
        count_plugin(callee, +1);
}

/* retain (delta +1) or release (-1) through the value's TypeBox, counted or not */
static void plugin_ref(const nyrt_nyash_value *v, int delta, int counted) {
    nyrt_tb_entry *e = nyrt_tb_entry_of(v->type_id);
    if (!e)          /* its plugin is gone: nothing can be called safely; unload made sure none were live */
        return;
    const nyrt_typebox *tb = e->tb;
    int32_t previous = nyrt_dispatch_enter(e->plugin_id);
    if (tb->ny) {
        (delta > 0 ? tb->ny->retain : tb->ny->release)(v);
    } else {
        void *inst = NULL;
        nyrt_ownership own = NYRT_OWN_BORROW;
        if (tb->c->from_nyash(v, &inst, &own) == NYRT_OK) {
            if (own != NYRT_OWN_BORROW)     /* from_nyash handed us a reference of our own */
                tb->c->release(inst);
            (delta > 0 ? tb->c->retain : tb->c->release)(inst);
        }
    }
    nyrt_dispatch_leave(previous);
    if (counted)
        count_plugin(e->plugin_id, delta);
}

void nyrt_dispatch_retain(const nyrt_nyash_value *v) {
    if (is_inline(v))
        return;
    if (nyrt_host_is_object(v))
        nyrt_host_retain(v->box_handle);
    else
        plugin_ref(v, +1, 1);
}

void nyrt_dispatch_release(const nyrt_nyash_value *v) {
    if (is_inline(v))
        return;
    if (nyrt_host_is_object(v))
        nyrt_host_release(v->box_handle);
    else
        plugin_ref(v, -1, 1);
}

void nyrt_dispatch_host_ref(const nyrt_nyash_value *v, int32_t delta) {
    nyrt_tb_entry *e = is_inline(v) || nyrt_host_is_object(v) ? NULL : nyrt_tb_entry_of(v->type_id);
    if (e && e->plugin_id >= 0 && e->plugin_id == current)
        plugin_ref(v, delta, 0);            /* the running plugin's own value: an internal reference */
    else if (delta > 0)
        nyrt_val_retain(v);
    else
        nyrt_val_release(v);
}

/* ---- the C-ABI bridge: arguments ------------------------------------------------------------------------ */
typedef struct c_arg {
    void *ptr;
    double f;                       /* a Float argument's storage: ptr points here */
    const nyrt_c_vtable *owner;     /* non-NULL: ptr is a reference from_nyash gave us, released after */
} c_arg;

static nyrt_err to_c(const nyrt_nyash_value *v, int any, c_arg *a, const char **why) {
    int32_t kind = nyrt_core_index(v->type_id);
    const char *s;
    size_t len;
    a->owner = NULL;
    if (any) {                      /* "nyash.core.Any": the value itself, borrowed for the call */
        a->ptr = (void *)v;
        return NYRT_OK;
    }
    switch (kind) {
    case NYRT_TID_INTEGER: case NYRT_TID_BOOL:
        a->ptr = (void *)(intptr_t)(int64_t)v->box_handle;
        return NYRT_OK;
    case NYRT_TID_FLOAT:
        memcpy(&a->f, &v->box_handle, sizeof a->f);
        a->ptr = &a->f;
        return NYRT_OK;
    case NYRT_TID_STRING:
        if (nyrt_str_view(v, &s, &len) != NYRT_OK)
            break;
        a->ptr = (void *)s;
        return NYRT_OK;
    case NYRT_TID_NULL: case NYRT_TID_VOID:
        a->ptr = NULL;
        return NYRT_OK;
    case NYRT_TID_HOST:
        *why = "a host object has no C representation";
        return NYRT_E_TYPE;
    case -1:
        break;
    default:                        /* Array, Map and the other boxed core values: the object's address */
        a->ptr = (void *)(uintptr_t)v->box_handle;
        return NYRT_OK;
    }
    nyrt_tb_entry *e = kind == -1 ? nyrt_tb_entry_of(v->type_id) : NULL;
    if (!e || !e->tb->c) {
        *why = e ? "its type has no C ABI" : "unknown value type";
        return e ? NYRT_E_TYPE : NYRT_E_STATE;
    }
    nyrt_ownership own = NYRT_OWN_BORROW;
    nyrt_err r = e->tb->c->from_nyash(v, &a->ptr, &own);
    if (r == NYRT_OK && own != NYRT_OWN_BORROW)
        a->owner = e->tb->c;
    *why = "from_nyash failed";
    return r;
}

static void drop_c_args(c_arg *a, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (a[i].owner)
            a[i].owner->release(a[i].ptr);
}

/* ---- the C-ABI bridge: the returned pointer, converted by the type the metadata declares --------------- */
static nyrt_err from_c_plugin(nyrt_tb_entry *e, int32_t callee, void *p, nyrt_ownership rown,
                              nyrt_nyash_value *ret) {
    nyrt_ownership own = NYRT_OWN_BORROW;
    int foreign = e->plugin_id != callee;        /* a reference the callee held was already counted */
    if (!e->tb->c)
        return NYRT_E_TYPE;
    int32_t previous = nyrt_dispatch_enter(e->plugin_id);
    nyrt_err r = e->tb->c->to_nyash(p, ret, &own);
    if (r == NYRT_OK && own != NYRT_OWN_BORROW && rown != NYRT_OWN_BORROW)
        e->tb->c->release(p);                      /* ret holds its own reference; drop the one we were given */
    nyrt_dispatch_leave(previous);
    if (r != NYRT_OK)
        return r;
    if (own == NYRT_OWN_BORROW && rown == NYRT_OWN_BORROW) {
        nyrt_dispatch_retain(ret);                 /* a view of something the plugin keeps: take our own +1 */
        return NYRT_OK;
    }
    if (own != NYRT_OWN_BORROW && rown != NYRT_OWN_BORROW && foreign)
        count_plugin(e->plugin_id, -1);
    if (own != NYRT_OWN_BORROW || !foreign)
        count_plugin(e->plugin_id, +1);
    return NYRT_OK;
}

/* "nyash.core.Any": p is a nyrt_nyash_value*; BORROW lends the callee's own (nyrt copies and retains it),
 * TRANSFER / CLONE hands over a host_alloc'd cell holding a +1 value (nyrt takes it, frees the cell). */
static nyrt_err from_c_any(int32_t callee, void *p, nyrt_ownership rown, nyrt_nyash_value *ret) {
    if (!p) {
        nyrt_v_void(ret);
        return NYRT_OK;
    }
    *ret = *(const nyrt_nyash_value *)p;
    if (rown == NYRT_OWN_BORROW) {
        nyrt_val_retain(ret);
        return NYRT_OK;
    }
    nyrt_host_table()->host_free(p);
    count_received(ret, callee);
    return NYRT_OK;
}

static nyrt_err from_c(uint64_t ret_tid, int32_t callee, void *p, nyrt_ownership rown, nyrt_nyash_value *ret) {
    int owned = rown != NYRT_OWN_BORROW;
    nyrt_err r = NYRT_OK;
    static uint64_t any_tid;
    if (!any_tid)
        any_tid = nyrt_fast_key(NYRT_ANY_NAME);
    if (ret_tid == any_tid)
        return from_c_any(callee, p, rown, ret);
    switch (ret_tid ? nyrt_core_index(ret_tid) : NYRT_TID_VOID) {
    case NYRT_TID_INTEGER: nyrt_v_int((int64_t)(intptr_t)p, ret); return NYRT_OK;
    case NYRT_TID_BOOL: nyrt_v_bool(p != NULL, ret); return NYRT_OK;
    case NYRT_TID_NULL: nyrt_v_null(ret); return NYRT_OK;
    case NYRT_TID_VOID: nyrt_v_void(ret); return NYRT_OK;
    case NYRT_TID_FLOAT:
        nyrt_v_float(p ? *(const double *)p : 0.0, ret);
        break;
    case NYRT_TID_STRING:
        if (p)
            r = nyrt_str_new((const char *)p, strlen((const char *)p), ret);
        else
            nyrt_v_null(ret);
        break;
    case NYRT_TID_HOST:
        return NYRT_E_TYPE;
    case -1: {
        nyrt_tb_entry *e = nyrt_tb_entry_of(ret_tid);
        return e ? from_c_plugin(e, callee, p, rown, ret) : NYRT_E_STATE;
    }
    default:                                           /* a boxed core object by address */
        ret->type_id = ret_tid;
        ret->box_handle = (uint64_t)(uintptr_t)p;
        ret->metadata = 0;
        if (!owned)
            nyrt_val_retain(ret);
        return NYRT_OK;
    }
    if (owned && p)        /* Float and String storage handed over by the plugin, allocated with host_alloc */
        nyrt_host_table()->host_free(p);
    return r;
}

/* invoke_by_name is the fallback for an id the plugin does not know (abi.md section 5). An E_NOT_FOUND for a
 * method the metadata lists is that method's own result: calling it again by name would run it twice. */
static int by_name_fallback(const nyrt_tb_entry *e, nyrt_err r, uint64_t id, const char *method) {
    return r == NYRT_E_NOT_FOUND && method && !nyrt_meta_find(&e->meta, id);
}

static nyrt_err c_invoke(const nyrt_tb_entry *e, void *inst, uint64_t id, const char *method, c_arg *args,
                         size_t argc, void **rp, nyrt_ownership *rown) {
    const nyrt_typebox *tb = e->tb;
    void *stack[STACK_ARGS];
    void **argv = argc <= STACK_ARGS ? stack : nyrt_mem_alloc(argc * sizeof(void *));
    if (!argv)
        return NYRT_E_OOM;
    for (size_t i = 0; i < argc; i++)
        argv[i] = args[i].ptr;
    nyrt_err r = tb->c->invoke_by_id(inst, id, (const void *const *)argv, argc, rp, rown);
    if (tb->c->invoke_by_name && by_name_fallback(e, r, id, method))
        r = tb->c->invoke_by_name(inst, method, (const void *const *)argv, argc, rp, rown);
    if (argv != stack)
        nyrt_mem_free(argv, argc * sizeof(void *));
    return r;
}

/* The whole bridge: self and arguments in, the call, the return value out; every reference released. */
static nyrt_err c_call(nyrt_tb_entry *e, const nyrt_nyash_value *self, uint64_t id, const char *method,
                       const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *ret, const char **why) {
    const nyrt_c_vtable *c = e->tb->c;
    c_arg stack[STACK_ARGS], *a = argc <= STACK_ARGS ? stack : nyrt_mem_alloc(argc * sizeof(c_arg));
    void *inst = NULL, *rp = NULL;
    nyrt_ownership self_own = NYRT_OWN_BORROW, rown = NYRT_OWN_BORROW;
    size_t done = 0;
    if (!a)
        return NYRT_E_OOM;
    const nyrt_meta_method *m = nyrt_meta_find(&e->meta, id);
    uint64_t any = m ? m->any_args : 0;
    nyrt_err r = c->from_nyash(self, &inst, &self_own);
    *why = "from_nyash failed on the receiver";
    for (; r == NYRT_OK && done < argc; done++) {
        if ((r = to_c(&args[done], done < 64 && (any >> done & 1), &a[done], why)) != NYRT_OK) {
            static _Thread_local char arg_why[160];
            snprintf(arg_why, sizeof arg_why, "argument %zu: %s", done + 1, *why);
            *why = arg_why;
            break;
        }
    }
    if (r == NYRT_OK) {
        r = c_invoke(e, inst, id, method, a, argc, &rp, &rown);
        *why = r == NYRT_E_NOT_FOUND ? "unknown method" : "no detail";
    }
    drop_c_args(a, done);
    if (r == NYRT_OK) {
        r = from_c(m ? m->ret_tid : 0, e->plugin_id, rp, rown, ret);
        *why = "cannot convert the returned value to its declared \"ret\" type";
    }
    if (self_own != NYRT_OWN_BORROW && inst)
        c->release(inst);
    if (a != stack)
        nyrt_mem_free(a, argc * sizeof(c_arg));
    return r;
}

/* ---- the Nyash ABI path ---------------------------------------------------------------------------------- */
static nyrt_err ny_call(nyrt_tb_entry *e, const nyrt_nyash_value *self, uint64_t id, const char *method,
                        const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *ret, const char **why) {
    const nyrt_ny_vtable *ny = e->tb->ny;
    nyrt_nyash_value me = *self;     /* the vtable takes a mutable self; the caller's stays untouched */
    nyrt_err r = ny->invoke_by_id(&me, id, args, argc, ret);
    if (ny->invoke_by_name && by_name_fallback(e, r, id, method))
        r = ny->invoke_by_name(&me, method, args, argc, ret);
    if (r == NYRT_OK)
        count_received(ret, e->plugin_id);
    *why = r == NYRT_E_NOT_FOUND ? "unknown method" : "no detail";
    return r;
}

/* ---- the entry points ----------------------------------------------------------------------------------- */
static nyrt_err plugin_call(nyrt_tb_entry *e, const nyrt_nyash_value *self, uint64_t id, const char *method,
                            const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *ret) {
    const char *why = "no detail";
    char detail[512], label[128];
    nyrt_host_call_begin();
    int32_t previous = nyrt_dispatch_enter(e->plugin_id);
    nyrt_err r = e->tb->ny ? ny_call(e, self, id, method, args, argc, ret, &why)
                           : c_call(e, self, id, method, args, argc, ret, &why);
    nyrt_dispatch_leave(previous);
    int logged = nyrt_host_call_end(r, detail, sizeof detail);
    if (r == NYRT_OK)
        return NYRT_OK;
    nyrt_v_void(ret);
    method_label(e, id, method, label, sizeof label);
    if (!logged && r == NYRT_E_NOT_FOUND)
        snprintf(detail, sizeof detail, "unknown method %s/%zu", label, argc);
    else if (!logged)
        snprintf(detail, sizeof detail, "%s", why);
    return call_failed(e->short_name, label, r, detail);
}

static const char *unloaded_name(uint64_t type_id);

nyrt_err nyrt_call_id(const nyrt_nyash_value *self, uint64_t method_id, const char *method,
                      const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *ret) {
    nyrt_v_void(ret);
    if (nyrt_inst_of(self))
        return nyrt_inst_call(self, method_id, method, argc, ret);
    if (nyrt_host_is_object(self)) {
        if (!method)
            return nyrt_plugin_fail(NYRT_E_NOT_FOUND, "a host object's method must be called by name");
        return nyrt_host_call(self->box_handle, method, args, argc, ret);
    }
    if (nyrt_core_index(self->type_id) >= 0)
        return nyrt_core_call(self, method_id, method, args, argc, ret);
    nyrt_tb_entry *e = nyrt_tb_entry_of(self->type_id);
    if (e)
        return plugin_call(e, self, method_id, method, args, argc, ret);
    return call_failed(unloaded_name(self->type_id), method ? method : "?", NYRT_E_STATE,
                       "the type's plugin is not loaded (unloaded?)");
}

nyrt_err nyrt_call(const nyrt_nyash_value *self, const char *method, const nyrt_nyash_value *args, size_t argc,
                   nyrt_nyash_value *ret) {
    return nyrt_call_id(self, nyrt_method_id(method, (int32_t)argc), method, args, argc, ret);
}

static const char *unloaded_name(uint64_t type_id) {
    const char *known = nyrt_plugin_type_name_of(type_id);
    return known ? known : "<unknown type>";
}

/* ---- instances: create and `new` (abi/README.md "Plugins") ----------------------------------------------- */
static nyrt_err create_raw(const nyrt_typebox *tb, nyrt_nyash_value *out) {
    void *env = (void *)tb->user_data;      /* create's env/ctx is the TypeBox's user_data */
    if (tb->ny) {
        nyrt_err r = tb->ny->create(env, out);
        if (r == NYRT_OK && out->type_id == 0)
            out->type_id = tb->fast_key;
        return r;
    }
    void *inst = tb->c->create(env);
    nyrt_ownership own = NYRT_OWN_BORROW;
    if (!inst)
        return NYRT_E_STATE;
    nyrt_err r = tb->c->to_nyash(inst, out, &own);
    if (r != NYRT_OK || own != NYRT_OWN_BORROW)   /* BORROW: the value took over create's reference */
        tb->c->release(inst);
    return r;
}

nyrt_err nyrt_tb_create(const nyrt_typebox *tb, nyrt_nyash_value *out) {
    char detail[512];
    nyrt_v_void(out);
    nyrt_tb_entry *e = tb ? nyrt_tb_entry_of(tb->fast_key) : NULL;
    if (!e || e->tb != tb)
        return nyrt_plugin_fail(NYRT_E_STATE, "the TypeBox is not registered");
    nyrt_host_call_begin();
    int32_t previous = nyrt_dispatch_enter(e->plugin_id);
    nyrt_err r = create_raw(tb, out);
    nyrt_dispatch_leave(previous);
    if (!nyrt_host_call_end(r, detail, sizeof detail))
        snprintf(detail, sizeof detail, "%s", r == NYRT_E_STATE ? "create returned nothing" : "no detail");
    if (r != NYRT_OK) {
        nyrt_v_void(out);
        return call_failed(e->short_name, "create", r, detail);
    }
    count_plugin(e->plugin_id, +1);
    return NYRT_OK;
}

static int has_method(const nyrt_tb_entry *e, const char *name, size_t argc) {
    return nyrt_meta_find(&e->meta, nyrt_method_id(name, (int32_t)argc)) != NULL;
}

/* The counts `new` accepts: "birth_arity" when given, else 0 and every N with a "birth/N" method. */
static int arity_ok(const nyrt_tb_entry *e, size_t argc) {
    if (!e->meta.birth_arity)
        return argc == 0 || has_method(e, "birth", argc);
    for (size_t i = 0; i < e->meta.birth_count; i++)
        if ((size_t)e->meta.birth_arity[i] == argc)
            return 1;
    return 0;
}

nyrt_err nyrt_tb_new(uint64_t fast_key, const nyrt_nyash_value *args, size_t argc, nyrt_nyash_value *out) {
    nyrt_nyash_value born;
    nyrt_v_void(out);
    nyrt_tb_entry *e = nyrt_tb_entry_of(fast_key);
    if (!e)
        return call_failed(unloaded_name(fast_key), "birth", NYRT_E_STATE, "the type's plugin is not loaded");
    if (!arity_ok(e, argc))
        return nyrt_fail(NYRT_E_ARG, "No constructor found for %s with %zu argument%s", e->short_name, argc,
                         argc == 1 ? "" : "s");
    if (e->has_singleton) {
        *out = e->singleton;
        nyrt_val_retain(out);
        return NYRT_OK;
    }
    nyrt_err r = nyrt_tb_create(e->tb, out);
    if (r == NYRT_OK && (argc > 0 || has_method(e, "birth", 0))) {
        r = nyrt_call_id(out, nyrt_method_id("birth", (int32_t)argc), "birth", args, argc, &born);
        nyrt_val_release(&born);
        if (r != NYRT_OK) {
            nyrt_val_release(out);
            nyrt_v_void(out);
        }
    }
    if (r == NYRT_OK && e->meta.singleton) {
        e->singleton = *out;                  /* the registry keeps one reference for later `new`s */
        e->has_singleton = 1;
        nyrt_val_retain(out);
    }
    return r;
}

/* ---- display and names of values nyrt does not serve itself -------------------------------------------- */
const char *nyrt_tb_short_name_of(uint64_t type_id) {
    nyrt_tb_entry *e = nyrt_tb_entry_of(type_id);
    return e ? e->short_name : NULL;
}

nyrt_err nyrt_call_display(const nyrt_nyash_value *v, nyrt_nyash_value *out) {
    char text[160];
    if (is_inline(v) || nyrt_inst_of(v) || (!nyrt_host_is_object(v) && nyrt_core_index(v->type_id) >= 0))
        return nyrt_val_display(v, out);
    nyrt_err r = nyrt_call(v, "toString", NULL, 0, out);
    if (r != NYRT_E_NOT_FOUND)
        return r;
    const char *name = nyrt_host_is_object(v) ? NULL : nyrt_tb_short_name_of(v->type_id);
    snprintf(text, sizeof text, "%s()", name ? name : unloaded_name(v->type_id));
    return nyrt_str_new(text, strlen(text), out);
}
