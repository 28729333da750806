"""`new` of builtin boxes (language.md §7.1) and the declared method signatures (§7.0)."""
from __future__ import annotations

import math

import pytest

from nyash_run.runtime.constructors import (
    BUILTIN_BOX_NAMES, CONSTRUCTIBLE, construct, result_err, result_ok,
)
from nyash_run.runtime.display import display
from nyash_run.runtime.methodspec import Method
from nyash_run.runtime.values import (
    I64_MAX, I64_MIN, NULL, ArrayBox, ConsoleBox, MapBox, MathBox, ResultBox,
)


def test_string_constructor():
    assert construct("StringBox", []) == ""
    assert construct("StringBox", [42]) == "42"
    assert construct("StringBox", [2.5]) == "2.5"
    assert construct("StringBox", [False]) == "false"
    assert construct("StringBox", [ArrayBox([1])]) == "[1]"


@pytest.mark.parametrize("arg, expected", [
    (77, 77), (3.9, 3), (-3.9, -3), (math.nan, 0), (1e300, I64_MAX), ("123", 123), ("-9", -9), ("+4", 4),
    ("-9223372036854775808", I64_MIN),
])
def test_integer_constructor_conversions(arg, expected):
    assert construct("IntegerBox", [arg]) == expected


@pytest.mark.parametrize("arg, shown", [
    ("x1", "x1"), (" 1", " 1"), ("1.5", "1.5"), ("9223372036854775808", "9223372036854775808"), (True, "true"),
    (NULL, "null"), (None, "void"), (ArrayBox([1]), "[1]"), ("", ""),
])
def test_integer_constructor_failures(error_of, arg, shown):
    assert error_of(construct, "IntegerBox", [arg]) == f"Cannot convert '{shown}' to integer"


@pytest.mark.parametrize("arg, expected", [
    (2.5, 2.5), (3, 3.0), ("0.25", 0.25), ("1e3", 1000.0), (".5", 0.5), ("5.", 5.0), ("-INF", -math.inf),
    ("Infinity", math.inf),
])
def test_float_constructor_conversions(arg, expected):
    result = construct("FloatBox", [arg])
    assert result == expected and type(result) is float


def test_float_constructor_defaults_and_nan():
    assert construct("FloatBox", []) == 0.0 and display(construct("FloatBox", [])) == "0"
    assert math.isnan(construct("FloatBox", ["nan"]))


@pytest.mark.parametrize("arg, shown", [("abc", "abc"), (" 1", " 1"), ("1e", "1e"), (True, "true"), (None, "void")])
def test_float_constructor_failures(error_of, arg, shown):
    assert error_of(construct, "FloatBox", [arg]) == f"Cannot convert '{shown}' to float"


@pytest.mark.parametrize("arg, expected", [
    (True, True), (False, False), ("TRUE", True), ("false", False), ("True", True), ("fAlSe", False),
])
def test_bool_constructor_conversions(arg, expected):
    assert construct("BoolBox", [arg]) is expected


@pytest.mark.parametrize("arg, shown", [(1, "1"), ("yes", "yes"), (" true", " true"), (NULL, "null")])
def test_bool_constructor_failures(error_of, arg, shown):
    assert error_of(construct, "BoolBox", [arg]) == f"Cannot convert '{shown}' to boolean"


def test_defaults_without_arguments():
    assert construct("IntegerBox", []) == 0
    assert construct("BoolBox", []) is False
    assert construct("NullBox", []) is NULL


def test_service_and_collection_constructors_make_new_objects():
    a = construct("ArrayBox", [])
    assert type(a) is ArrayBox and a.items == [] and construct("ArrayBox", []) is not a
    assert type(construct("MapBox", [])) is MapBox
    assert type(construct("ConsoleBox", [])) is ConsoleBox
    assert type(construct("MathBox", [])) is MathBox
    r = construct("ResultBox", [7])
    assert type(r) is ResultBox and r.ok and r.value == 7


@pytest.mark.parametrize("name, args, message", [
    ("ArrayBox", [3], "ArrayBox constructor expects 0 arguments, got 1"),
    ("MapBox", [1, 2], "MapBox constructor expects 0 arguments, got 2"),
    ("NullBox", [1], "NullBox constructor expects 0 arguments, got 1"),
    ("StringBox", [1, 2], "StringBox constructor expects 0 or 1 arguments, got 2"),
    ("IntegerBox", [1, 2], "IntegerBox constructor expects 0 or 1 arguments, got 2"),
    ("FloatBox", [1, 2, 3], "FloatBox constructor expects 0 or 1 arguments, got 3"),
    ("BoolBox", [1, 2], "BoolBox constructor expects 0 or 1 arguments, got 2"),
    ("ResultBox", [], "ResultBox constructor expects 1 argument, got 0"),
    ("VoidBox", [], "Unknown Box type: VoidBox"),
    ("ErrorBox", ["x"], "Unknown Box type: ErrorBox"),
    ("FunctionBox", [], "Unknown Box type: FunctionBox"),
    ("FutureBox", [], "Unknown Box type: FutureBox"),
    ("RandomBox", [], "Unknown Box type: RandomBox"),
])
def test_constructor_errors(error_of, name, args, message):
    assert error_of(construct, name, args) == message


def test_name_sets():
    assert CONSTRUCTIBLE == {"StringBox", "IntegerBox", "FloatBox", "BoolBox", "NullBox", "ArrayBox", "MapBox",
                             "ConsoleBox", "MathBox", "ResultBox"}
    assert CONSTRUCTIBLE < BUILTIN_BOX_NAMES
    assert BUILTIN_BOX_NAMES - CONSTRUCTIBLE == {"VoidBox", "ErrorBox", "FunctionBox", "FutureBox"}


def test_result_helpers():
    assert display(result_ok(1)) == "Ok(1)" and display(result_err("e")) == "Err(e)"


# --- method signatures ------------------------------------------------------------------------------------

@pytest.mark.parametrize("signature, bounds, message", [
    ("", (0, 0), "m() expects 0 arguments, got 5"),
    ("v", (1, 1), "m() expects 1 argument, got 5"),
    ("iv", (2, 2), "m() expects 2 arguments, got 5"),
    ("i[i]", (1, 2), "m() expects 1 or 2 arguments, got 5"),
    ("s+", (1, None), "m() expects at least 1 argument, got 5"),
    ("v*", (0, None), "m() expects at least 0 arguments, got 5"),
])
def test_signatures_derive_bounds_and_arity_messages(signature, bounds, message):
    method = Method("m", signature, lambda recv, *args: args)
    assert (method.min_args, None if method.max_args > 1000 else method.max_args) == bounds
    assert method.arity_message(5) == message


def test_signature_kinds_convert_left_to_right(error_of):
    method = Method("m", "s[x]", lambda recv, *args: args)
    assert method.invoke(None, [1, 2.5]) == ("1", 2.5)
    assert error_of(method.invoke, None, [1, "2"]) == "m() requires numeric arguments"


def test_bad_signature_is_rejected_at_declaration():
    with pytest.raises(ValueError):
        Method("m", "q", lambda recv: None)
