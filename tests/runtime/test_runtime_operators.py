"""Arithmetic, ordering, equality, truthiness and unary operators (language.md §6.2–§6.7)."""
from __future__ import annotations

import math

import pytest
from runtime_helpers import make_instance
from hypothesis import given
from hypothesis import strategies as st

from nyash_run.runtime.operators import (
    BINARY_OPS, add, binop, div, eq, ge, gt, le, lt, mod, mul, ne, neg, not_, sub, truthy,
)
from nyash_run.runtime.values import (
    I64_MAX, I64_MIN, NULL, ArrayBox, ConsoleBox, ErrorBox, FunctionBox, FutureBox, MapBox, MathBox,
    ResultBox,
)

i64 = st.integers(min_value=I64_MIN, max_value=I64_MAX)
M = 2 ** 63


def ref_wrap(n):
    return (n + M) % (2 * M) - M


# --- arithmetic rows of §6.3, in table order -------------------------------------------------------------

def test_plus_with_a_string_on_either_side_concatenates_displays():
    assert add("n=", 5) == "n=5"
    assert add(5, " apples") == "5 apples"
    assert add("pi~", 3.14) == "pi~3.14"
    assert add(42.0, "!") == "42!"
    assert add("t=", True) == "t=true"
    assert add("null=", NULL) == "null=null"
    assert add("void=", None) == "void=void"
    assert add("arr=", ArrayBox([1, "b"])) == "arr=[1, b]"
    assert add(MapBox(), "") == "MapBox(size=0)"
    assert add("ab", "c") == "abc"
    assert add(add("x", 0.1), 0.2) == "x0.10.2"


@given(i64, i64)
def test_int_add_sub_mul_wrap_like_the_reference(a, b):
    assert add(a, b) == ref_wrap(a + b)
    assert sub(a, b) == ref_wrap(a - b)
    assert mul(a, b) == ref_wrap(a * b)


def test_i64_wraparound_at_both_ends():
    assert add(I64_MAX, 1) == I64_MIN
    assert sub(I64_MIN, 1) == I64_MAX
    assert add(I64_MAX, I64_MAX) == -2
    assert mul(I64_MIN, -1) == I64_MIN
    assert mul(3037000500, 3037000500) == -9223372036709301616
    assert mul(I64_MAX, I64_MAX) == 1
    assert add(I64_MIN, I64_MIN) == 0


def test_int_division_truncates_toward_zero():
    assert [div(7, 2), div(-7, 2), div(7, -2), div(-7, -2), div(-1, 3)] == [3, -3, -3, 3, 0]
    assert div(I64_MIN, -1) == I64_MIN
    assert div(-9223372036854775807, 10) == -922337203685477580


def test_int_modulo_has_sign_of_left_operand():
    assert [mod(7, 3), mod(-7, 3), mod(7, -3), mod(-7, -3), mod(-6, 3)] == [1, -1, 1, -1, 0]
    assert mod(I64_MIN, -1) == 0
    assert mod(-9223372036854775807, 10) == -7


def test_mixed_numeric_arithmetic_gives_float():
    assert add(1, 2.5) == 3.5 and type(add(1, 1.0)) is float
    assert sub(10, 0.5) == 9.5
    assert mul(3, 1.5) == 4.5
    assert div(7, 2.0) == 3.5 and div(7.0, 2) == 3.5
    assert add(0.1, 0.2) == 0.30000000000000004


def test_float_arithmetic_overflows_to_inf_and_can_make_nan():
    assert mul(1e308, 10.0) == math.inf
    assert div(1e308, 1e-10) == math.inf
    assert math.isnan(sub(math.inf, math.inf))


def test_float_modulo_is_c_fmod():
    assert mod(7.5, 2.0) == 1.5
    assert mod(-7.5, 2.0) == -1.5
    assert mod(7, 2.5) == 2.0
    assert math.isnan(mod(math.inf, 2.0))


def test_bool_plus_bool_counts_true_as_one():
    assert add(True, True) == 2 and type(add(True, True)) is int
    assert add(True, False) == 1
    assert add(False, False) == 0


def test_string_times_int_repeats():
    assert mul("ab", 3) == "ababab"
    assert mul("-", 10) == "----------"
    assert mul("x", 0) == "" and mul("x", -5) == ""
    assert mul("", I64_MAX) == ""


