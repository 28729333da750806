/* display.c -- display strings of every value (language.md 6.8), exactly as nyash_run/runtime/display.py.
 *
 * Floats: the shortest digit string that reads back as the same double (what Python's repr finds), written
 * out positionally, never with an exponent, without a trailing ".0". Arrays and results nest, and an array
 * may contain itself, so containers are displayed with an explicit frame stack: nesting depth costs heap,
 * not C stack, and an array met again while it is being displayed shows "[...]".
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- floats ---------------------------------------------------------------------------------------------- */
/* Digits of `%.{p-1}e` (correctly rounded by libc): mantissa as an integer and the decimal exponent. */
static uint64_t sci_digits(double x, int p, int *exp10) {
    char text[40];
    snprintf(text, sizeof text, "%.*e", p - 1, x);
    uint64_t m = 0;
    const char *s = text;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            m = m * 10 + (uint64_t)(*s - '0');
    *exp10 = *s ? atoi(s + 1) : 0;
    return m;
}

/* Whether the p-digit mantissa m times 10^(exp10 - p + 1) reads back as x. */
static int reads_back(uint64_t m, int exp10, int p, double x) {
    char text[48];
    snprintf(text, sizeof text, "%" PRIu64 "e%d", m, exp10 - p + 1);
    return strtod(text, NULL) == x;
}

/* Shortest round-trip digits of x > 0 (finite): writes them (no trailing zeros) and returns their count;
 * *exp10 is the exponent of the first digit. The nearest p-digit number is tried first; when it misses,
 * the one on the other side of x may still hit (the rounding interval of a power of two is lopsided). */
static int shortest_digits(double x, char digits[24], int *exp10) {
    uint64_t m = 0;
    int p, e = 0;
    for (p = 1; p <= 17; p++) {
        m = sci_digits(x, p, &e);
        if (reads_back(m, e, p, x))
            break;
        uint64_t low = 1;
        for (int i = 1; i < p; i++)
            low *= 10;
        if (m + 1 < low * 10 && reads_back(m + 1, e, p, x)) {
            m++;
            break;
        }
        if (m > low && reads_back(m - 1, e, p, x)) {
            m--;
            break;
        }
    }
    if (p > 17)
        p = 17;
    int n = snprintf(digits, 24, "%" PRIu64, m);
    if (n > p)                              /* a carry (9.99 -> 10.0) would show as p + 1 digits */
        e += n - p;
    while (n > 1 && digits[n - 1] == '0')
        digits[--n] = 0;
    *exp10 = e;
    return n;
}

size_t nyrt_disp_float(double x, char out[NYRT_FLOAT_TEXT]) {
    if (isnan(x))
        return (size_t)snprintf(out, NYRT_FLOAT_TEXT, "NaN");
    if (isinf(x))
        return (size_t)snprintf(out, NYRT_FLOAT_TEXT, x > 0 ? "inf" : "-inf");
    size_t k = 0;
    if (signbit(x)) {
        out[k++] = '-';
        x = -x;
    }
    if (x == 0) {
        out[k++] = '0';
        out[k] = 0;
        return k;
    }
    char digits[24];
    int e, n = shortest_digits(x, digits, &e);
    if (e >= n - 1) {                       /* an integer: the digits, then zeros */
        memcpy(out + k, digits, (size_t)n);
        k += (size_t)n;
        for (int i = 0; i < e - (n - 1); i++)
            out[k++] = '0';
    } else if (e >= 0) {                    /* digits on both sides of the point */
        memcpy(out + k, digits, (size_t)e + 1);
        k += (size_t)e + 1;
        out[k++] = '.';
        memcpy(out + k, digits + e + 1, (size_t)(n - e - 1));
        k += (size_t)(n - e - 1);
    } else {                                /* 0.000ddd */
        out[k++] = '0';
        out[k++] = '.';
        for (int i = 0; i < -e - 1; i++)
            out[k++] = '0';
        memcpy(out + k, digits, (size_t)n);
        k += (size_t)n;
    }
    out[k] = 0;
    return k;
}

/* ---- leaves ---------------------------------------------------------------------------------------------- */
/* A value that is neither core nor inline: its toString() when it has one, else NAME(). */
static void foreign_display(nyrt_buf *b, const nyrt_nyash_value *v) {
    nyrt_nyash_value r;
    if (nyrt_call(v, "toString", NULL, 0, &r) == NYRT_OK) {
        nyrt_str *s = nyrt_str_of(&r);
        if (s)
            nyrt_buf_add(b, s->bytes, s->len);
        nyrt_val_release(&r);
        if (s)
            return;
    }
    nyrt_buf_adds(b, nyrt_val_type_name(v));
    nyrt_buf_adds(b, "()");
}

static void leaf_display(nyrt_buf *b, const nyrt_nyash_value *v, int32_t kind) {
    char text[NYRT_FLOAT_TEXT];
    const void *o = (const void *)(uintptr_t)v->box_handle;
    switch (kind) {
    case NYRT_TID_INTEGER:
        nyrt_buf_add(b, text, nyrt_fmt_i64((int64_t)v->box_handle, text));
        break;
    case NYRT_TID_FLOAT:
        nyrt_buf_add(b, text, nyrt_disp_float(nyrt_val_as_float_raw(v), text));
        break;
    case NYRT_TID_BOOL:
        nyrt_buf_adds(b, v->box_handle ? "true" : "false");
        break;
    case NYRT_TID_NULL:
        nyrt_buf_adds(b, "null");
        break;
    case NYRT_TID_VOID:
        nyrt_buf_adds(b, "void");
        break;
    case NYRT_TID_STRING:
        nyrt_buf_add(b, ((const nyrt_str *)o)->bytes, ((const nyrt_str *)o)->len);
        break;
    case NYRT_TID_MAP:
        nyrt_buf_add(b, text, (size_t)snprintf(text, sizeof text, "MapBox(size=%zu)", ((const nyrt_map *)o)->count));
        break;
    case NYRT_TID_ERROR: {
        const nyrt_str *m = ((const nyrt_errobj *)o)->message;
        nyrt_buf_adds(b, "ErrorBox(");
        nyrt_buf_add(b, m->bytes, m->len);
        nyrt_buf_adds(b, ")");
        break;
    }
    case NYRT_TID_CONSOLE:
        nyrt_buf_adds(b, "ConsoleBox()");
        break;
    case NYRT_TID_MATH:
        nyrt_buf_adds(b, "MathBox()");
        break;
    default:
        if (nyrt_inst_of(v))
            nyrt_inst_display(b, nyrt_inst_of(v));   /* a user box: never its own toString (display.py) */
        else
            foreign_display(b, v);
    }
}

