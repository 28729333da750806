/* ops.c -- the binary and unary operators of language.md 6.3-6.7, for compiled backends. The executable
 * definition is nyash_run/runtime/operators.py (and numeric.py): the same results, the same error texts
 * (recorded as kind-1 errors), tested against it by tests/abi/test_nyrt_ops.py.
 *
 * Int arithmetic wraps (done in uint64_t, so no signed overflow); `/` truncates and `%` takes the sign of the
 * dividend, MIN / -1 == MIN and MIN % -1 == 0. Mixed Int/Float operands convert the Int to the nearest double.
 * Ordering of anything but two numbers compares the display strings by code point, which for UTF-8 is the
 * byte order.
 */
#include <math.h>
#include <string.h>

#include "internal.h"

static const char *const op_names[] = {"Addition", "Subtraction", "Multiplication", "Division", "Modulo"};

static int is_num(int32_t k) {
    return k == NYRT_TID_INTEGER || k == NYRT_TID_FLOAT;
}

static double num_of(const nyrt_nyash_value *v, int32_t k) {
    return k == NYRT_TID_INTEGER ? (double)nyrt_val_as_int_raw(v) : nyrt_val_as_float_raw(v);
}

static nyrt_err unsupported(int32_t op, const nyrt_nyash_value *a, const nyrt_nyash_value *b) {
    return nyrt_fail(NYRT_E_TYPE, "%s not supported between %s and %s", op_names[op], nyrt_val_type_name(a),
                     nyrt_val_type_name(b));
}

/* s * n for n > 0 (the String repetition of language.md 6.3). */
static nyrt_err repeat(const nyrt_str *s, int64_t n, nyrt_nyash_value *out) {
    if (n <= 0 || s->len == 0)
        return nyrt_str_new("", 0, out);
    if ((uint64_t)n > (SIZE_MAX - sizeof(nyrt_str) - 1) / s->len)
        return nyrt_oom();
    size_t total = s->len * (size_t)n;
    nyrt_str *r = nyrt_mem_alloc(sizeof(nyrt_str) + total + 1);
    if (!r)
        return nyrt_oom();
    nyrt_obj_init(&r->h, NYRT_TID_STRING);
    r->len = total;
    r->cps = s->cps * (size_t)n;
    r->hash = 0;
    memcpy(r->bytes, s->bytes, s->len);
    for (size_t done = s->len; done < total;) {     /* doubling copies */
        size_t chunk = done <= total - done ? done : total - done;
        memcpy(r->bytes + done, r->bytes, chunk);
        done += chunk;
    }
    r->bytes[total] = 0;
    return nyrt_str_take(r, out);
}

/* Ordering of a non-numeric pair: display strings compared by bytes (= by code point). */
static nyrt_err order_by_display(int32_t op, const nyrt_nyash_value *a, const nyrt_nyash_value *b,
                                 nyrt_nyash_value *out) {
    nyrt_str *sa = nyrt_disp_str(a);
    if (!sa)
        return nyrt_oom();
    nyrt_str *sb = nyrt_disp_str(b);
    if (!sb) {
        nyrt_obj_release(&sa->h);
        return nyrt_oom();
    }
    size_t n = sa->len < sb->len ? sa->len : sb->len;
    int c = n ? memcmp(sa->bytes, sb->bytes, n) : 0;
    if (c == 0)
        c = sa->len < sb->len ? -1 : sa->len > sb->len;
    nyrt_obj_release(&sa->h);
    nyrt_obj_release(&sb->h);
    int32_t r = op == NYRT_OP_LT ? c < 0 : op == NYRT_OP_LE ? c <= 0 : op == NYRT_OP_GT ? c > 0 : c >= 0;
    nyrt_v_bool(r, out);
    return NYRT_OK;
}

/* A comparison op from the three facts every numeric pair gives: with NaN all three are false, so every
 * ordering and == is false and != true (language.md 6.5, 6.6). */
static int32_t compared(int32_t op, int lt, int gt, int eq) {
    switch (op) {
    case NYRT_OP_LT: return lt;
    case NYRT_OP_LE: return lt || eq;
    case NYRT_OP_GT: return gt;
    case NYRT_OP_GE: return gt || eq;
    case NYRT_OP_EQ: return eq;
    default: return !eq;
    }
}

