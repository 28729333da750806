"""IntegerBox, FloatBox and MathBox methods (language.md §7.3, §7.4, §7.8).

In: an int / float / MathBox receiver and arguments checked by methodspec (`i` arguments are ints, `x`
arguments ints or floats). Out: `INTEGER_METHODS`, `FLOAT_METHODS`, `MATH_METHODS`.

Mathematical results follow C99 `<math.h>` through numeric.py, so no Python `math` exception escapes; the
only errors are the two of §7.4 (square root of a negative number, logarithm of a non-positive number).
"""
from __future__ import annotations

import math

from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.methodspec import declare
from nyash_run.runtime.numeric import (
    c_cos, c_exp, c_fmax, c_fmin, c_log, c_log10, c_pow, c_sin, c_sqrt, c_tan, float_ceil, float_floor,
    float_round, float_to_int, wrap,
)

# --- IntegerBox -------------------------------------------------------------------------------------------


def _int_abs(n: int) -> int:
    return wrap(abs(n))  # abs(MIN) wraps back to MIN


def _int_max(n: int, other: int) -> int:
    return n if n >= other else other


def _int_min(n: int, other: int) -> int:
    return n if n <= other else other


def _int_to_float(n: int) -> float:
    return float(n)


def _int_pow(n: int, exponent: int) -> float:
    return c_pow(float(n), float(exponent))


INTEGER_METHODS = declare({
    "abs": ("", _int_abs),
    "max": ("i", _int_max),
    "min": ("i", _int_min),
    "toFloat": ("", _int_to_float),
    "pow": ("i", _int_pow),
})

# --- FloatBox ---------------------------------------------------------------------------------------------


def float_sqrt(x: float) -> float:
    if x < 0:  # -0.0 is not negative: sqrt(-0.0) is -0.0 as in C
        raise NyashRuntimeError("Cannot take square root of negative number")
    return c_sqrt(x)


def float_log(x: float) -> float:
    if x <= 0:
        raise NyashRuntimeError("Cannot take logarithm of non-positive number")
    return c_log(x)


def float_log10(x: float) -> float:
    if x <= 0:
        raise NyashRuntimeError("Cannot take logarithm of non-positive number")
    return c_log10(x)


def _float_abs(x: float) -> float:
    return abs(x)


def _float_max(x: float, other) -> float:
    return c_fmax(x, float(other))


def _float_min(x: float, other) -> float:
    return c_fmin(x, float(other))


def _float_pow(x: float, other) -> float:
    return c_pow(x, float(other))


def _is_nan(x: float) -> bool:
    return x != x


def _is_infinite(x: float) -> bool:
    return math.isinf(x)


def _is_finite(x: float) -> bool:
    return math.isfinite(x)


FLOAT_METHODS = declare({
    "abs": ("", _float_abs),
    "floor": ("", float_floor),
    "ceil": ("", float_ceil),
    "round": ("", float_round),
    "toInteger": ("", float_to_int),
    "max": ("x", _float_max),
    "min": ("x", _float_min),
    "pow": ("x", _float_pow),
    "sqrt": ("", float_sqrt),
    "sin": ("", c_sin),
    "cos": ("", c_cos),
    "tan": ("", c_tan),
    "exp": ("", c_exp),
    "log": ("", float_log),
    "log10": ("", float_log10),
    "isNaN": ("", _is_nan),
    "isInfinite": ("", _is_infinite),
    "isFinite": ("", _is_finite),
})

# --- MathBox ----------------------------------------------------------------------------------------------


def _on_float(fn):
    """A MathBox method that applies the FloatBox method `fn` to its numeric argument as a Float."""
    def method(_math, x):
        return fn(float(x))
    return method


def _int_or(fn):
    """A MathBox rounding method: an Int comes back unchanged, a Float goes through the FloatBox method."""
    def method(_math, x):
        return x if type(x) is int else fn(x)
    return method


def _math_abs(_math, x):
    return wrap(abs(x)) if type(x) is int else abs(x)


def _math_max(_math, a, b):
    if type(a) is int and type(b) is int:
        return a if a >= b else b
    return c_fmax(float(a), float(b))


def _math_min(_math, a, b):
    if type(a) is int and type(b) is int:
        return a if a <= b else b
    return c_fmin(float(a), float(b))


def _math_pow(_math, a, b):
    return c_pow(float(a), float(b))


def _get_pi(_math):
    return math.pi


def _get_e(_math):
    return math.e


MATH_METHODS = declare({
    "abs": ("x", _math_abs),
    "max": ("xx", _math_max),
    "min": ("xx", _math_min),
    "pow": ("xx", _math_pow),
    "sqrt": ("x", _on_float(float_sqrt)),
    "sin": ("x", _on_float(c_sin)),
    "cos": ("x", _on_float(c_cos)),
    "tan": ("x", _on_float(c_tan)),
    "exp": ("x", _on_float(c_exp)),
    "log": ("x", _on_float(float_log)),
    "log10": ("x", _on_float(float_log10)),
    "floor": ("x", _int_or(float_floor)),
    "ceil": ("x", _int_or(float_ceil)),
    "round": ("x", _int_or(float_round)),
    "getPi": ("", _get_pi),
    "getE": ("", _get_e),
})
