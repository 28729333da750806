/* exec.c -- what compiled Nyash code calls (nyrt_exec.h): the program tables, user-box instances and
 * singletons, fields, constants, output and the pending exception. Calls and `new` are in exec_calls.c.
 *
 * The executable definition is the VM's support code (backends/vm/support.py, machine.py) with the Python
 * runtime's values and display (nyash_run/runtime): the same serial numbers, display strings and messages.
 * An instance is a nyrt object of kind NYRT_KIND_INSTANCE laid out as internal.h describes; its class points
 * into the program's tables, which the caller owns and keeps alive as long as any instance of them lives.
 *
 * The pending exception is what compiled code propagates by returning NYRT_X_FAIL: a runtime error (its
 * message) or a thrown ErrorBox, and a position. Its text is what an uncaught error prints after "error: ":
 * the message of a runtime error, "Uncaught exception: MSG" for a thrown ErrorBox (errors.py user_message).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- the program ------------------------------------------------------------------------------------------ */
static const nyrt_x_program *program;
static nyrt_inst **singletons;    /* one slot per class, NULL until created; the table holds a reference */
static int64_t nsingletons;
static int64_t *canon;            /* name_id -> the first name_id with the same text (names need not be unique) */
static int64_t ncanon;
static int64_t serial;            /* the last serial number handed out */
uint32_t nyrt_x_program_gen = 1;  /* internal.h */

int32_t nyrt_x_errorf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    nyrt_set_errorv(1, fmt, ap);
    va_end(ap);
    return NYRT_X_FAIL;
}

static int32_t out_of_memory(void) {
    nyrt_oom();
    return NYRT_X_FAIL;
}

const nyrt_x_program *nyrt_x_current_program(void) {
    return program;
}

const char *nyrt_x_name(int64_t name_id) {
    return program && name_id >= 0 && name_id < program->nnames ? program->names[name_id] : NULL;
}

const nyrt_x_class *nyrt_x_class_at(int64_t cls) {
    return program && cls >= 0 && cls < program->nclasses ? &program->classes[cls] : NULL;
}

int64_t nyrt_x_class_named(const char *name) {
    for (int64_t i = 0; program && name && i < program->nclasses; i++)
        if (strcmp(program->classes[i].name, name) == 0)
            return i;
    return -1;
}

const nyrt_x_entry *nyrt_x_method(const nyrt_x_class *c, int64_t name_id) {
    if (name_id < 0 || name_id >= ncanon)
        return NULL;
    int64_t want = canon[name_id];
    for (int64_t i = 0; i < c->nmethods; i++)
        if (canon[c->methods[i].name_id] == want)
            return &c->methods[i];
    return NULL;
}

static const char *bad_entries(const nyrt_x_entry *e, int64_t n, int64_t nnames, int ctors) {
    if (n < 0 || (n && !e))
        return ctors ? "constructor table" : "method table";
    for (int64_t i = 0; i < n; i++) {
        if (!e[i].fn || e[i].nparams < 0)
            return ctors ? "constructor entry" : "method entry";
        if (!ctors && (e[i].name_id < 0 || e[i].name_id >= nnames))
            return "method name_id out of range";
    }
    return NULL;
}

static const char *malformed(const nyrt_x_program *p) {
    if (p->nclasses < 0 || (p->nclasses && !p->classes))
        return "class table";
    if (p->nnames < 0 || (p->nnames && !p->names))
        return "name table";
    if (p->npositions < 0 || (p->npositions && !p->positions))
        return "position table";
    if (p->main_class < -1 || p->main_class >= p->nclasses)
        return "main_class out of range";
    for (int64_t i = 0; i < p->nnames; i++)
        if (!p->names[i])
            return "NULL name";
    for (int64_t i = 0; i < p->nclasses; i++) {
        const nyrt_x_class *c = &p->classes[i];
        const char *why;
        if (!c->name || c->nfields < 0 || (c->nfields && !c->fields))
            return "class entry";
        for (int64_t f = 0; f < c->nfields; f++)
            if (!c->fields[f])
                return "NULL field name";
        if ((why = bad_entries(c->methods, c->nmethods, p->nnames, 0)) != NULL ||
            (why = bad_entries(c->ctors, c->nctors, p->nnames, 1)) != NULL)
            return why;
    }
    return NULL;
}

