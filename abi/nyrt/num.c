/* num.c -- IntegerBox, FloatBox and MathBox methods (language.md 6.4, 7.3, 7.4, 7.8), exactly as
 * nyash_run/runtime/numbers.py and numeric.py.
 *
 * Mathematical functions are C99 <math.h> (numeric.py reproduces C's results in Python, so here they are
 * simply called); the only errors are the square root of a negative number and the logarithm of a
 * non-positive one. Float -> Int conversions saturate at the Int limits and send NaN to 0 (6.4).
 */
#include <math.h>

#include "internal.h"

#define I64_LIMIT 9223372036854775808.0   /* 2**63, the first double above the Int range */

static double self_float(const nyrt_nyash_value *self) {
    return nyrt_val_as_float_raw(self);
}

static int64_t self_int(const nyrt_nyash_value *self) {
    return (int64_t)self->box_handle;
}

/* ---- conversions and C99 helpers (numeric.py) ------------------------------------------------------------- */
static int64_t float_to_int(double x) {
    if (x != x)
        return 0;
    if (x >= I64_LIMIT)
        return INT64_MAX;
    if (x < -I64_LIMIT)
        return INT64_MIN;
    return (int64_t)x;   /* truncates toward zero */
}

static int64_t wrap_abs(int64_t n) {
    return n < 0 ? (int64_t)(0 - (uint64_t)n) : n;   /* abs(MIN) wraps back to MIN */
}

/* glibc's fmax/fmin as numeric.py spells them: a NaN operand yields the other; between +-0 the first wins */
static double c_fmax(double x, double y) {
    if (x >= y)
        return x;
    if (x < y)
        return y;
    return y != y ? x : y;
}

static double c_fmin(double x, double y) {
    if (x <= y)
        return x;
    if (x > y)
        return y;
    return y != y ? x : y;
}

/* The two FloatBox methods with errors; MathBox shares them. */
static nyrt_err checked_sqrt(double x, nyrt_nyash_value *ret) {
    if (x < 0)   /* -0.0 is not negative: sqrt(-0.0) is -0.0, as in C */
        return nyrt_fail(NYRT_E_ARG, "Cannot take square root of negative number");
    return ret_float(sqrt(x), ret);
}

static nyrt_err checked_log(double x, int base10, nyrt_nyash_value *ret) {
    if (x <= 0)
        return nyrt_fail(NYRT_E_ARG, "Cannot take logarithm of non-positive number");
    return ret_float(base10 ? log10(x) : log(x), ret);
}

static nyrt_err float_floor(double x, nyrt_nyash_value *ret) {
    return ret_int(isfinite(x) ? float_to_int(floor(x)) : float_to_int(x), ret);
}

static nyrt_err float_ceil(double x, nyrt_nyash_value *ret) {
    return ret_int(isfinite(x) ? float_to_int(ceil(x)) : float_to_int(x), ret);
}

static nyrt_err float_round(double x, nyrt_nyash_value *ret) {
    return ret_int(isfinite(x) ? float_to_int(round(x)) : float_to_int(x), ret);   /* ties away from zero */
}

/* ---- IntegerBox ------------------------------------------------------------------------------------------- */
#define METHOD(name) static nyrt_err name(const nyrt_nyash_value *self, const nyrt_arg *a, size_t argc, nyrt_nyash_value *ret)
#define UNUSED (void)self, (void)a, (void)argc

METHOD(i_abs) { UNUSED; return ret_int(wrap_abs(self_int(self)), ret); }
METHOD(i_max) { UNUSED; return ret_int(self_int(self) >= a[0].i ? self_int(self) : a[0].i, ret); }
METHOD(i_min) { UNUSED; return ret_int(self_int(self) <= a[0].i ? self_int(self) : a[0].i, ret); }
METHOD(i_to_float) { UNUSED; return ret_float((double)self_int(self), ret); }
METHOD(i_pow) { UNUSED; return ret_float(pow((double)self_int(self), (double)a[0].i), ret); }

const nyrt_method nyrt_int_methods[] = {
    {"abs", "", i_abs},
    {"max", "i", i_max},
    {"min", "i", i_min},
    {"toFloat", "", i_to_float},
    {"pow", "i", i_pow},
    {NULL, NULL, NULL},
};