/* ---- containers ------------------------------------------------------------------------------------------ */
typedef struct frame {
    nyrt_obj *o;        /* an array or a result, retained while on the stack */
    size_t next;        /* next element (a result has one: its payload) */
} frame;

typedef struct frames {
    frame *f;
    size_t len, cap;
    frame f0[32];
} frames;

static int push_frame(frames *st, nyrt_obj *o) {
    if (st->len == st->cap) {
        frame *fresh = nyrt_mem_alloc(st->cap * 2 * sizeof *fresh);
        if (!fresh)
            return 0;
        memcpy(fresh, st->f, st->len * sizeof *fresh);
        if (st->f != st->f0)
            nyrt_mem_free(st->f, st->cap * sizeof *fresh);
        st->f = fresh;
        st->cap *= 2;
    }
    nyrt_obj_retain(o);
    st->f[st->len].o = o;
    st->f[st->len].next = 0;
    st->len++;
    return 1;
}

static void pop_frame(frames *st) {
    nyrt_obj *o = st->f[--st->len].o;
    if (o->kind == NYRT_TID_ARRAY)
        ((nyrt_arr *)o)->displaying = 0;
    nyrt_obj_release(o);
}

/* Emit the opening of a container and push its frame (an empty or re-met array is emitted whole). */
static void open_container(nyrt_buf *b, frames *st, nyrt_obj *o) {
    if (o->kind == NYRT_TID_RESULT) {
        nyrt_buf_adds(b, ((nyrt_res *)o)->ok ? "Ok(" : "Err(");
    } else {
        nyrt_arr *a = (nyrt_arr *)o;
        if (a->displaying) {
            nyrt_buf_adds(b, "[...]");
            return;
        }
        if (!a->len) {
            nyrt_buf_adds(b, "[]");
            return;
        }
        nyrt_buf_adds(b, "[");
    }
    if (!push_frame(st, o)) {
        b->oom = 1;
        return;
    }
    if (o->kind == NYRT_TID_ARRAY)
        ((nyrt_arr *)o)->displaying = 1;
}

/* The next element of the top frame, or NULL when the container is finished (its closing emitted). */
static const nyrt_nyash_value *next_element(nyrt_buf *b, frame *top) {
    if (top->o->kind == NYRT_TID_RESULT) {
        if (top->next++ == 0)
            return &((nyrt_res *)top->o)->payload;
        nyrt_buf_adds(b, ")");
        return NULL;
    }
    nyrt_arr *a = (nyrt_arr *)top->o;
    if (top->next >= a->len) {      /* re-read: a toString() called on the way may have changed it */
        nyrt_buf_adds(b, "]");
        return NULL;
    }
    if (top->next)
        nyrt_buf_adds(b, ", ");
    return &a->items[top->next++];
}

static void display_container(nyrt_buf *b, nyrt_obj *root) {
    frames st;
    st.f = st.f0;
    st.len = 0;
    st.cap = sizeof st.f0 / sizeof st.f0[0];
    open_container(b, &st, root);
    while (st.len && !b->oom) {
        const nyrt_nyash_value *v = next_element(b, &st.f[st.len - 1]);
        if (!v) {
            pop_frame(&st);
            continue;
        }
        int32_t kind = nyrt_kind_of(v);
        if (kind == NYRT_TID_ARRAY || kind == NYRT_TID_RESULT)
            open_container(b, &st, (nyrt_obj *)(uintptr_t)v->box_handle);
        else
            leaf_display(b, v, kind);
    }
    while (st.len)                  /* after an allocation failure: unmark and release what is left */
        pop_frame(&st);
    if (st.f != st.f0)
        nyrt_mem_free(st.f, st.cap * sizeof *st.f);
}

/* ---- entry points ---------------------------------------------------------------------------------------- */
void nyrt_disp_append(nyrt_buf *b, const nyrt_nyash_value *v) {
    int32_t kind = nyrt_kind_of(v);
    if (kind == NYRT_TID_ARRAY || kind == NYRT_TID_RESULT)
        display_container(b, (nyrt_obj *)(uintptr_t)v->box_handle);
    else
        leaf_display(b, v, kind);
}

nyrt_str *nyrt_disp_str(const nyrt_nyash_value *v) {
    nyrt_str *s = nyrt_str_of(v);
    if (s) {
        nyrt_obj_retain(&s->h);
        return s;
    }
    nyrt_buf b;
    nyrt_buf_init(&b);
    nyrt_disp_append(&b, v);
    return nyrt_buf_finish(&b);
}

nyrt_err nyrt_val_display(const nyrt_nyash_value *v, nyrt_nyash_value *out_string) {
    if (!v || !out_string)
        return nyrt_fail(NYRT_E_ARG, "nyrt_val_display: NULL argument");
    return nyrt_str_take(nyrt_disp_str(v), out_string);
}