static const char *const *sort_names;   /* qsort has no context argument */

static int by_text(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    int c = strcmp(sort_names[x], sort_names[y]);
    return c ? c : (x > y) - (x < y);
}

/* canon[i]: the smallest name_id whose text equals names[i] */
static int64_t *make_canon(const nyrt_x_program *p) {
    size_t n = (size_t)p->nnames;
    int64_t *order = nyrt_mem_alloc(n * sizeof *order), *result = nyrt_mem_alloc(n * sizeof *result);
    if (!order || !result) {
        nyrt_mem_free(order, n * sizeof *order);
        nyrt_mem_free(result, n * sizeof *result);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (int64_t)i;
    sort_names = p->names;
    qsort(order, n, sizeof *order, by_text);
    for (size_t i = 0; i < n; i++)
        result[order[i]] = i && strcmp(p->names[order[i]], p->names[order[i - 1]]) == 0 ? result[order[i - 1]] : order[i];
    nyrt_mem_free(order, n * sizeof *order);
    return result;
}

int32_t nyrt_x_program_init(const nyrt_x_program *p) {
    const char *why = p ? malformed(p) : NULL;
    if (why)
        return nyrt_x_errorf("nyrt_x_program_init: malformed program (%s)", why);
    if (!nyrt_inst_tid)
        nyrt_inst_tid = nyrt_fast_key(NYRT_X_INSTANCE_TYPE);
    int64_t nclasses = p ? p->nclasses : 0, nnames = p ? p->nnames : 0;
    nyrt_inst **table = nyrt_mem_alloc((size_t)nclasses * sizeof *table);
    int64_t *names = p ? make_canon(p) : nyrt_mem_alloc(0);
    if (!table || !names) {
        nyrt_mem_free(table, (size_t)nclasses * sizeof *table);
        nyrt_mem_free(names, (size_t)nnames * sizeof *names);
        return out_of_memory();
    }
    memset(table, 0, (size_t)nclasses * sizeof *table);
    nyrt_inst **old = singletons;
    int64_t nold = nsingletons;
    nyrt_mem_free(canon, (size_t)ncanon * sizeof *canon);
    program = p;
    nyrt_x_program_gen++;
    singletons = table;
    nsingletons = nclasses;
    canon = names;
    ncanon = nnames;
    serial = 0;
    nyrt_x_clear_pending();
    for (int64_t i = 0; i < nold; i++)      /* after the switch: a destructor sees a consistent state */
        if (old[i])
            nyrt_obj_release(&old[i]->h);
    nyrt_mem_free(old, (size_t)nold * sizeof *old);
    return NYRT_X_OK;
}

/* ---- instances ------------------------------------------------------------------------------------------ */
uint64_t nyrt_x_instance_tid(void) {
    if (!nyrt_inst_tid)
        nyrt_inst_tid = nyrt_fast_key(NYRT_X_INSTANCE_TYPE);
    return nyrt_inst_tid;
}

int32_t nyrt_x_is_instance(const nyrt_nyash_value *v) {
    return nyrt_inst_of(v) != NULL;
}

int64_t nyrt_x_class_of(const nyrt_nyash_value *v) {
    nyrt_inst *o = nyrt_inst_of(v);
    if (!o || !program || o->cls < program->classes || o->cls >= program->classes + program->nclasses)
        return -1;
    return o->cls - program->classes;
}

void nyrt_inst_value(const nyrt_inst *o, nyrt_nyash_value *out) {
    out->type_id = nyrt_inst_tid;
    out->box_handle = (uint64_t)(uintptr_t)o;
    out->metadata = 0;
}

static size_t inst_size(const nyrt_x_class *c) {
    return sizeof(nyrt_inst) + (size_t)c->nfields * sizeof(nyrt_nyash_value);
}

nyrt_inst *nyrt_x_new_inst(const nyrt_x_class *c) {
    nyrt_inst *o = nyrt_mem_alloc(inst_size(c));
    if (!o) {
        nyrt_oom();
        return NULL;
    }
    nyrt_obj_init(&o->h, NYRT_KIND_INSTANCE);
    o->dead_word_ = o->cls_word_ = o->extra_word_ = 0;   /* the high half of a 32-bit pointer's word */
    o->dead = NULL;
    o->cls = c;
    o->serial = ++serial;
    o->extra = NULL;
    for (int64_t i = 0; i < c->nfields; i++)
        nyrt_v_void(&o->fields[i]);
    return o;
}

void nyrt_inst_destroy(nyrt_inst *o) {
    for (int64_t i = 0; i < o->cls->nfields; i++)
        nyrt_release_v(&o->fields[i]);     /* a nested instance or container joins the dead list */
    nyrt_inst_extra *x = o->extra;
    if (x) {
        for (size_t i = 0; i < x->len; i++) {
            nyrt_release_v(&x->items[i].value);
            nyrt_mem_free(x->items[i].name, x->items[i].name_len + 1);
        }
        nyrt_mem_free(x, sizeof *x + x->cap * sizeof x->items[0]);
    }
    nyrt_obj_free(o, inst_size(o->cls));
}

void nyrt_inst_display(nyrt_buf *b, const nyrt_inst *o) {
    char text[48];
    nyrt_buf_adds(b, "<");
    nyrt_buf_adds(b, o->cls->name);
    nyrt_buf_adds(b, o->cls->is_static ? "_singleton instance #" : " instance #");
    nyrt_buf_add(b, text, (size_t)snprintf(text, sizeof text, "%" PRId64 ">", o->serial));
}

nyrt_err nyrt_inst_call(const nyrt_nyash_value *self, uint64_t method_id, const char *method, size_t argc,
                        nyrt_nyash_value *ret) {
    int to_string = method ? argc == 0 && strcmp(method, "toString") == 0 : method_id == nyrt_method_id("toString", 0);
    if (to_string)
        return nyrt_val_display(self, ret);
    if (!method)
        return NYRT_E_NOT_FOUND;               /* by id only: the caller may retry by name (as nyrt_core_call) */
    return nyrt_fail(NYRT_E_NOT_FOUND, "Method '%s' not found in %s", method, nyrt_inst_of(self)->cls->name);
}

int32_t nyrt_x_alloc(int64_t cls, nyrt_nyash_value *out) {
    const nyrt_x_class *c = nyrt_x_class_at(cls);
    if (!c)
        return nyrt_x_errorf("nyrt_x_alloc: no class %" PRId64, cls);
    nyrt_inst *o = nyrt_x_new_inst(c);
    if (!o)
        return NYRT_X_FAIL;
    nyrt_inst_value(o, out);
    return NYRT_X_OK;
}

int32_t nyrt_x_singleton(int64_t depth, int64_t cls, nyrt_nyash_value *out) {
    const nyrt_x_class *c = nyrt_x_class_at(cls);
    if (!c)
        return nyrt_x_errorf("nyrt_x_singleton: no class %" PRId64, cls);
    if (!c->is_static)
        return nyrt_x_errorf("nyrt_x_singleton: %s is not a static box", c->name);
    nyrt_inst *o = singletons[cls];
    if (!o) {
        if (!(o = nyrt_x_new_inst(c)))
            return NYRT_X_FAIL;
        singletons[cls] = o;                   /* initialised before the static block runs (language.md 5.5) */
        if (c->static_init) {
            nyrt_nyash_value me, scratch;
            if (depth + 1 > NYRT_X_MAX_DEPTH)
                return nyrt_x_errorf("Maximum call depth exceeded");
            nyrt_inst_value(o, &me);
            nyrt_v_void(&scratch);
            if (c->static_init(depth + 1, &me, NULL, &scratch) != NYRT_X_OK)
                return NYRT_X_FAIL;            /* the singleton stays created, as in the VM */
            nyrt_val_release(&scratch);
        }
    }
    nyrt_obj_retain(&o->h);
    nyrt_inst_value(o, out);
    return NYRT_X_OK;
}

/* ---- fields ------------------------------------------------------------------------------------------------ */
nyrt_nyash_value *nyrt_x_field_slot(const nyrt_nyash_value *v, int64_t index) {
    nyrt_inst *o = nyrt_inst_of(v);
    return o && index >= 0 && index < o->cls->nfields ? &o->fields[index] : NULL;
}

static nyrt_nyash_value *find_field(nyrt_inst *o, const char *name) {
    for (int64_t i = 0; i < o->cls->nfields; i++)
        if (strcmp(o->cls->fields[i], name) == 0)
            return &o->fields[i];
    for (size_t i = 0; o->extra && i < o->extra->len; i++)
        if (strcmp(o->extra->items[i].name, name) == 0)
            return &o->extra->items[i].value;
    return NULL;
}

int32_t nyrt_x_get_field(const nyrt_nyash_value *obj, const char *name, nyrt_nyash_value *out) {
    nyrt_inst *o = nyrt_inst_of(obj);
    if (!o)
        return nyrt_x_errorf("Cannot access field '%s' on non-instance type %s", name, nyrt_val_type_name(obj));
    nyrt_nyash_value *slot = find_field(o, name);
    if (!slot)
        return nyrt_x_errorf("Field '%s' not found in %s", name, o->cls->name);
    *out = *slot;
    nyrt_retain_v(out);
    return NYRT_X_OK;
}

/* A field the class does not declare, void, appended to o's extra fields; NULL on OOM (recorded). */
static nyrt_nyash_value *add_field(nyrt_inst *o, const char *name) {
    nyrt_inst_extra *x = o->extra;
    size_t len = x ? x->len : 0, cap = x ? x->cap : 0, nlen = strlen(name);
    if (len == cap) {
        size_t grown = cap ? cap * 2 : 4;
        x = nyrt_mem_realloc(x, sizeof *x + cap * sizeof x->items[0], sizeof *x + grown * sizeof x->items[0]);
        if (!x)
            return nyrt_oom(), NULL;
        x->len = len;
        x->cap = grown;
        o->extra = x;
    }
    char *copy = nyrt_mem_alloc(nlen + 1);
    if (!copy)
        return nyrt_oom(), NULL;
    memcpy(copy, name, nlen + 1);
    nyrt_inst_field *f = &x->items[x->len++];
    f->name = copy;
    f->name_len = nlen;
    nyrt_v_void(&f->value);
    return &f->value;
}

int32_t nyrt_x_set_field(const nyrt_nyash_value *obj, const char *name, const nyrt_nyash_value *value) {
    nyrt_inst *o = nyrt_inst_of(obj);
    if (!o)
        return nyrt_x_errorf("Cannot set field '%s' on non-instance type %s", name, nyrt_val_type_name(obj));
    nyrt_nyash_value *slot = find_field(o, name);
    if (!slot && !(slot = add_field(o, name)))
        return NYRT_X_FAIL;
    nyrt_nyash_value old = *slot;
    *slot = *value;
    nyrt_retain_v(slot);
    nyrt_release_v(&old);                   /* after the retain: `o.f = o.f` keeps the value alive */
    return NYRT_X_OK;
}

/* ---- small operations -------------------------------------------------------------------------------------- */
int32_t nyrt_x_result_ok(const nyrt_nyash_value *v, int32_t *ok) {
    nyrt_res *r = nyrt_obj_of(v, NYRT_TID_RESULT);
    if (!r)
        return nyrt_x_errorf("'?' expects a ResultBox, got %s", nyrt_val_type_name(v));
    *ok = r->ok;
    return NYRT_X_OK;
}

int32_t nyrt_x_undefined(const char *name) {
    return nyrt_x_errorf("Undefined variable '%s'", name);
}

int32_t nyrt_x_intern(const char *utf8, int64_t len, nyrt_nyash_value *slot) {
    if (slot->type_id)
        return NYRT_X_OK;
    if (len < 0 || (!utf8 && len))
        return nyrt_x_errorf("nyrt_x_intern: bad string");
    nyrt_str *s = nyrt_str_alloc(utf8, (size_t)len);
    if (!s)
        return out_of_memory();
    s->h.refcount = NYRT_IMMORTAL;             /* shared by every execution of the literal, never freed */
    nyrt_val_of_obj(s, slot);
    return NYRT_X_OK;
}

nyrt_str *nyrt_x_display(const nyrt_nyash_value *v) {
    nyrt_nyash_value d;
    if (nyrt_call_display(v, &d) != NYRT_OK)
        return NULL;
    nyrt_str *s = nyrt_str_of(&d);
    if (s)
        return s;                              /* d's reference moves to the caller */
    s = nyrt_disp_str(&d);                     /* a plugin's toString gave something else: its display */
    nyrt_val_release(&d);
    if (!s)
        nyrt_oom();
    return s;
}

int32_t nyrt_x_print(const nyrt_nyash_value *v) {
    nyrt_str *s = nyrt_x_display(v);
    if (!s)
        return NYRT_X_FAIL;
    nyrt_buf b;
    nyrt_buf_init(&b);
    nyrt_buf_add(&b, s->bytes, s->len);
    nyrt_buf_add(&b, "\n", 1);
    nyrt_obj_release(&s->h);
    if (b.oom) {
        nyrt_buf_free(&b);
        return out_of_memory();
    }
    nyrt_write(b.p, b.len);                    /* one piece, as the VM's write(display(v) + "\n") */
    nyrt_buf_free(&b);
    return NYRT_X_OK;
}

int32_t nyrt_x_argv(int64_t argc, const char *const *argv, nyrt_nyash_value *out) {
    nyrt_nyash_value arr, s;
    if (argc < 0 || (argc && !argv))
        return nyrt_x_errorf("nyrt_x_argv: bad arguments");
    if (nyrt_arr_new(&arr) != NYRT_OK)
        return NYRT_X_FAIL;
    nyrt_arr *a = nyrt_obj_of(&arr, NYRT_TID_ARRAY);
    for (int64_t i = 0; i < argc; i++) {
        if (nyrt_str_lit(argv[i], &s) != NYRT_OK || nyrt_arr_append_owned(a, &s) != NYRT_OK) {
            nyrt_val_release(&arr);
            return NYRT_X_FAIL;
        }
    }
    *out = arr;
    return NYRT_X_OK;
}

/* ---- the pending exception ---------------------------------------------------------------------------------- */
static struct {
    int32_t active, pos;
    int32_t has_thrown;
    nyrt_nyash_value thrown;    /* the ErrorBox of a throw (+1), when has_thrown */
    char *text;                 /* what an uncaught error prints (plain malloc: state, not a Nyash object) */
    size_t len, cap;
} pend = {0, -1, 0, {0, 0, 0}, NULL, 0, 0};

static const char thrown_prefix[] = "Uncaught exception: ";

void nyrt_x_clear_pending(void) {
    if (pend.has_thrown)
        nyrt_val_release(&pend.thrown);
    pend.active = pend.has_thrown = 0;
    pend.pos = -1;
    pend.len = 0;
}

/* Make (pos, thrown or a runtime error with msg) the pending exception; thrown is +1, moved in. */
static int32_t pending_set(int32_t pos, const nyrt_nyash_value *thrown, const char *msg, size_t len) {
    size_t at = thrown ? sizeof thrown_prefix - 1 : 0;
    nyrt_x_clear_pending();
    if (at + len + 1 > pend.cap) {
        char *bigger = realloc(pend.text, at + len + 1);
        if (!bigger)
            free(pend.text);                   /* the message reads "Out of memory" then */
        pend.text = bigger;
        pend.cap = bigger ? at + len + 1 : 0;
    }
    if (pend.text) {
        memcpy(pend.text, thrown_prefix, at);
        memcpy(pend.text + at, msg, len);
        pend.text[at + len] = 0;
        pend.len = at + len;
    }
    pend.active = 1;
    pend.pos = pos;
    if (thrown) {
        pend.thrown = *thrown;
        pend.has_thrown = 1;
    }
    return NYRT_X_FAIL;
}

int32_t nyrt_x_fail(int32_t pos, const char *message) {
    return pending_set(pos, NULL, message ? message : "", message ? strlen(message) : 0);
}

int32_t nyrt_x_fail_nyrt(int32_t pos) {
    if (pend.active) {
        if (pend.pos < 0)
            pend.pos = pos;                    /* the innermost position known (support.py locate) */
        return NYRT_X_FAIL;
    }
    const char *message = nyrt_last_error_message();
    return pending_set(pos, NULL, message, strlen(message));
}

static int32_t throw_box(int32_t pos, const nyrt_nyash_value *box) {
    const nyrt_str *m = ((const nyrt_errobj *)(uintptr_t)box->box_handle)->message;
    return pending_set(pos, box, m->bytes, m->len);
}

int32_t nyrt_x_throw(int32_t pos, const nyrt_nyash_value *v) {
    nyrt_nyash_value box;
    if (nyrt_obj_of(v, NYRT_TID_ERROR)) {
        box = *v;
        nyrt_val_retain(&box);
        return throw_box(pos, &box);
    }
    nyrt_str *s = nyrt_x_display(v);
    nyrt_err r = s ? nyrt_errbox_new_len(s->bytes, s->len, &box) : NYRT_E_OOM;
    if (s)
        nyrt_obj_release(&s->h);
    return r == NYRT_OK ? throw_box(pos, &box) : nyrt_x_fail_nyrt(pos);
}

int32_t nyrt_x_rethrow(const nyrt_nyash_value *exc) {
    nyrt_errobj *e = nyrt_obj_of(exc, NYRT_TID_ERROR);
    if (!e)
        return nyrt_x_throw(-1, exc);
    if (e->runtime)                            /* a caught runtime error goes on as that error */
        return pending_set(e->origin, NULL, e->message->bytes, e->message->len);
    nyrt_nyash_value box = *exc;
    nyrt_val_retain(&box);
    return pending_set(e->origin, &box, e->message->bytes, e->message->len);
}

int32_t nyrt_x_catch(nyrt_nyash_value *out) {
    nyrt_nyash_value box;
    int32_t thrown = pend.has_thrown;
    if (!pend.active)
        return nyrt_x_errorf("nyrt_x_catch: no exception is pending");
    if (thrown) {
        box = pend.thrown;                     /* the pending reference moves to out */
        pend.has_thrown = 0;
    } else if ((pend.text ? nyrt_errbox_new_len(pend.text, pend.len, &box)
                          : nyrt_errbox_new(nyrt_x_pending_message(), &box)) != NYRT_OK) {
        return NYRT_X_FAIL;
    }
    nyrt_errobj *e = (nyrt_errobj *)(uintptr_t)box.box_handle;
    e->origin = pend.pos;
    e->runtime = !thrown;
    nyrt_x_clear_pending();
    *out = box;
    return NYRT_X_OK;
}

int32_t nyrt_x_pending(void) {
    return pend.active;
}

const char *nyrt_x_pending_message(void) {
    return pend.active && pend.text ? pend.text : pend.active ? "Out of memory" : "";
}

int32_t nyrt_x_pending_pos(void) {
    return pend.active ? pend.pos : -1;
}