/* ---- FloatBox ------------------------------------------------------------------------------------------------ */
METHOD(f_abs) { UNUSED; return ret_float(fabs(self_float(self)), ret); }
METHOD(f_floor) { UNUSED; return float_floor(self_float(self), ret); }
METHOD(f_ceil) { UNUSED; return float_ceil(self_float(self), ret); }
METHOD(f_round) { UNUSED; return float_round(self_float(self), ret); }
METHOD(f_to_integer) { UNUSED; return ret_int(float_to_int(self_float(self)), ret); }
METHOD(f_max) { UNUSED; return ret_float(c_fmax(self_float(self), a[0].f), ret); }
METHOD(f_min) { UNUSED; return ret_float(c_fmin(self_float(self), a[0].f), ret); }
METHOD(f_pow) { UNUSED; return ret_float(pow(self_float(self), a[0].f), ret); }
METHOD(f_sqrt) { UNUSED; return checked_sqrt(self_float(self), ret); }
METHOD(f_sin) { UNUSED; return ret_float(sin(self_float(self)), ret); }
METHOD(f_cos) { UNUSED; return ret_float(cos(self_float(self)), ret); }
METHOD(f_tan) { UNUSED; return ret_float(tan(self_float(self)), ret); }
METHOD(f_exp) { UNUSED; return ret_float(exp(self_float(self)), ret); }
METHOD(f_log) { UNUSED; return checked_log(self_float(self), 0, ret); }
METHOD(f_log10) { UNUSED; return checked_log(self_float(self), 1, ret); }
METHOD(f_is_nan) { UNUSED; return ret_bool(isnan(self_float(self)), ret); }
METHOD(f_is_infinite) { UNUSED; return ret_bool(isinf(self_float(self)), ret); }
METHOD(f_is_finite) { UNUSED; return ret_bool(isfinite(self_float(self)), ret); }

const nyrt_method nyrt_float_methods[] = {
    {"abs", "", f_abs},
    {"floor", "", f_floor},
    {"ceil", "", f_ceil},
    {"round", "", f_round},
    {"toInteger", "", f_to_integer},
    {"max", "x", f_max},
    {"min", "x", f_min},
    {"pow", "x", f_pow},
    {"sqrt", "", f_sqrt},
    {"sin", "", f_sin},
    {"cos", "", f_cos},
    {"tan", "", f_tan},
    {"exp", "", f_exp},
    {"log", "", f_log},
    {"log10", "", f_log10},
    {"isNaN", "", f_is_nan},
    {"isInfinite", "", f_is_infinite},
    {"isFinite", "", f_is_finite},
    {NULL, NULL, NULL},
};

/* ---- MathBox: numeric arguments (`x`) arrive with both their Int and Float forms ------------------------- */
METHOD(m_abs) { UNUSED; return a[0].is_int ? ret_int(wrap_abs(a[0].i), ret) : ret_float(fabs(a[0].f), ret); }

METHOD(m_max) {
    UNUSED;
    if (a[0].is_int && a[1].is_int)
        return ret_int(a[0].i >= a[1].i ? a[0].i : a[1].i, ret);
    return ret_float(c_fmax(a[0].f, a[1].f), ret);
}

METHOD(m_min) {
    UNUSED;
    if (a[0].is_int && a[1].is_int)
        return ret_int(a[0].i <= a[1].i ? a[0].i : a[1].i, ret);
    return ret_float(c_fmin(a[0].f, a[1].f), ret);
}

METHOD(m_pow) { UNUSED; return ret_float(pow(a[0].f, a[1].f), ret); }
METHOD(m_sqrt) { UNUSED; return checked_sqrt(a[0].f, ret); }
METHOD(m_sin) { UNUSED; return ret_float(sin(a[0].f), ret); }
METHOD(m_cos) { UNUSED; return ret_float(cos(a[0].f), ret); }
METHOD(m_tan) { UNUSED; return ret_float(tan(a[0].f), ret); }
METHOD(m_exp) { UNUSED; return ret_float(exp(a[0].f), ret); }
METHOD(m_log) { UNUSED; return checked_log(a[0].f, 0, ret); }
METHOD(m_log10) { UNUSED; return checked_log(a[0].f, 1, ret); }
METHOD(m_floor) { UNUSED; return a[0].is_int ? ret_int(a[0].i, ret) : float_floor(a[0].f, ret); }
METHOD(m_ceil) { UNUSED; return a[0].is_int ? ret_int(a[0].i, ret) : float_ceil(a[0].f, ret); }
METHOD(m_round) { UNUSED; return a[0].is_int ? ret_int(a[0].i, ret) : float_round(a[0].f, ret); }
METHOD(m_get_pi) { UNUSED; return ret_float(3.141592653589793, ret); }
METHOD(m_get_e) { UNUSED; return ret_float(2.718281828459045, ret); }

const nyrt_method nyrt_math_methods[] = {
    {"abs", "x", m_abs},
    {"max", "xx", m_max},
    {"min", "xx", m_min},
    {"pow", "xx", m_pow},
    {"sqrt", "x", m_sqrt},
    {"sin", "x", m_sin},
    {"cos", "x", m_cos},
    {"tan", "x", m_tan},
    {"exp", "x", m_exp},
    {"log", "x", m_log},
    {"log10", "x", m_log10},
    {"floor", "x", m_floor},
    {"ceil", "x", m_ceil},
    {"round", "x", m_round},
    {"getPi", "", m_get_pi},
    {"getE", "", m_get_e},
    {NULL, NULL, NULL},
};
