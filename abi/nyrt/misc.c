/* misc.c -- ResultBox, ErrorBox, ConsoleBox and MathBox objects, the methods of results, errors, the
 * console, null, Bool and void (language.md 7.0, 7.7, 7.9), and the output hook ConsoleBox writes through.
 * (MathBox's methods are with the other numeric methods in num.c.)
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* ---- output ------------------------------------------------------------------------------------------------ */
static void stdout_write(const char *p, size_t n) {
    fwrite(p, 1, n, stdout);
}

static void (*output_hook)(const char *, size_t) = stdout_write;

void nyrt_set_output(void (*write)(const char *utf8, size_t len)) {
    output_hook = write ? write : stdout_write;
}

void nyrt_write(const char *p, size_t n) {
    output_hook(p, n);
}

/* ---- objects ----------------------------------------------------------------------------------------------- */
nyrt_err nyrt_res_new(int32_t ok, const nyrt_nyash_value *payload, nyrt_nyash_value *out) {
    if (!payload || !out)
        return nyrt_fail(NYRT_E_ARG, "nyrt_res_new: NULL argument");
    nyrt_res *r = nyrt_mem_alloc(sizeof *r);
    if (!r)
        return nyrt_oom();
    nyrt_obj_init(&r->h, NYRT_TID_RESULT);
    r->dead = NULL;
    r->ok = ok != 0;
    r->payload = *payload;
    nyrt_val_retain(payload);
    nyrt_val_of_obj(r, out);
    return NYRT_OK;
}

void nyrt_res_destroy(nyrt_res *r) {
    nyrt_val_release(&r->payload);
    nyrt_obj_free(r, sizeof *r);
}

nyrt_err nyrt_res_get(const nyrt_nyash_value *res, int32_t *ok, nyrt_nyash_value *payload) {
    nyrt_res *r = nyrt_obj_of(res, NYRT_TID_RESULT);
    if (!r)
        return nyrt_fail(NYRT_E_TYPE, "expected a ResultBox, got %s", res ? nyrt_val_type_name(res) : "NULL");
    if (ok)
        *ok = r->ok;
    if (payload) {
        *payload = r->payload;
        nyrt_val_retain(payload);
    }
    return NYRT_OK;
}

nyrt_err nyrt_errbox_new_len(const char *utf8, size_t len, nyrt_nyash_value *out) {
    if ((!utf8 && len) || !out)
        return nyrt_fail(NYRT_E_ARG, "nyrt_errbox_new: NULL argument");
    nyrt_str *m = nyrt_str_alloc(utf8, len);
    nyrt_errobj *e = m ? nyrt_mem_alloc(sizeof *e) : NULL;
    if (!e) {
        if (m)
            nyrt_obj_release(&m->h);
        return nyrt_oom();
    }
    nyrt_obj_init(&e->h, NYRT_TID_ERROR);
    e->message = m;
    e->origin = -1;             /* set by nyrt_x_catch (exec.c) */
    e->runtime = 0;
    nyrt_val_of_obj(e, out);
    return NYRT_OK;
}

nyrt_err nyrt_errbox_new(const char *message, nyrt_nyash_value *out) {
    return nyrt_errbox_new_len(message, message ? strlen(message) : 0, out);
}

nyrt_err nyrt_errbox_message(const nyrt_nyash_value *err, nyrt_nyash_value *out) {
    nyrt_errobj *e = nyrt_obj_of(err, NYRT_TID_ERROR);
    if (!e)
        return nyrt_fail(NYRT_E_TYPE, "expected an ErrorBox, got %s", err ? nyrt_val_type_name(err) : "NULL");
    nyrt_obj_retain(&e->message->h);
    nyrt_val_of_obj(e->message, out);
    return NYRT_OK;
}

static nyrt_err service_new(int32_t kind, nyrt_nyash_value *out) {
    nyrt_obj *o = nyrt_mem_alloc(sizeof *o);
    if (!o)
        return nyrt_oom();
    nyrt_obj_init(o, kind);
    nyrt_val_of_obj(o, out);
    return NYRT_OK;
}

nyrt_err nyrt_console_new(nyrt_nyash_value *out) {
    return service_new(NYRT_TID_CONSOLE, out);
}

