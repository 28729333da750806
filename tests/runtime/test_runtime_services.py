"""ConsoleBox, ResultBox, ErrorBox, null, BoolBox, void, FunctionBox, FutureBox and the output module
(language.md §7.0, §7.7, §7.9, §9.2, §9.3, §8.1)."""
from __future__ import annotations

import io
import sys

import pytest
from runtime_helpers import make_instance

from nyash_run.runtime import output
from nyash_run.runtime.constructors import result_err, result_ok
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.methods import call_method, has_method, lookup_method
from nyash_run.runtime.values import NULL, ArrayBox, ConsoleBox, ErrorBox, FunctionBox, FutureBox, MapBox


def call(recv, name, *args):
    return call_method(recv, name, list(args))


# --- ConsoleBox -------------------------------------------------------------------------------------------

def test_console_prefixes_and_argument_joining(captured):
    c = ConsoleBox()
    assert call(c, "log", "hello") is None
    call(c, "log", "a", 1, 2.5, True)
    call(c, "warn", "careful")
    call(c, "error", "bad", "thing")
    call(c, "log", "")
    call(c, "log", "arr", ArrayBox([1]))
    call(c, "warn", MapBox())
    call(c, "println", "plain", 2)
    call(c, "println")
    call(c, "clear")
    assert captured() == (
        "[Console LOG] hello\n[Console LOG] a 1 2.5 true\n[Console WARN] careful\n"
        "[Console ERROR] bad thing\n[Console LOG] \n[Console LOG] arr [1]\n[Console WARN] MapBox(size=0)\n"
        "plain 2\n\n[Console CLEAR]\n"
    )


@pytest.mark.parametrize("name, args, message", [
    ("log", [], "log() expects at least 1 argument, got 0"),
    ("warn", [], "warn() expects at least 1 argument, got 0"),
    ("error", [], "error() expects at least 1 argument, got 0"),
    ("clear", [1], "clear() expects 0 arguments, got 1"),
    ("info", [1], "Unknown method 'info' for ConsoleBox"),
])
def test_console_errors(error_of, name, args, message):
    assert error_of(call_method, ConsoleBox(), name, args) == message


def test_console_to_string():
    assert call(ConsoleBox(), "toString") == "ConsoleBox()"


# --- ResultBox --------------------------------------------------------------------------------------------

def test_ok_result_methods():
    r = result_ok(42)
    assert call(r, "isOk") is True and call(r, "is_ok") is True and call(r, "isErr") is False
    assert call(r, "getValue") == 42 and call(r, "get_value") == 42
    assert call(r, "getError") is None and call(r, "get_error") is None
    assert call(r, "toString") == "Ok(42)"


def test_err_result_methods():
    r = result_err("bad")
    assert call(r, "isOk") is False and call(r, "isErr") is True
    assert call(r, "getValue") == "Error: Result is Err" and call(r, "get_value") == "Error: Result is Err"
    assert call(r, "getError") == "bad" and call(r, "get_error") == "bad"
    assert call(r, "toString") == "Err(bad)"


def test_result_equals_is_structural():
    assert call(result_ok(1), "equals", result_ok(1.0)) is True
    assert call(result_ok(1), "equals", result_err(1)) is False


def test_result_errors(error_of):
    assert error_of(call_method, result_ok(1), "is_err", []) == "Unknown method 'is_err' for ResultBox"
    assert error_of(call_method, result_ok(1), "getValue", [1]) == "getValue() expects 0 arguments, got 1"


# --- ErrorBox, null, BoolBox, void ------------------------------------------------------------------------

def test_error_box_get_message_and_display():
    e = ErrorBox("Division by zero")
    assert call(e, "getMessage") == "Division by zero"
    assert call(e, "toString") == "ErrorBox(Division by zero)"
    assert call(e, "equals", e) is True and call(e, "equals", ErrorBox("Division by zero")) is False


def test_null_methods():
    assert call(NULL, "is_null") is True and call(NULL, "is_not_null") is False
    assert call(NULL, "get_or_default", 5) == 5
    assert call(NULL, "toString") == "null"
    assert call(NULL, "equals", None) is True


def test_null_errors(error_of):
    assert error_of(call_method, NULL, "foo", []) == "Unknown method 'foo' for NullBox"
    assert error_of(call_method, NULL, "get_or_default", []) == "get_or_default() expects 1 argument, got 0"


