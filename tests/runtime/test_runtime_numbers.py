"""IntegerBox, FloatBox and MathBox methods (language.md §7.3, §7.4, §7.8)."""
from __future__ import annotations

import math

import pytest

from nyash_run.runtime.display import display
from nyash_run.runtime.methods import call_method
from nyash_run.runtime.values import I64_MAX, I64_MIN, MathBox


def call(recv, name, *args):
    return call_method(recv, name, list(args))


def shown(recv, name, *args):
    return display(call(recv, name, *args))


# --- IntegerBox -------------------------------------------------------------------------------------------

def test_integer_abs_wraps_at_min():
    assert call(-42, "abs") == 42
    assert call(I64_MIN, "abs") == I64_MIN


def test_integer_max_min_to_float_pow():
    assert call(-42, "max", 7) == 7 and call(-42, "min", 7) == -42 and call(12, "max", 30) == 30
    assert call(-42, "toFloat") == -42.0 and type(call(7, "toFloat")) is float
    assert call(2, "pow", 10) == 1024.0 and shown(2, "pow", 10) == "1024"
    assert call(3, "pow", 4) == 81.0
    assert call(2, "pow", -1) == 0.5
    assert call(0, "pow", -1) == math.inf
    assert call(10, "pow", 400) == math.inf


def test_integer_to_string_and_equals():
    assert call(-42, "toString") == "-42"
    assert call(1234567, "toString") == "1234567"
    assert call(3, "equals", 3.0) is True and call(1, "equals", True) is False


@pytest.mark.parametrize("name, args, message", [
    ("max", [2.5], "max() requires integer arguments"),
    ("min", ["1"], "min() requires integer arguments"),
    ("pow", [0.5], "pow() requires integer arguments"),
    ("abs", [1], "abs() expects 0 arguments, got 1"),
    ("max", [], "max() expects 1 argument, got 0"),
    ("sqrt", [], "Unknown method 'sqrt' for IntegerBox"),
])
def test_integer_method_errors(error_of, name, args, message):
    assert error_of(call_method, 5, name, args) == message


# --- FloatBox ---------------------------------------------------------------------------------------------

def test_float_rounding_methods_give_ints():
    assert (call(-2.5, "floor"), call(-2.5, "ceil"), call(-2.5, "round")) == (-3, -2, -3)
    assert (call(2.5, "floor"), call(2.5, "ceil"), call(2.5, "round")) == (2, 3, 3)
    assert call(3.7, "toInteger") == 3 and call(-3.7, "toInteger") == -3 and call(-3.7, "round") == -4
    assert type(call(2.5, "floor")) is int
    assert call(math.nan, "round") == 0 and call(math.inf, "floor") == I64_MAX
    assert call(-1e30, "toInteger") == I64_MIN


def test_float_abs_max_min_pow():
    assert call(-2.5, "abs") == 2.5
    assert shown(2.5, "max", 3) == "3" and call(2.5, "min", 1.5) == 1.5
    assert call(2.5, "max", math.nan) == 2.5 and call(math.nan, "min", 1) == 1.0
    assert call(2.5, "pow", 2) == 6.25
    assert math.isnan(call(-8.0, "pow", 1 / 3))
    assert call(-0.0, "pow", -1) == -math.inf


def test_float_sqrt_and_logs():
    assert call(16.0, "sqrt") == 4.0 and call(2.25, "sqrt") == 1.5
    assert math.copysign(1, call(-0.0, "sqrt")) == -1
    assert call(math.inf, "sqrt") == math.inf and math.isnan(call(math.nan, "sqrt"))
    assert call(math.e, "log") == 1.0 and call(1000.0, "log10") == 3.0
    assert call(math.inf, "log") == math.inf and math.isnan(call(math.nan, "log10"))


@pytest.mark.parametrize("recv, name, message", [
    (-4.0, "sqrt", "Cannot take square root of negative number"),
    (-math.inf, "sqrt", "Cannot take square root of negative number"),
    (0.0, "log", "Cannot take logarithm of non-positive number"),
    (-0.0, "log10", "Cannot take logarithm of non-positive number"),
    (-1.0, "log", "Cannot take logarithm of non-positive number"),
])
def test_float_domain_errors(error_of, recv, name, message):
    assert error_of(call_method, recv, name, []) == message