static nyrt_err int_op(int32_t op, int64_t x, int64_t y, nyrt_nyash_value *out) {
    uint64_t ux = (uint64_t)x, uy = (uint64_t)y;
    int64_t r;
    switch (op) {
    case NYRT_OP_ADD: r = (int64_t)(ux + uy); break;   /* two's complement wrap (C11 conversion, gcc/clang) */
    case NYRT_OP_SUB: r = (int64_t)(ux - uy); break;
    case NYRT_OP_MUL: r = (int64_t)(ux * uy); break;
    case NYRT_OP_DIV:
        if (y == 0)
            return nyrt_fail(NYRT_E_ARG, "Division by zero");
        r = y == -1 ? (int64_t)(0 - ux) : x / y;       /* MIN / -1 wraps to MIN */
        break;
    case NYRT_OP_MOD:
        if (y == 0)
            return nyrt_fail(NYRT_E_ARG, "Modulo by zero");
        r = y == -1 ? 0 : x % y;                        /* C99 % already has the sign of the dividend */
        break;
    default:
        nyrt_v_bool(compared(op, x < y, x > y, x == y), out);
        return NYRT_OK;
    }
    nyrt_v_int(r, out);
    return NYRT_OK;
}

static nyrt_err float_op(int32_t op, double x, double y, nyrt_nyash_value *out) {
    double r;
    switch (op) {
    case NYRT_OP_ADD: r = x + y; break;
    case NYRT_OP_SUB: r = x - y; break;
    case NYRT_OP_MUL: r = x * y; break;
    case NYRT_OP_DIV:
        if (y == 0.0)                                   /* 0.0 and -0.0 alike */
            return nyrt_fail(NYRT_E_ARG, "Division by zero");
        r = x / y;
        break;
    case NYRT_OP_MOD:
        if (y == 0.0)
            return nyrt_fail(NYRT_E_ARG, "Modulo by zero");
        r = fmod(x, y);
        break;
    default:
        nyrt_v_bool(compared(op, x < y, x > y, x == y), out);
        return NYRT_OK;
    }
    nyrt_v_float(r, out);
    return NYRT_OK;
}

nyrt_err nyrt_op_binary(int32_t op, const nyrt_nyash_value *a, const nyrt_nyash_value *b, nyrt_nyash_value *out) {
    if (!a || !b || !out)
        return nyrt_fail(NYRT_E_ARG, "nyrt_op_binary: NULL argument");
    if (op < NYRT_OP_ADD || op > NYRT_OP_NE)
        return nyrt_fail(NYRT_E_ARG, "nyrt_op_binary: unknown operator %d", (int)op);
    int32_t ka = nyrt_kind_of(a), kb = nyrt_kind_of(b);
    if (ka == NYRT_TID_INTEGER && kb == NYRT_TID_INTEGER)
        return int_op(op, nyrt_val_as_int_raw(a), nyrt_val_as_int_raw(b), out);
    if (op == NYRT_OP_EQ || op == NYRT_OP_NE) {
        int32_t e = nyrt_val_equals(a, b);
        nyrt_v_bool(op == NYRT_OP_EQ ? e : !e, out);
        return NYRT_OK;
    }
    if (op == NYRT_OP_ADD && (ka == NYRT_TID_STRING || kb == NYRT_TID_STRING))
        return nyrt_str_concat(a, b, out);             /* display of the other side */
    if (is_num(ka) && is_num(kb))
        return float_op(op, num_of(a, ka), num_of(b, kb), out);
    switch (op) {
    case NYRT_OP_ADD:
        if (ka == NYRT_TID_BOOL && kb == NYRT_TID_BOOL) {
            nyrt_v_int(nyrt_val_as_int_raw(a) + nyrt_val_as_int_raw(b), out);
            return NYRT_OK;
        }
        return unsupported(op, a, b);
    case NYRT_OP_MUL:
        if (ka == NYRT_TID_STRING && kb == NYRT_TID_INTEGER)
            return repeat(nyrt_str_of(a), nyrt_val_as_int_raw(b), out);
        return unsupported(op, a, b);
    case NYRT_OP_SUB:
    case NYRT_OP_DIV:
    case NYRT_OP_MOD:
        return unsupported(op, a, b);
    default:
        return order_by_display(op, a, b, out);
    }
}

nyrt_err nyrt_op_neg(const nyrt_nyash_value *a, nyrt_nyash_value *out) {
    if (!a || !out)
        return nyrt_fail(NYRT_E_ARG, "nyrt_op_neg: NULL argument");
    switch (nyrt_kind_of(a)) {
    case NYRT_TID_INTEGER:
        nyrt_v_int((int64_t)(0 - (uint64_t)nyrt_val_as_int_raw(a)), out);   /* -MIN wraps to MIN */
        return NYRT_OK;
    case NYRT_TID_FLOAT:
        nyrt_v_float(-nyrt_val_as_float_raw(a), out);
        return NYRT_OK;
    default:
        return nyrt_fail(NYRT_E_TYPE, "Unary minus can only be applied to Integer or Float");
    }
}

int32_t nyrt_op_not(const nyrt_nyash_value *a) {
    return a ? !nyrt_val_truthy(a) : 1;
}