def test_impossibly_long_repeat_is_a_runtime_error(error_of):
    assert error_of(mul, "ab", I64_MAX) == "Out of memory"


@pytest.mark.parametrize("fn, a, b, message", [
    (add, 1, True, "Addition not supported between IntegerBox and BoolBox"),
    (add, True, 1, "Addition not supported between BoolBox and IntegerBox"),
    (add, NULL, None, "Addition not supported between NullBox and VoidBox"),
    (add, ArrayBox(), ArrayBox(), "Addition not supported between ArrayBox and ArrayBox"),
    (sub, "a", 1, "Subtraction not supported between StringBox and IntegerBox"),
    (sub, True, True, "Subtraction not supported between BoolBox and BoolBox"),
    (mul, 3, "ab", "Multiplication not supported between IntegerBox and StringBox"),
    (mul, "ab", 2.0, "Multiplication not supported between StringBox and FloatBox"),
    (mul, "ab", True, "Multiplication not supported between StringBox and BoolBox"),
    (div, "a", 0, "Division not supported between StringBox and IntegerBox"),
    (div, 1, None, "Division not supported between IntegerBox and VoidBox"),
    (mod, MapBox(), 0, "Modulo not supported between MapBox and IntegerBox"),
    (mod, make_instance("Foo", 1), 2, "Modulo not supported between Foo and IntegerBox"),
])
def test_unsupported_operand_pairs(error_of, fn, a, b, message):
    assert error_of(fn, a, b) == message


@pytest.mark.parametrize("a, b", [(1, 0), (1.0, 0), (1, 0.0), (1.5, -0.0), (0, 0)])
def test_zero_divisor_fails_after_types_are_accepted(error_of, a, b):
    assert error_of(div, a, b) == "Division by zero"
    assert error_of(mod, a, b) == "Modulo by zero"


# --- ordering §6.5 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, expected", [
    (1, 2, True), (2, 1, False), (3, 3.5, True), (3.5, 3, False), (10, 9.5, False), (-1, -0.5, True),
    ("apple", "banana", True), ("Zebra", "apple", True), ("ab", "abc", True), ("10", "9", True),
    ("z", "é", True), (True, False, False), (NULL, 1, False), (1, "a", True), (None, "w", True),
])
def test_less_than(a, b, expected):
    assert lt(a, b) is expected
    assert gt(b, a) is expected


def test_int_float_comparison_converts_the_int_to_float_first():
    big = 2 ** 53 + 1
    assert lt(big, 2.0 ** 53) is False
    assert gt(big, 2.0 ** 53) is False  # exact comparison would say True
    assert le(big, 2.0 ** 53) is True and ge(big, 2.0 ** 53) is True


def test_ints_compare_exactly():
    assert lt(I64_MAX - 1, I64_MAX) is True
    assert le(2, 2) and ge(2, 2) and not gt(2, 2)


def test_comparisons_with_nan_are_false():
    for op in (lt, le, gt, ge):
        assert op(math.nan, 1) is False
        assert op(1.0, math.nan) is False


def test_other_pairs_compare_display_strings():
    assert le("same", "same") and ge("b", "a")
    assert lt(ArrayBox([1]), ArrayBox([2]))
    assert lt(True, "u")  # "true" < "u"


# --- equality §6.6 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, expected", [
    (1, 1, True), (1, 2, False), (1, 1.0, True), (1.0, 1, True), (2, 2.0, True), (0, -0.0, True),
    (2.5, 2.5, True), (math.nan, math.nan, False), ("a", "a", True), ("a", "A", False), (1, "1", False),
    ("1", 1, False), (True, True, True), (True, 1, False), (1, True, False), (False, 0, False),
    (NULL, NULL, True), (NULL, None, True), (None, NULL, True), (None, None, True), (NULL, 0, False),
    ("", NULL, False), (False, None, False), (0, None, False),
])
def test_equality_table(a, b, expected):
    assert eq(a, b) is expected
    assert ne(a, b) is (not expected)


def test_nan_object_is_not_equal_to_itself():
    x = math.nan
    assert eq(x, x) is False


def test_int_float_equality_is_as_floats():
    assert eq(2 ** 53 + 1, 2.0 ** 53) is True