nyrt_err nyrt_math_new(nyrt_nyash_value *out) {
    return service_new(NYRT_TID_MATH, out);
}

/* ---- methods --------------------------------------------------------------------------------------------- */
#define METHOD(name) static nyrt_err name(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret)
#define UNUSED (void)self, (void)a, (void)argc
#define RES ((const nyrt_res *)(uintptr_t)self->box_handle)

static nyrt_err ret_value(const nyrt_nyash_value *v, nyrt_nyash_value *ret) {
    *ret = *v;
    nyrt_val_retain(ret);
    return NYRT_OK;
}

/* PREFIX + the arguments' displays joined by one space + "\n", written in one piece */
static nyrt_err console_line(const char *prefix, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret) {
    nyrt_buf b;
    nyrt_buf_init(&b);
    nyrt_buf_adds(&b, prefix);
    for (size_t i = 0; i < argc; i++) {
        if (i)
            nyrt_buf_add(&b, " ", 1);
        nyrt_buf_add(&b, a[i].s->bytes, a[i].s->len);
    }
    nyrt_buf_add(&b, "\n", 1);
    if (b.oom) {
        nyrt_buf_free(&b);
        return nyrt_oom();
    }
    nyrt_write(b.p, b.len);
    nyrt_buf_free(&b);
    nyrt_v_void(ret);
    return NYRT_OK;
}

METHOD(c_log) { (void)self; return console_line("[Console LOG] ", a, argc, ret); }
METHOD(c_warn) { (void)self; return console_line("[Console WARN] ", a, argc, ret); }
METHOD(c_error) { (void)self; return console_line("[Console ERROR] ", a, argc, ret); }
METHOD(c_println) { (void)self; return console_line("", a, argc, ret); }
METHOD(c_clear) { UNUSED; return console_line("[Console CLEAR]", a, 0, ret); }

const nyrt_method nyrt_console_methods[] = {
    {"log", "s+", c_log},
    {"warn", "s+", c_warn},
    {"error", "s+", c_error},
    {"println", "s*", c_println},
    {"clear", "", c_clear},
    {NULL, NULL, NULL},
};

METHOD(r_is_ok) { UNUSED; return ret_bool(RES->ok, ret); }
METHOD(r_is_err) { UNUSED; return ret_bool(!RES->ok, ret); }

METHOD(r_get_value) {
    UNUSED;
    if (!RES->ok)
        return nyrt_str_lit("Error: Result is Err", ret);   /* a returned String, not an error (7.0) */
    return ret_value(&RES->payload, ret);
}

METHOD(r_get_error) {
    UNUSED;
    if (RES->ok) {
        nyrt_v_void(ret);
        return NYRT_OK;
    }
    return ret_value(&RES->payload, ret);
}

const nyrt_method nyrt_res_methods[] = {
    {"isOk", "", r_is_ok},
    {"is_ok", "", r_is_ok},
    {"isErr", "", r_is_err},
    {"getValue", "", r_get_value},
    {"get_value", "", r_get_value},
    {"getError", "", r_get_error},
    {"get_error", "", r_get_error},
    {NULL, NULL, NULL},
};

METHOD(e_get_message) { UNUSED; return nyrt_errbox_message(self, ret); }

const nyrt_method nyrt_err_methods[] = {
    {"getMessage", "", e_get_message},
    {NULL, NULL, NULL},
};

METHOD(n_true) { UNUSED; return ret_bool(1, ret); }
METHOD(n_false) { UNUSED; return ret_bool(0, ret); }
METHOD(n_get_or_default) { UNUSED; return ret_value(a[0].v, ret); }

const nyrt_method nyrt_null_methods[] = {
    {"is_null", "", n_true},
    {"is_not_null", "", n_false},
    {"get_or_default", "v", n_get_or_default},
    {NULL, NULL, NULL},
};

/* Bool and void: only the universal toString and equals */
const nyrt_method nyrt_none_methods[] = {
    {NULL, NULL, NULL},
};

/* ---- error lines appended to a caller's buffer (plugin loading, nyash.toml) -------------------------------- */
void nyrt_add_line(char *err, size_t cap, const char *fmt, ...) {
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
