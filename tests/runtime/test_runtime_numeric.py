"""i64 wraparound, truncating division, Int/Float conversion and C99 math results (language.md §6.3, §6.4)."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nyash_run.runtime.numeric import (
    c_cos, c_exp, c_fmax, c_fmin, c_fmod, c_log, c_log10, c_pow, c_sin, c_sqrt, c_tan, float_ceil,
    float_floor, float_round, float_to_int, int_div, int_mod, int_to_float, parse_float, parse_i64, wrap,
)
from nyash_run.runtime.values import I64_MAX, I64_MIN

# The reference implementation of §6.3, verbatim.
M = 2 ** 63


def ref_wrap(n):
    return (n + M) % (2 * M) - M


def ref_int_div(a, b):
    q = abs(a) // abs(b)
    return ref_wrap(q if (a < 0) == (b < 0) else -q)


def ref_int_mod(a, b):
    q = abs(a) // abs(b)
    return a - b * (q if (a < 0) == (b < 0) else -q)


i64 = st.integers(min_value=I64_MIN, max_value=I64_MAX)
nonzero_i64 = i64.filter(lambda n: n != 0)
edges = st.sampled_from([I64_MIN, I64_MIN + 1, -1, 0, 1, I64_MAX - 1, I64_MAX])


@given(st.integers(min_value=-(2 ** 130), max_value=2 ** 130))
def test_wrap_matches_reference(n):
    assert wrap(n) == ref_wrap(n)


def test_wrap_at_both_ends():
    assert wrap(I64_MAX + 1) == I64_MIN
    assert wrap(I64_MIN - 1) == I64_MAX
    assert wrap(I64_MAX * 2) == -2


@given(st.one_of(i64, edges), st.one_of(nonzero_i64, st.sampled_from([-1, 1, I64_MIN, I64_MAX])))
def test_int_div_and_mod_match_reference(a, b):
    assert int_div(a, b) == ref_int_div(a, b)
    assert int_mod(a, b) == ref_int_mod(a, b)


def test_int_division_truncates_toward_zero():
    assert [int_div(7, 2), int_div(-7, 2), int_div(7, -2), int_div(-7, -2)] == [3, -3, -3, 3]


def test_int_mod_takes_sign_of_dividend():
    assert [int_mod(7, 3), int_mod(-7, 3), int_mod(7, -3), int_mod(-7, -3)] == [1, -1, 1, -1]


def test_min_divided_by_minus_one_wraps_and_min_mod_minus_one_is_zero():
    assert int_div(I64_MIN, -1) == I64_MIN
    assert int_mod(I64_MIN, -1) == 0


def test_int_to_float_rounds_ties_to_even():
    assert int_to_float(2 ** 53 + 1) == 2.0 ** 53
    assert int_to_float(2 ** 53 + 3) == 2.0 ** 53 + 4
    assert int_to_float(I64_MAX) == 2.0 ** 63


@pytest.mark.parametrize("x, expected", [
    (3.7, 3), (-3.7, -3), (math.nan, 0), (math.inf, I64_MAX), (-math.inf, I64_MIN), (1e300, I64_MAX),
    (-1e300, I64_MIN), (2.0 ** 63, I64_MAX), (-(2.0 ** 63), I64_MIN), (-0.0, 0),
])
def test_float_to_int_truncates_and_clamps(x, expected):
    assert float_to_int(x) == expected


@pytest.mark.parametrize("x, floor, ceil, rounded", [
    (2.5, 2, 3, 3), (-2.5, -3, -2, -3), (-0.5, -1, 0, -1), (0.49999999999999994, 0, 1, 0),
    (3.7, 3, 4, 4), (-3.7, -4, -3, -4), (1e300, I64_MAX, I64_MAX, I64_MAX), (math.nan, 0, 0, 0),
    (-math.inf, I64_MIN, I64_MIN, I64_MIN), (4503599627370497.0, 4503599627370497, 4503599627370497,
                                              4503599627370497),
])
def test_float_rounding_functions(x, floor, ceil, rounded):
    assert (float_floor(x), float_ceil(x), float_round(x)) == (floor, ceil, rounded)


@given(st.floats(min_value=-1e18, max_value=1e18))
def test_round_is_half_away_from_zero(x):
    # Decimal(x) is exact and ROUND_HALF_UP sends ties away from zero, like C's round()
    expected = int(Decimal(x).to_integral_value(rounding=ROUND_HALF_UP))
    assert float_round(x) == expected


def test_c_pow_returns_c99_results_instead_of_raising():
    assert c_pow(2.0, 10.0) == 1024.0
    assert c_pow(10.0, 400.0) == math.inf
    assert c_pow(-10.0, 401.0) == -math.inf
    assert c_pow(-10.0, 400.0) == math.inf
    assert c_pow(0.0, -1.0) == math.inf
    assert c_pow(-0.0, -3.0) == -math.inf
    assert c_pow(-0.0, -2.0) == math.inf
    assert math.isnan(c_pow(-8.0, 1 / 3))
    assert c_pow(math.nan, 0.0) == 1.0


def test_c_fmod_follows_c():
    assert c_fmod(-7.5, 2.0) == -1.5
    assert c_fmod(7.5, -2.0) == 1.5
    assert math.isnan(c_fmod(math.inf, 2.0))
    assert math.isnan(c_fmod(1.0, 0.0))
    assert c_fmod(2.0, math.inf) == 2.0


def test_fmax_fmin_ignore_a_single_nan():
    assert c_fmax(math.nan, 1.0) == 1.0 and c_fmax(1.0, math.nan) == 1.0
    assert c_fmin(math.nan, 1.0) == 1.0 and c_fmin(1.0, math.nan) == 1.0
    assert math.isnan(c_fmax(math.nan, math.nan))
    assert c_fmax(2.5, 3.0) == 3.0 and c_fmin(2.5, 3.0) == 2.5


def test_unary_math_never_raises():
    assert math.isnan(c_sin(math.inf)) and math.isnan(c_cos(-math.inf)) and math.isnan(c_tan(math.inf))
    assert c_exp(1000.0) == math.inf and c_exp(-math.inf) == 0.0
    assert math.isnan(c_sqrt(-1.0))
    assert c_log(0.0) == -math.inf and math.isnan(c_log(-1.0)) and c_log10(1000.0) == 3.0


@pytest.mark.parametrize("text, expected", [
    ("42", 42), ("-8", -8), ("+5", 5), ("007", 7), ("9223372036854775807", I64_MAX),
    ("-9223372036854775808", I64_MIN), ("9223372036854775808", None), ("0" * 5000 + "1", 1),
    ("9" * 5000, None), ("", None), ("3.7", None), ("12abc", None), (" 1", None), ("1_000", None),
    ("٣", None), ("+", None),
])
def test_parse_i64(text, expected):
    assert parse_i64(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("0.25", 0.25), ("1", 1.0), ("5.", 5.0), (".5", 0.5), ("1e3", 1000.0), ("-2.5E-1", -0.25),
    ("INF", math.inf), ("-Infinity", -math.inf), ("1e999", math.inf), ("abc", None), ("", None),
    (".", None), ("1_0", None), ("e5", None), (" 1", None), ("ınf", None),
])
def test_parse_float(text, expected):
    assert parse_float(text) == expected


def test_parse_float_accepts_nan_in_any_case():
    assert math.isnan(parse_float("NaN")) and math.isnan(parse_float("-nan"))
