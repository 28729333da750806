"""Display strings and type names (language.md §6.1, §6.8)."""
from __future__ import annotations

import math

import pytest
from runtime_helpers import make_instance
from hypothesis import given
from hypothesis import strategies as st

from nyash_run.runtime.display import display, display_float, type_name
from nyash_run.runtime.values import (
    NULL, ArrayBox, ConsoleBox, ErrorBox, FunctionBox, FutureBox, MapBox, MathBox, ResultBox,
)


@pytest.mark.parametrize("x, text", [
    (42.0, "42"), (-42.0, "-42"), (3.14, "3.14"), (1e16, "10000000000000000"),
    (1e19, "10000000000000000000"), (1e21, "1000000000000000000000"), (1e-7, "0.0000001"),
    (0.000125, "0.000125"), (123456789.125, "123456789.125"), (0.0009765625, "0.0009765625"),
    (1e12, "1000000000000"), (0.1 + 0.2, "0.30000000000000004"), (0.1 + 0.7, "0.7999999999999999"),
    (-0.0, "-0"), (0.0, "0"), (9007199254740993.0, "9007199254740992"), (2.0 / 3.0 * 1e6, "666666.6666666666"),
    (math.nan, "NaN"), (-math.nan, "NaN"), (math.inf, "inf"), (-math.inf, "-inf"), (1.5e-10, "0.00000000015"),
    (5e-324, "0." + "0" * 323 + "5"),
])
def test_display_float(x, text):
    assert display_float(x) == text
    assert display(x) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_display_float_round_trips_without_exponent(x):
    text = display_float(x)
    assert "e" not in text and "E" not in text
    assert float(text) == x
    assert not text.endswith(".0")


@pytest.mark.parametrize("value, text", [
    (0, "0"), (-7, "-7"), (9223372036854775807, "9223372036854775807"), ("héllo", "héllo"), ("", ""),
    (True, "true"), (False, "false"), (NULL, "null"), (None, "void"),
    (ConsoleBox(), "ConsoleBox()"), (MathBox(), "MathBox()"), (FunctionBox(lambda args: None), "FunctionBox()"),
    (ErrorBox("Division by zero"), "ErrorBox(Division by zero)"),
    (ResultBox(True, 42), "Ok(42)"), (ResultBox(False, "bad"), "Err(bad)"),
    (FutureBox(15), "Future(ready: 15)"), (FutureBox(None), "Future(ready: void)"),
])
def test_display_of_scalars_and_services(value, text):
    assert display(value) == text


def test_display_array_joins_element_displays():
    inner = ArrayBox([1, 2])
    outer = ArrayBox([inner, "s", ArrayBox(), 2.5, True, NULL, None])
    assert display(outer) == "[[1, 2], s, [], 2.5, true, null, void]"
    assert display(ArrayBox()) == "[]"
    assert display(ArrayBox([ArrayBox([ArrayBox()])])) == "[[[]]]"


def test_array_met_again_while_displaying_itself_shows_ellipsis():
    a = ArrayBox([1])
    a.items.append(a)
    assert display(a) == "[1, [...]]"
    b = ArrayBox([a])
    assert display(b) == "[[1, [...]]]"


def test_array_cycle_through_a_result_is_detected():
    a = ArrayBox()
    a.items.append(ResultBox(True, a))
    assert display(a) == "[Ok([...])]"
    assert display(ResultBox(False, a)) == "Err([Ok([...])])"


def test_shared_array_that_is_not_a_cycle_displays_fully():
    base = ArrayBox([1, 2])
    assert display(ArrayBox([base, base])) == "[[1, 2], [1, 2]]"


def test_deeply_nested_array_does_not_hit_the_recursion_limit():
    a = ArrayBox()
    for _ in range(100_000):
        a = ArrayBox([a])
    assert display(a) == "[" * 100_001 + "]" * 100_001


def test_map_display_shows_size_only():
    m = MapBox()
    m.data["k"] = 1
    assert display(m) == "MapBox(size=1)"
    assert display(ArrayBox([m, MapBox()])) == "[MapBox(size=1), MapBox(size=0)]"


def test_instance_and_singleton_display():
    assert display(make_instance("Dog", 2)) == "<Dog instance #2>"
    assert display(make_instance("Registry", 3, is_static=True)) == "<Registry_singleton instance #3>"
    assert display(ArrayBox([make_instance("A", 1)])) == "[<A instance #1>]"


@pytest.mark.parametrize("value, name", [
    (1, "IntegerBox"), (1.0, "FloatBox"), ("s", "StringBox"), (True, "BoolBox"), (NULL, "NullBox"),
    (None, "VoidBox"), (ArrayBox(), "ArrayBox"), (MapBox(), "MapBox"), (ConsoleBox(), "ConsoleBox"),
    (MathBox(), "MathBox"), (ResultBox(True, 1), "ResultBox"), (ErrorBox("x"), "ErrorBox"),
    (FunctionBox(lambda args: None), "FunctionBox"), (FutureBox(1), "FutureBox"),
])
def test_type_names(value, name):
    assert type_name(value) == name


def test_type_name_of_instance_is_its_box_name():
    assert type_name(make_instance("Point", 1)) == "Point"
    assert type_name(make_instance("Main", 1, is_static=True)) == "Main"