def test_bool_has_only_to_string_and_equals(error_of):
    assert call(True, "toString") == "true" and call(False, "toString") == "false"
    assert call(True, "equals", True) is True and call(True, "equals", 1) is False
    assert error_of(call_method, True, "not", []) == "Unknown method 'not' for BoolBox"


def test_void_has_to_string_and_equals_and_nothing_else(error_of):
    assert call(None, "toString") == "void"
    assert call(None, "equals", NULL) is True
    assert error_of(call_method, None, "foo", []) == "Cannot call method 'foo' on non-instance type"
    assert error_of(call_method, None, "length", []) == "Cannot call method 'length' on non-instance type"


# --- FunctionBox and FutureBox ----------------------------------------------------------------------------

def test_function_call_passes_the_arguments_as_a_list():
    seen = []
    f = FunctionBox(lambda args: seen.append(args) or len(args))
    assert call(f, "call", 1, "x") == 2 and seen == [[1, "x"]]
    assert call(f, "call") == 0
    assert call(f, "toString") == "FunctionBox()"
    assert call(f, "equals", f) is True and call(f, "equals", FunctionBox(f.invoke)) is False


def test_function_call_arity_errors_come_from_invoke(error_of):
    def invoke(args):
        raise NyashRuntimeError(f"Lambda expects 1 argument, got {len(args)}")
    assert error_of(call_method, FunctionBox(invoke), "call", []) == "Lambda expects 1 argument, got 0"


def test_future_methods():
    fut = FutureBox(15)
    assert call(fut, "isReady") is True and call(fut, "get") == 15
    assert call(fut, "toString") == "Future(ready: 15)"


# --- dispatcher extras ------------------------------------------------------------------------------------

def test_instance_receiver_falls_back_to_display_for_to_string(error_of):
    obj = make_instance("Foo", 3)
    assert call(obj, "toString") == "<Foo instance #3>"
    assert error_of(call_method, obj, "toString", [1]) == "Method 'toString' not found in Foo"
    assert error_of(call_method, obj, "wave", []) == "Method 'wave' not found in Foo"


def test_lookup_and_has_method():
    assert lookup_method(str, "length").name == "length"
    assert lookup_method(str, "push") is None
    assert lookup_method(object, "x") is None
    assert has_method(ArrayBox(), "push") and not has_method(ArrayBox(), "keys")
    assert has_method(make_instance("A", 1), "toString")


# --- output -----------------------------------------------------------------------------------------------

def test_output_writes_to_the_current_sys_stdout(monkeypatch):
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buffer)
    output.write("héllo\n")
    output.flush()
    assert buffer.getvalue() == "héllo\n"


def test_set_writer_redirects_and_none_restores(monkeypatch):
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buffer)
    parts = []
    flushed = []
    output.set_writer(parts.append, lambda: flushed.append(True))
    try:
        output.write("a")
        output.flush()
    finally:
        output.set_writer(None)
    output.write("b")
    assert parts == ["a"] and flushed == [True] and buffer.getvalue() == "b"


def test_capture_nests_and_restores():
    with output.Capture() as outer:
        output.write("1")
        with output.Capture() as inner:
            output.write("2")
        output.write("3")
    assert outer.text() == "13" and inner.text() == "2"


def test_register_box_class_makes_an_external_class_a_box(error_of):
    from nyash_run.runtime.display import display, type_name
    from nyash_run.runtime.methods import METHOD_TABLES, register_box_class

    class Counter:
        def __init__(self):
            self.n = 0

    def bump(counter, by):
        counter.n += by
        return counter.n

    register_box_class(Counter, "CounterBox", lambda c: f"CounterBox({c.n})", {"bump": ("i", bump)})
    try:
        c = Counter()
        assert call(c, "bump", 2) == 2 and display(c) == "CounterBox(2)" and type_name(c) == "CounterBox"
        assert call(c, "toString") == "CounterBox(2)"
        assert error_of(call_method, c, "bump", ["x"]) == "bump() requires integer arguments"
        assert error_of(call_method, c, "nope", []) == "Unknown method 'nope' for CounterBox"
    finally:
        del METHOD_TABLES[Counter]
