"""nyrt's operators (abi/nyrt/ops.c: nyrt_op_binary, nyrt_op_neg, nyrt_op_not) against the executable
definition, nyash_run/runtime/operators.py: for every operator and any pair of values the same result (type
and value; floats by repr, so -0.0 and NaN count) or the same error message (a kind-1 error, E_TYPE or E_ARG),
and no leak (nyrt_mem_live_bytes and live objects back where they started).

Values cross between the runtimes through the test-only converter of test_nyrt_core.py.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nyash_run.runtime import operators
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.values import NULL, ArrayBox

from test_nyrt_core import FLOATS, INTS, SCALARS, TEXTS, VALUES, canon, ffi, from_nyrt, lib, new, to_nyrt

OPS = ["+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!="]   # index == NYRT_OP_* code
CODES = {op: i for i, op in enumerate(OPS)}
I64_MIN, I64_MAX = -(2 ** 63), 2 ** 63 - 1

SMALL_ARRAYS = st.lists(SCALARS, max_size=3).map(ArrayBox)
OPERANDS = st.one_of(INTS, FLOATS, TEXTS, st.booleans(), st.none(), st.just(NULL), SMALL_ARRAYS, VALUES)
# The pairs the operators care about most, drawn together so hypothesis meets them often.
NUMERIC = st.one_of(INTS, FLOATS, st.booleans())


def test_op_codes_match_header():
    names = ["ADD", "SUB", "MUL", "DIV", "MOD", "LT", "LE", "GT", "GE", "EQ", "NE"]
    assert [getattr(lib, "NYRT_OP_" + n) for n in names] == list(range(11))


def _last_error() -> tuple[int, str]:
    return lib.nyrt_last_error_kind(), ffi.string(lib.nyrt_last_error()).decode("utf-8")


def _expect(fn, *args):
    try:
        return ("ok", canon(fn(*args)))
    except NyashRuntimeError as e:
        return ("error", e.message)


def _huge_repeat(op: str, a, b) -> bool:
    return op == "*" and type(a) is str and type(b) is int and len(a) * b > 100_000


def check_binary(op: str, a, b, same: bool = False) -> None:
    before = (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects())
    if same:
        b = a
    va = to_nyrt(a)
    vb = va if same else to_nyrt(b)
    out = new()
    code = lib.nyrt_op_binary(CODES[op], va, vb, out)
    if _huge_repeat(op, a, b):
        # Python would try to build it; nyrt must refuse a String that cannot exist, without building anything.
        if len(a.encode("utf-8")) * b >= 2 ** 62:
            assert code == lib.NYRT_E_OOM and _last_error() == (1, "Out of memory")
        else:
            if code == 0:
                lib.nyrt_val_release(out)
        got = expected = None
    else:
        expected = _expect(operators.binop, op, a, b)
        if code == 0:
            got = ("ok", canon(from_nyrt(out)))
            lib.nyrt_val_release(out)
        else:
            kind, text = _last_error()
            assert kind == 1
            assert code in (lib.NYRT_E_TYPE, lib.NYRT_E_ARG, lib.NYRT_E_OOM)
            if text in ("Division by zero", "Modulo by zero"):
                assert code == lib.NYRT_E_ARG
            elif " not supported between " in text:
                assert code == lib.NYRT_E_TYPE
            got = ("error", text)
    lib.nyrt_val_release(va)
    if not same:
        lib.nyrt_val_release(vb)
    assert got == expected, (op, a, b)
    assert (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects()) == before, "leak"


def check_unary(a) -> None:
    before = (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects())
    va, out = to_nyrt(a), new()
    code = lib.nyrt_op_neg(va, out)
    if code == 0:
        got = ("ok", canon(from_nyrt(out)))
        lib.nyrt_val_release(out)
    else:
        assert code == lib.NYRT_E_TYPE and lib.nyrt_last_error_kind() == 1
        got = ("error", _last_error()[1])
    assert got == _expect(operators.neg, a), a
    assert bool(lib.nyrt_op_not(va)) == operators.not_(a), a
    lib.nyrt_val_release(va)
    assert (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects()) == before, "leak"


EDGE = [0, 1, -1, 2, -2, 7, -7, I64_MIN, I64_MAX, I64_MIN + 1, 2 ** 53 + 1, 0.0, -0.0, 1.5, -2.5, float("nan"),
        float("inf"), float("-inf"), 1e308, 5e-324, True, False, "", "a", "é", "ab\u00e9Σ", "\U0001F600", "10",
        "2", None, NULL]


@pytest.mark.parametrize("op", OPS)
def test_edge_pairs(op):
    for a in EDGE + [ArrayBox([1, "x"]), ArrayBox([]), ArrayBox([1, "x"])]:
        for b in EDGE + [ArrayBox([1, "x"]), ArrayBox([])]:
            check_binary(op, a, b)


@pytest.mark.parametrize("op", OPS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=OPERANDS, b=OPERANDS, same=st.integers(0, 15).map(lambda n: n == 0))
def test_binary_matches_python(op, a, b, same):
    check_binary(op, a, b, same)


@pytest.mark.parametrize("op", OPS)
@settings(max_examples=300, deadline=None)
@given(a=NUMERIC, b=NUMERIC)
def test_binary_numeric(op, a, b):
    check_binary(op, a, b)


# Counts are small, negative or far too large for any memory (2**40 and up: both sides refuse at once); a
# count in between (say 10**9) would make both Python and nyrt really allocate gigabytes per example.
REPEAT_COUNTS = st.one_of(st.integers(-3, 20), st.integers(-2 ** 63, -1), st.integers(2 ** 40, 2 ** 63 - 1))


@settings(max_examples=300, deadline=None)
@given(s=TEXTS, n=REPEAT_COUNTS)
@example(s="ab", n=2 ** 62)
@example(s="é", n=I64_MAX)
@example(s="", n=I64_MAX)
def test_string_repetition(s, n):
    check_binary("*", s, n)
    check_binary("*", n, s)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=OPERANDS)
def test_unary_matches_python(a):
    check_unary(a)


def test_unary_edges():
    for a in EDGE + [ArrayBox([]), ArrayBox([0])]:
        check_unary(a)


def test_ordering_by_code_point():
    # UTF-16 order would put U+1F600 before U+FFFD; code point order (= UTF-8 byte order) puts it after.
    check_binary("<", "\U0001F600", "\ufffd")
    check_binary(">", "\U0001F600", "\ufffd")
    check_binary("<", "ab", "abc")
    check_binary("<", ArrayBox([1]), "[1]")
    check_binary("<=", ArrayBox([1]), "[1]")


def test_null_arguments():
    v = new()
    lib.nyrt_val_int(1, v)
    assert lib.nyrt_op_binary(0, v, ffi.NULL, new()) == lib.NYRT_E_ARG
    assert lib.nyrt_op_binary(11, v, v, new()) == lib.NYRT_E_ARG
    assert lib.nyrt_op_binary(-1, v, v, new()) == lib.NYRT_E_ARG
    assert lib.nyrt_op_neg(ffi.NULL, new()) == lib.NYRT_E_ARG