def test_float_trig_and_exp_follow_c99():
    assert call(0.0, "sin") == 0.0 and call(0.0, "cos") == 1.0 and call(0.0, "tan") == 0.0
    assert math.isnan(call(math.inf, "sin")) and math.isnan(call(-math.inf, "cos"))
    assert math.isnan(call(math.inf, "tan"))
    assert call(1000.0, "exp") == math.inf and call(0.0, "exp") == 1.0


def test_float_classification():
    assert (call(2.5, "isFinite"), call(2.5, "isInfinite"), call(2.5, "isNaN")) == (True, False, False)
    assert (call(math.inf, "isFinite"), call(-math.inf, "isInfinite")) == (False, True)
    assert call(math.nan, "isNaN") is True and call(math.nan, "isFinite") is False


def test_float_to_string_and_equals():
    assert call(2.5, "toString") == "2.5" and call(42.0, "toString") == "42"
    assert call(2.5, "equals", 2.5) is True and call(2.5, "equals", 3) is False
    assert call(math.nan, "equals", math.nan) is False


@pytest.mark.parametrize("name, args, message", [
    ("max", ["3"], "max() requires numeric arguments"),
    ("pow", [True], "pow() requires numeric arguments"),
    ("floor", [1], "floor() expects 0 arguments, got 1"),
    ("toFloat", [], "Unknown method 'toFloat' for FloatBox"),
])
def test_float_method_errors(error_of, name, args, message):
    assert error_of(call_method, 1.5, name, args) == message


# --- MathBox ----------------------------------------------------------------------------------------------

MB = MathBox()


def test_math_abs_keeps_the_kind():
    assert call(MB, "abs", -7) == 7 and type(call(MB, "abs", -7)) is int
    assert call(MB, "abs", -2.5) == 2.5
    assert call(MB, "abs", I64_MIN) == I64_MIN


def test_math_max_min_ints_stay_ints():
    assert call(MB, "max", 3, 9) == 9 and call(MB, "min", 3, 9) == 3
    assert call(MB, "max", -4, -9) == -4 and type(call(MB, "max", -4, -9)) is int
    assert call(MB, "max", 1.5, 0.5) == 1.5 and call(MB, "min", -1.5, 0.5) == -1.5
    assert type(call(MB, "max", 1, 0.5)) is float
    assert call(MB, "max", math.nan, 2) == 2.0


def test_math_pow_sqrt_and_friends_give_floats():
    assert call(MB, "pow", 2, 8) == 256.0 and type(call(MB, "pow", 2, 8)) is float
    assert call(MB, "pow", 10, 0) == 1.0
    assert call(MB, "sqrt", 49) == 7.0 and call(MB, "sqrt", 0.25) == 0.5
    assert call(MB, "exp", 0) == 1.0 and call(MB, "log10", 100) == 2.0 and call(MB, "sin", 0) == 0.0
    assert call(MB, "cos", 0) == 1.0 and call(MB, "tan", 0) == 0.0 and call(MB, "log", 1) == 0.0


def test_math_rounding_leaves_ints_unchanged():
    assert call(MB, "floor", 3.9) == 3 and call(MB, "ceil", 3.1) == 4
    assert call(MB, "round", -0.5) == -1 and call(MB, "round", 2.5) == 3 and call(MB, "round", -2.5) == -3
    assert call(MB, "round", 7) == 7 and call(MB, "floor", -3.1) == -4
    assert call(MB, "floor", I64_MAX) == I64_MAX


def test_math_constants():
    assert shown(MB, "getPi") == "3.141592653589793"
    assert shown(MB, "getE") == "2.718281828459045"


@pytest.mark.parametrize("name, args, message", [
    ("max", [1, "2"], "max() requires numeric arguments"),
    ("abs", [True], "abs() requires numeric arguments"),
    ("sqrt", [-4], "Cannot take square root of negative number"),
    ("log", [0], "Cannot take logarithm of non-positive number"),
    ("max", [1], "max() expects 2 arguments, got 1"),
    ("getPi", [1], "getPi() expects 0 arguments, got 1"),
    ("random", [], "Unknown method 'random' for MathBox"),
])
def test_math_errors(error_of, name, args, message):
    assert error_of(call_method, MB, name, args) == message


def test_math_box_to_string():
    assert call(MB, "toString") == "MathBox()"
    assert call(MB, "equals", MB) is True and call(MB, "equals", MathBox()) is False