def test_arrays_are_equal_structurally():
    assert eq(ArrayBox([1, "two"]), ArrayBox([1, "two"]))
    assert eq(ArrayBox([1, 2]), ArrayBox([1, 2.0]))
    assert not eq(ArrayBox([1, 2]), ArrayBox([2, 1]))
    assert not eq(ArrayBox([1, 2]), ArrayBox(["1", "2"]))
    assert eq(ArrayBox(), ArrayBox())
    assert not eq(ArrayBox([1]), ArrayBox([1, 3]))
    assert eq(ArrayBox([ArrayBox([1, 2]), "x"]), ArrayBox([ArrayBox([1, 2]), "x"]))
    assert not eq(ArrayBox([ArrayBox([1, 2]), "x"]), ArrayBox([ArrayBox([1, 3]), "x"]))
    assert eq(ArrayBox([NULL, None]), ArrayBox([None, NULL]))
    assert not eq(ArrayBox([1, 2]), "[1, 2]")


def test_maps_and_instances_inside_arrays_compare_by_identity():
    m = MapBox()
    assert eq(ArrayBox([m, 1]), ArrayBox([m, 1]))
    assert not eq(ArrayBox([MapBox(), 1]), ArrayBox([MapBox(), 1]))
    t = make_instance("Thing", 1)
    assert eq(ArrayBox([t]), ArrayBox([t]))
    assert not eq(ArrayBox([make_instance("Thing", 2)]), ArrayBox([make_instance("Thing", 3)]))


def test_self_containing_arrays_compare_without_looping():
    a = ArrayBox([1])
    a.items.append(a)
    b = ArrayBox([1])
    b.items.append(b)
    assert eq(a, b)
    c = ArrayBox([2])
    c.items.append(c)
    assert not eq(a, c)


def test_array_equality_on_shared_structure_is_fast():
    level = ArrayBox([1])
    other = ArrayBox([1])
    for _ in range(200):  # 2**200 paths if compared without memory of finished pairs
        level = ArrayBox([level, level])
        other = ArrayBox([other, other])
    assert eq(level, other)


def test_deeply_nested_array_equality_does_not_recurse():
    a = ArrayBox()
    b = ArrayBox()
    for _ in range(100_000):
        a = ArrayBox([a])
        b = ArrayBox([b])
    assert eq(a, b)


def test_results_compare_by_kind_and_payload():
    assert eq(ResultBox(True, 1), ResultBox(True, 1.0))
    assert not eq(ResultBox(True, 1), ResultBox(False, 1))
    assert eq(ResultBox(False, ArrayBox([1])), ResultBox(False, ArrayBox([1])))
    assert eq(ArrayBox([ResultBox(True, "x")]), ArrayBox([ResultBox(True, "x")]))


@pytest.mark.parametrize("make", [MapBox, ConsoleBox, MathBox, lambda: ErrorBox("x"), lambda: FutureBox(1),
                                  lambda: FunctionBox(lambda args: None), lambda: make_instance("A", 1)])
def test_other_values_are_equal_only_to_themselves(make):
    x = make()
    assert eq(x, x)
    assert not eq(x, make())


# --- truthiness, not, unary minus ------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), (0, False), (1, True), (-3, True), ("", False), (" ", True), ("0", True),
    ("false", True), (NULL, True), (None, False), (0.0, True), (-0.0, True), (math.nan, True), (1.5, True),
    (ArrayBox(), True), (MapBox(), True), (make_instance("Empty", 1), True), (ResultBox(False, 0), True),
])
def test_truthiness(value, expected):
    assert truthy(value) is expected
    assert not_(value) is (not expected)


def test_unary_minus():
    assert neg(5) == -5 and neg(-5) == 5
    assert neg(I64_MIN) == I64_MIN
    assert neg(0.5) == -0.5
    assert math.copysign(1.0, neg(0.0)) == -1.0


@pytest.mark.parametrize("value", ["x", True, None, NULL, ArrayBox()])
def test_unary_minus_rejects_non_numbers(error_of, value):
    assert error_of(neg, value) == "Unary minus can only be applied to Integer or Float"


def test_binary_ops_table_covers_every_operator():
    assert set(BINARY_OPS) == {"+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">="}
    assert binop("+", 2, 3) == 5 and binop("<=", 2, 2) is True and binop("%", -7, 3) == -1


def test_operators_return_bools_not_ints():
    for fn in (eq, ne, lt, le, gt, ge):
        assert type(fn(1, 2)) is bool
