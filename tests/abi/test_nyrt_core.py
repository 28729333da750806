"""nyrt's core (abi/nyrt: values, strings, arrays, maps, results, errors, services, display, the core
TypeBoxes) against the executable definition, the Python runtime (nyash_run/runtime): the same display
strings, method results, mutations, error messages and console output; plus layout, TypeBoxes, reference
counting (nothing leaks, long chains free without recursion) and the build (abi/build.py).

Values cross between the two runtimes through a converter written here for the tests only (the real one is
abi/values.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nyash_run.abi import build as nyrt_build
from nyash_run.runtime import methodspec, output
from nyash_run.runtime.containers import _compare, sort_values
from nyash_run.runtime.display import display, display_float, type_name
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.methods import METHOD_TABLES, call_method
from nyash_run.runtime.operators import eq, truthy
from nyash_run.runtime.values import (
    NULL, ArrayBox, ConsoleBox, ErrorBox, MapBox, MathBox, NullValue, ResultBox,
)

if not nyrt_build.have_compiler():
    pytest.skip("no C compiler: nyrt cannot be built", allow_module_level=True)

ffi, lib = nyrt_build.load()
ROOT = Path(__file__).resolve().parents[2]
KINDS = ["INTEGER", "FLOAT", "BOOL", "STRING", "NULL", "VOID", "ARRAY", "MAP", "CONSOLE", "MATH", "RESULT",
         "ERROR", "HOST"]
K = {name: i for i, name in enumerate(KINDS)}
CORE_NAMES = ["nyash.core.Integer", "nyash.core.Float", "nyash.core.Bool", "nyash.core.String",
              "nyash.core.Null", "nyash.core.Void", "nyash.core.Array", "nyash.core.Map", "nyash.core.Console",
              "nyash.core.Math", "nyash.core.Result", "nyash.core.Error", "nyash.host.Object"]


def fast_key(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")


# ---- test-only conversion between the Python runtime and nyrt --------------------------------------------------
def new() -> "ffi.CData":
    return ffi.new("nyrt_nyash_value *")


def ok(code: int) -> None:
    assert code == 0, ffi.string(lib.nyrt_last_error()).decode()


def to_nyrt(x, memo: dict | None = None):
    """A new nyrt value (+1, the caller releases it) equal to the Python runtime value x."""
    memo = {} if memo is None else memo
    out, t = new(), type(x)
    if id(x) in memo:                       # shared or cyclic containers stay shared
        out[0] = memo[id(x)][0]
        lib.nyrt_val_retain(out)
    elif t is bool:
        lib.nyrt_val_bool(int(x), out)
    elif t is int:
        lib.nyrt_val_int(x, out)
    elif t is float:
        lib.nyrt_val_float(x, out)
    elif t is str:
        data = x.encode("utf-8")
        ok(lib.nyrt_str_new(data, len(data), out))
    elif x is None:
        lib.nyrt_val_void(out)
    elif x is NULL:
        lib.nyrt_val_null(out)
    elif t is ArrayBox:
        ok(lib.nyrt_arr_new(out))
        memo[id(x)] = out
        for item in x.items:
            v = to_nyrt(item, memo)
            ok(lib.nyrt_arr_push(out, v))
            lib.nyrt_val_release(v)
    elif t is MapBox:
        ok(lib.nyrt_map_new(out))
        memo[id(x)] = out
        for key, item in x.data.items():
            k, v = to_nyrt(key), to_nyrt(item, memo)
            ok(lib.nyrt_map_set(out, k, v))
            lib.nyrt_val_release(k)
            lib.nyrt_val_release(v)
    elif t is ResultBox:
        v = to_nyrt(x.value, memo)
        ok(lib.nyrt_res_new(int(x.ok), v, out))
        lib.nyrt_val_release(v)
    elif t is ErrorBox:
        data = x.message.encode("utf-8")
        ok(lib.nyrt_errbox_new_len(data, len(data), out))
    elif t is ConsoleBox:
        ok(lib.nyrt_console_new(out))
    elif t is MathBox:
        ok(lib.nyrt_math_new(out))
    else:
        raise TypeError(t)
    return out


def text_of(v) -> str:
    p, n = ffi.new("const char **"), ffi.new("size_t *")
    ok(lib.nyrt_str_view(v, p, n))
    return ffi.unpack(p[0], n[0]).decode("utf-8")


def _from_container(v, kind: int, memo: dict):
    if kind == K["ARRAY"]:
        arr = memo[v.box_handle] = ArrayBox()
        for i in range(lib.nyrt_arr_len(v)):
            e = new()
            ok(lib.nyrt_arr_get(v, i, e))
            arr.items.append(from_nyrt(e, memo))
            lib.nyrt_val_release(e)
        return arr
    m = memo[v.box_handle] = MapBox()
    keys = new()
    ok(lib.nyrt_map_keys(v, keys))
    for key in from_nyrt(keys).items:
        k, e = to_nyrt(key), new()
        ok(lib.nyrt_map_get(v, k, e))
        m.data[key] = from_nyrt(e, memo)
        lib.nyrt_val_release(k)
        lib.nyrt_val_release(e)
    lib.nyrt_val_release(keys)
    return m


def from_nyrt(v, memo: dict | None = None):
    """The Python runtime value equal to nyrt value v (borrowed)."""
    memo = {} if memo is None else memo
    kind = lib.nyrt_val_kind(v)
    if kind in (K["INTEGER"], K["BOOL"]):
        n = lib.nyrt_val_as_int(v)
        return bool(n) if kind == K["BOOL"] else n
    if kind == K["FLOAT"]:
        return lib.nyrt_val_as_float(v)
    if kind == K["STRING"]:
        return text_of(v)
    if kind in (K["NULL"], K["VOID"]):
        return NULL if kind == K["NULL"] else None
    if v.box_handle in memo:
        return memo[v.box_handle]
    if kind in (K["ARRAY"], K["MAP"]):
        return _from_container(v, kind, memo)
    if kind == K["RESULT"]:
        flag, payload = ffi.new("int32_t *"), new()
        ok(lib.nyrt_res_get(v, flag, payload))
        res = memo[v.box_handle] = ResultBox(bool(flag[0]), from_nyrt(payload, memo))
        lib.nyrt_val_release(payload)
        return res
    if kind == K["ERROR"]:
        msg = new()
        ok(lib.nyrt_errbox_message(v, msg))
        err = ErrorBox(text_of(msg))
        lib.nyrt_val_release(msg)
        return err
    return ConsoleBox() if kind == K["CONSOLE"] else MathBox()


def py_copy(x, memo: dict | None = None):
    """A fresh copy of a Python runtime value (deepcopy would duplicate NULL)."""
    memo = {} if memo is None else memo
    t = type(x)
    if id(x) in memo:
        return memo[id(x)]
    if t is ArrayBox:
        out = memo[id(x)] = ArrayBox()
        out.items = [py_copy(i, memo) for i in x.items]
        return out
    if t is MapBox:
        out = memo[id(x)] = MapBox()
        out.data = {k: py_copy(v, memo) for k, v in x.data.items()}
        return out
    if t is ResultBox:
        return ResultBox(x.ok, py_copy(x.value, memo))
    if t in (ErrorBox, ConsoleBox, MathBox):
        return ErrorBox(x.message) if t is ErrorBox else t()
    return x


def canon(v, active: frozenset = frozenset()):
    """A comparable form: types kept, floats by repr (so -0.0 and NaN compare), cycles marked."""
    t = type(v)
    if t is float:
        return ("Float", repr(v))
    if t in (int, str, bool):
        return (t.__name__, v)
    if v is None or v is NULL:
        return ("void",) if v is None else ("null",)
    if id(v) in active:
        return ("cycle",)
    inner = active | {id(v)}
    if t is ArrayBox:
        return ("Array", tuple(canon(i, inner) for i in v.items))
    if t is MapBox:
        return ("Map", tuple((k, canon(i, inner)) for k, i in v.data.items()))
    if t is ResultBox:
        return ("Result", v.ok, canon(v.value, inner))
    if t is ErrorBox:
        return ("Error", v.message)
    return (t.__name__,)


def nyrt_display(x) -> str:
    v, s = to_nyrt(x), new()
    ok(lib.nyrt_val_display(v, s))
    text = text_of(s)
    lib.nyrt_val_release(s)
    lib.nyrt_val_release(v)
    return text


# ---- strategies ----------------------------------------------------------------------------------------------------
I64 = st.integers(-(2 ** 63), 2 ** 63 - 1)
INTS = st.one_of(st.integers(-4, 12), I64, st.sampled_from([0, -1, 2 ** 63 - 1, -(2 ** 63), 2 ** 53 + 1]))
FLOATS = st.one_of(st.floats(), st.sampled_from(
    [0.0, -0.0, 0.5, -0.5, 2.5, -2.5, 1e16, 1e-7, 1e300, 9.2e18, -9.3e18, 0.1, 16.0, -1.0, 2.0 ** 63]))
SPECIAL_TEXT = ["", " ", " 42 ", "-7", "+3", "9", "10", "9.5", "héllo world", "a-b-c", "-", "ΣΑΣ ΟΔΟΣ",
                "ß", "İ", "ﬃ", "true", "FALSE", "\u3000x\u2028", "abcabc", "ab", "é"]
TEXTS = st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=10), st.sampled_from(SPECIAL_TEXT),
                  st.text(alphabet="ab-Σσ \t1", max_size=8))
SCALARS = st.one_of(INTS, FLOATS, TEXTS, st.booleans(), st.none(), st.just(NULL))


def _map_of(pairs: dict) -> MapBox:
    m = MapBox()
    m.data.update(pairs)
    return m


def _containers(children):
    return st.one_of(
        st.lists(children, max_size=5).map(ArrayBox),
        st.dictionaries(TEXTS, children, max_size=4).map(_map_of),
        st.builds(ResultBox, st.booleans(), children),
    )


VALUES = st.one_of(
    st.recursive(SCALARS, _containers, max_leaves=10),
    st.builds(ConsoleBox), st.builds(MathBox), st.builds(ErrorBox, TEXTS),
)

RECEIVERS = {
    int: INTS, float: FLOATS, str: TEXTS, bool: st.booleans(), NullValue: st.just(NULL), type(None): st.none(),
    ArrayBox: st.lists(st.one_of(SCALARS, VALUES), max_size=6).map(ArrayBox),
    MapBox: st.dictionaries(TEXTS, VALUES, max_size=5).map(_map_of),
    ConsoleBox: st.builds(ConsoleBox), MathBox: st.builds(MathBox),
    ResultBox: st.builds(ResultBox, st.booleans(), VALUES), ErrorBox: st.builds(ErrorBox, TEXTS),
}
LETTER_OF = {check: letter for letter, check in methodspec._CHECKS.items()}
BY_LETTER = {"i": st.one_of(st.integers(-3, 8), INTS), "x": st.one_of(INTS, FLOATS), "s": TEXTS, "v": VALUES}


@st.composite
def arguments(draw, method):
    """Mostly what the signature asks for; sometimes any count, and any kind of value."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.lists(VALUES, max_size=3))
    hi = method.min_args + 2 if method.max_args > method.min_args + 2 else method.max_args
    n = draw(st.integers(method.min_args, hi))
    checks = list(method.checks) if method.checks is not None else []
    letters = [LETTER_OF[c] for c in checks] + [LETTER_OF[method.rest_check]] * n
    return [draw(VALUES if draw(st.integers(0, 7)) == 0 else BY_LETTER[letters[i] if i < len(letters) else "v"])
            for i in range(n)]


# ---- running one call on both runtimes -----------------------------------------------------------------------
_written: list[str] = []


@ffi.callback(ffi.typeof(lib.nyrt_set_output).args[0])
def _capture_output(p, n):
    _written.append(ffi.unpack(p, n).decode("utf-8"))


def python_call(recv, name: str, args: list):
    with output.Capture() as out:
        try:
            result = ("ok", canon(call_method(recv, name, args)))
        except NyashRuntimeError as exc:
            result = ("error", exc.message)
    return result, canon(recv), out.text()


def nyrt_call(recv_spec, name: str, arg_specs: list):
    recv, args = to_nyrt(recv_spec), [to_nyrt(a) for a in arg_specs]
    argv = ffi.new("nyrt_nyash_value[]", max(1, len(args)))
    for i, a in enumerate(args):
        argv[i] = a[0]
    ret = new()
    _written.clear()
    lib.nyrt_set_output(_capture_output)
    try:
        code = lib.nyrt_call(recv, name.encode(), argv, len(args), ret)
    finally:
        lib.nyrt_set_output(ffi.NULL)
    if code == 0:
        result = ("ok", canon(from_nyrt(ret)))
        lib.nyrt_val_release(ret)
    else:
        assert lib.nyrt_last_error_kind() == 1
        result = ("error", ffi.string(lib.nyrt_last_error()).decode())
    after = canon(from_nyrt(recv))
    for v in [recv, *args]:
        lib.nyrt_val_release(v)
    return result, after, "".join(_written)


def assert_same_call(recv, name, args):
    before = (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects())
    mine = nyrt_call(recv, name, args)
    theirs = python_call(py_copy(recv), name, [py_copy(a) for a in args])
    assert mine == theirs, (display(recv), name, [display(a) for a in args])
    assert (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects()) == before, "leak"


FAMILIES = [int, float, str, bool, NullValue, type(None), ArrayBox, MapBox, ConsoleBox, MathBox, ResultBox, ErrorBox]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda t: t.__name__)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_builtin_method_matches_the_python_runtime(family, data):
    names = sorted(METHOD_TABLES[family]) + ["noSuchMethod"]
    name = data.draw(st.sampled_from(names))
    recv = data.draw(RECEIVERS[family])
    method = METHOD_TABLES[family].get(name)
    args = data.draw(arguments(method)) if method else data.draw(st.lists(VALUES, max_size=2))
    assert_same_call(recv, name, args)


KEYS = st.sampled_from(["a", "b", "c", "d", 1, 2, "1", True, None, 2.5])
MAP_OPS = st.one_of(
    st.tuples(st.just("set"), st.tuples(KEYS, SCALARS)), st.tuples(st.just("delete"), st.tuples(KEYS)),
    st.tuples(st.sampled_from(["get", "has"]), st.tuples(KEYS)),
    st.tuples(st.sampled_from(["keys", "values", "size", "clear"]), st.just(())))
ARRAY_OPS = st.one_of(
    st.tuples(st.just("push"), st.tuples(SCALARS)), st.tuples(st.sampled_from(["pop", "sort", "reverse"]), st.just(())),
    st.tuples(st.sampled_from(["remove", "get"]), st.tuples(st.integers(-1, 6))),
    st.tuples(st.just("set"), st.tuples(st.integers(-1, 6), SCALARS)),
    st.tuples(st.just("slice"), st.tuples(st.integers(-2, 6), st.integers(-2, 8))))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([MapBox, ArrayBox]), st.data())
def test_sequences_of_mutations_match(family, data):
    # tombstones, compaction and re-insertion order of maps; growth and shifting of arrays
    ops = data.draw(st.lists(MAP_OPS if family is MapBox else ARRAY_OPS, max_size=40))
    before = (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects())
    theirs, mine = family(), to_nyrt(family())
    for name, args in ops:
        vals = [to_nyrt(a) for a in args]
        argv, ret = ffi.new("nyrt_nyash_value[]", max(1, len(vals))), new()
        for i, v in enumerate(vals):
            argv[i] = v[0]
        ok(lib.nyrt_call(mine, name.encode(), argv, len(vals), ret))
        assert canon(from_nyrt(ret)) == canon(call_method(theirs, name, list(args))), (name, args)
        assert canon(from_nyrt(mine)) == canon(theirs)
        for v in [ret, *vals]:
            lib.nyrt_val_release(v)
    lib.nyrt_val_release(mine)
    assert (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects()) == before


@pytest.mark.parametrize("seed", range(5))
def test_long_map_workloads_keep_insertion_order(seed):
    # enough deletions to squeeze tombstones out many times, and growth past several index sizes
    rng = random.Random(seed)
    theirs, mine = MapBox(), to_nyrt(MapBox())
    for step in range(4000):
        key = f"k{rng.randrange(rng.choice([5, 40, 400]))}"
        name = rng.choice(["set", "set", "delete"])
        args = [key, step] if name == "set" else [key]
        vals = [to_nyrt(a) for a in args]
        argv, ret = ffi.new("nyrt_nyash_value[]", 2), new()
        for i, v in enumerate(vals):
            argv[i] = v[0]
        ok(lib.nyrt_call(mine, name.encode(), argv, len(vals), ret))
        assert text_of(ret) == call_method(theirs, name, args)
        for v in [ret, *vals]:
            lib.nyrt_val_release(v)
    assert canon(from_nyrt(mine)) == canon(theirs)
    lib.nyrt_val_release(mine)


def test_each_method_name_and_arity_reaches_its_method():
    # every (type, name, count) the Python tables accept is answered by nyrt (not "Unknown method")
    samples = {int: 7, float: 2.5, str: "héllo", bool: True, NullValue: NULL, type(None): None,
               ArrayBox: ArrayBox([3, 1, 2]), MapBox: _map_of({"a": 1}), ConsoleBox: ConsoleBox(),
               MathBox: MathBox(), ResultBox: ResultBox(True, 1), ErrorBox: ErrorBox("e")}
    plain = {"i": 1, "x": 2, "s": "a", "v": 1}
    for family, table in METHOD_TABLES.items():
        if family not in samples:
            continue
        for name, method in table.items():
            checks = list(method.checks) if method.checks is not None else [None] * method.max_args
            letters = [LETTER_OF[c] for c in checks]
            for n in range(method.min_args, min(method.max_args, method.min_args + 3) + 1):
                args = [plain[letters[i] if i < len(letters) else LETTER_OF[method.rest_check]] for i in range(n)]
                assert_same_call(samples[family], name, args)


def test_call_errors_have_the_spec_codes_and_messages():
    cases = [("x", "substring", [], 1, "substring() expects 1 or 2 arguments, got 0"),
             ("x", "substring", ["a"], 2, "substring() requires integer arguments"),
             (MathBox(), "sqrt", ["a"], 2, "sqrt() requires numeric arguments"),
             (ConsoleBox(), "log", [], 1, "log() expects at least 1 argument, got 0"),
             (-1.0, "sqrt", [], 1, "Cannot take square root of negative number"),
             (0, "log", [], 6, "Unknown method 'log' for IntegerBox"),
             (None, "foo", [], 6, "Cannot call method 'foo' on non-instance type")]
    for recv, name, args, code, message in cases:
        r, a = to_nyrt(recv), [to_nyrt(x) for x in args]
        argv, ret = ffi.new("nyrt_nyash_value[]", max(1, len(a))), new()
        for i, v in enumerate(a):
            argv[i] = v[0]
        assert lib.nyrt_call(r, name.encode(), argv, len(a), ret) == code
        assert ffi.string(lib.nyrt_last_error()).decode() == message
        assert lib.nyrt_last_error_kind() == 1
        for v in [r, *a]:
            lib.nyrt_val_release(v)


# ---- display ------------------------------------------------------------------------------------------------------
@settings(max_examples=2000, deadline=None)
@given(st.floats())
def test_float_display_matches_display_float(x):
    assert nyrt_display(x) == display_float(x)


def test_float_display_on_powers_of_two_and_random_bits():
    rng = random.Random(1)
    xs = [2.0 ** k for k in range(-1074, 1024)] + [-(2.0 ** k) for k in range(-1074, 1024, 7)]
    xs += [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(100_000)]
    xs += [1e16, 1e-7, 1e15, 1e-5, 1e-4, 123456789012345680.0, 5e-324, 1.7976931348623157e308, -0.0, 0.0]
    for x in xs:
        assert nyrt_display(x) == display_float(x), repr(x)


@settings(max_examples=500, deadline=None)
@given(VALUES)
def test_display_matches_the_python_runtime(x):
    assert nyrt_display(x) == display(x)


def test_display_of_self_reference():
    a = ArrayBox([1])
    a.items.append(a)
    b = ArrayBox([a, ResultBox(False, a), a])
    assert nyrt_display(b) == display(b)
    v = to_nyrt(a)      # break the nyrt cycle so that the test leaks nothing
    ok(lib.nyrt_arr_set(v, 1, to_nyrt(0)))
    lib.nyrt_val_release(v)


def test_display_of_deep_nesting_uses_no_c_stack():
    depth = 100_000
    py, cur = ArrayBox([1]), new()
    ok(lib.nyrt_arr_new(cur))
    ok(lib.nyrt_arr_push(cur, to_nyrt(1)))
    for _ in range(depth):                           # [1, [1, [1, ...]]], built from the inside out
        py = ArrayBox([1, py])
        outer = new()
        ok(lib.nyrt_arr_new(outer))
        ok(lib.nyrt_arr_push(outer, to_nyrt(1)))
        ok(lib.nyrt_arr_push(outer, cur))
        lib.nyrt_val_release(cur)
        cur = outer
    s = new()
    ok(lib.nyrt_val_display(cur, s))
    assert text_of(s) == display(py)
    for v in (s, cur):
        lib.nyrt_val_release(v)


# ---- operators: truthiness, equality, type names -----------------------------------------------------------------
@settings(max_examples=500, deadline=None)
@given(VALUES, VALUES, st.booleans())
def test_equality_truthiness_and_type_names_match(a, b, same):
    b = py_copy(a) if same else b
    va, vb = to_nyrt(a), to_nyrt(b)
    assert bool(lib.nyrt_val_equals(va, vb)) == eq(a, b)
    assert bool(lib.nyrt_val_truthy(va)) == truthy(a)
    assert ffi.string(lib.nyrt_val_type_name(va)).decode() == type_name(a)
    lib.nyrt_val_release(va)
    lib.nyrt_val_release(vb)


def test_structural_equality_with_cycles():
    a, b = ArrayBox([1]), ArrayBox([1])
    a.items.append(a)
    b.items.append(b)
    va, vb = to_nyrt(a), to_nyrt(b)
    assert lib.nyrt_val_equals(va, vb) == 1 and eq(a, b)
    for v in (va, vb):
        ok(lib.nyrt_arr_set(v, 1, to_nyrt(0)))
        lib.nyrt_val_release(v)


# ---- sort: CPython's list.sort, even when the comparison is inconsistent ----------------------------------------
POOL = [0, 1, 2, 3, 9, 10, -1, 2 ** 60, 2.5, 9.5, -0.0, 0.0, float("nan"), float("inf"), "9", "10", "a", "",
        "Z", "9.5", "é", True, None, NULL]


def _sorted_by_both(items: list) -> tuple:
    v = to_nyrt(ArrayBox(list(items)))
    argv, ret = ffi.new("nyrt_nyash_value[]", 1), new()
    ok(lib.nyrt_call(v, b"sort", argv, 0, ret))
    mine = canon(from_nyrt(v))
    lib.nyrt_val_release(ret)
    lib.nyrt_val_release(v)
    theirs = list(items)
    sort_values(theirs)
    return mine, canon(ArrayBox(theirs))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=150))
def test_sort_matches_python_on_mixed_values(items):
    mine, theirs = _sorted_by_both(items)
    assert mine == theirs


def _less(a, b) -> bool:
    """The §7.5 comparison, as containers.py applies it."""
    key = lambda v: (v, None if type(v) in (int, float) else display(v))  # noqa: E731
    return _compare(key(a), key(b)) < 0


def _walk_runs(rng: random.Random, n: int, same_lengths: bool) -> list:
    """Runs that count_run sees as ascending (each element not less than the one before) although the
    comparison is not an order: long runs make timsort merge and gallop, inconsistency makes every
    difference in what it compares show in the result. Runs of equal length reach the ties of the merge
    policy (powerloop, force_collapse, merge_lo versus merge_hi)."""
    items: list = []
    length = rng.choice([31, 64, 100, 128])
    while len(items) < n:
        run = [rng.choice(POOL)]
        for _ in range(length - 1 if same_lengths else rng.randint(1, 300)):
            options = [v for v in rng.sample(POOL, 8) if not _less(v, run[-1])]
            run.append(rng.choice(options) if options else run[-1])
        items += run[::-1] if rng.random() < 0.2 else run
    return items


@pytest.mark.parametrize("seed", range(150))
def test_sort_matches_python_on_long_inconsistent_runs(seed):
    rng = random.Random(seed)
    n = rng.choice([rng.randint(64, 4000), 2 ** rng.randint(6, 12)])
    mine, theirs = _sorted_by_both(_walk_runs(rng, n, same_lengths=seed % 2 == 1))
    assert mine == theirs


# ---- strings: case mapping over every code point ------------------------------------------------------------------
def test_case_mapping_of_every_code_point():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for step in range(0, len(every), 200_000):
        chunk = every[step:step + 200_000]
        assert_same_call(chunk, "toUpper", [])
        assert_same_call(chunk, "toLower", [])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="Σσς aA'\u0345\u0301\u00ad.:\u02b0\u1f88", max_size=8))
def test_final_sigma_matches_python_lower(text):
    assert_same_call(text, "toLower", [])


# ---- reference counting -----------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_creating_and_releasing_leaks_nothing(x):
    before = (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects())
    v = to_nyrt(x)
    assert canon(from_nyrt(v)) == canon(x)
    s = new()
    ok(lib.nyrt_val_display(v, s))
    lib.nyrt_val_release(s)
    lib.nyrt_val_release(v)
    assert (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects()) == before


def test_counts_follow_ownership():
    arr, item = new(), to_nyrt("shared")
    ok(lib.nyrt_arr_new(arr))
    ok(lib.nyrt_arr_push(arr, item))
    assert lib.nyrt_val_refcount(item) == 2          # ours and the array's
    got = new()
    ok(lib.nyrt_arr_get(arr, 0, got))
    assert lib.nyrt_val_refcount(item) == 3          # arr_get returns +1
    lib.nyrt_val_release(got)
    lib.nyrt_val_release(arr)
    assert lib.nyrt_val_refcount(item) == 1
    lib.nyrt_val_release(item)
    assert lib.nyrt_val_refcount(to_nyrt(5)) == -1   # inline values are not counted


def test_a_long_chain_is_freed_without_recursion():
    before = (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects())
    head = new()
    ok(lib.nyrt_arr_new(head))
    for _ in range(1_000_000):                       # each new array holds the previous one
        outer = new()
        ok(lib.nyrt_arr_new(outer))
        ok(lib.nyrt_arr_push(outer, head))
        lib.nyrt_val_release(head)
        head = outer
    lib.nyrt_val_release(head)
    assert (lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects()) == before


# ---- layout, TypeBoxes, ids ----------------------------------------------------------------------------------
def test_layout_is_the_one_abi_md_lists():
    ptr = ffi.sizeof("void *")
    assert ffi.sizeof("nyrt_nyash_value") == 24 and ffi.alignof("nyrt_nyash_value") == 8
    assert [ffi.offsetof("nyrt_nyash_value", f) for f in ("type_id", "box_handle", "metadata")] == [0, 8, 16]
    fields = {"abi_tag": 0, "ver_major": 4, "ver_minor": 6, "size": 8, "abi_kind": 12, "callconv": 16, "flags": 20,
              "name": 24, "stable_id": 32, "fast_key": 64, "align": 72, "reserved0": 76, "c": 80, "ny": 88,
              "meta": 96, "user_data": 112}
    assert ffi.sizeof("nyrt_typebox") == 120
    assert {f: ffi.offsetof("nyrt_typebox", f) for f in fields} == fields
    assert ffi.offsetof("nyrt_type_meta", "json_len") == 8
    assert ffi.sizeof("nyrt_c_vtable") == 7 * ptr and ffi.sizeof("nyrt_ny_vtable") == 5 * ptr
    assert ffi.sizeof("nyrt_host") == 8 + 10 * ptr and ffi.offsetof("nyrt_host", "host_alloc") == 8
    assert ffi.sizeof("nyrt_runtime_info") == 8


def test_core_typeboxes_are_registered_and_well_formed():
    assert [ffi.string(lib.nyrt_core_names[i]).decode() for i in range(13)] == CORE_NAMES
    for kind, name in enumerate(CORE_NAMES):
        tb = lib.nyrt_core_typebox(kind)
        digest = hashlib.sha256(name.encode()).digest()
        assert (tb.abi_tag, tb.ver_major, tb.ver_minor, tb.size) == (0x54594258, 1, 0, 120)
        assert ffi.string(tb.name).decode() == name and bytes(tb.stable_id) == digest
        assert tb.fast_key == fast_key(name) == lib.nyrt_core_tid(kind)
        assert tb.abi_kind == lib.NYRT_ABI_UNIFIED and tb.c != ffi.NULL and tb.ny != ffi.NULL
        assert lib.nyrt_tb_lookup(tb.fast_key) == tb
        meta = json.loads(ffi.unpack(tb.meta.json, tb.meta.json_len).decode())
        family = [int, float, bool, str, NullValue, type(None), ArrayBox, MapBox, ConsoleBox, MathBox, ResultBox,
                  ErrorBox, None][kind]
        names = {key.split("/")[0] for key in meta["methods"]}
        assert family is None or names == set(METHOD_TABLES[family])
    assert lib.nyrt_method_id(b"keys", 0) == fast_key("keys/0")
    for kind, expected in [("ARRAY", ArrayBox()), ("MAP", MapBox()), ("STRING", ""), ("INTEGER", 0)]:
        out = new()
        ok(lib.nyrt_tb_create(lib.nyrt_core_typebox(K[kind]), out))   # `create` through the registry
        assert lib.nyrt_val_kind(out) == K[kind] and canon(from_nyrt(out)) == canon(expected)
        lib.nyrt_val_release(out)


def test_c_vtables_round_trip_core_values():
    for x in [42, -7, 2.5, True, "héllo", NULL, None, ArrayBox([1]), _map_of({"k": 1}), ResultBox(True, 1)]:
        v = to_nyrt(x)
        tb = lib.nyrt_core_typebox(lib.nyrt_val_kind(v))
        inst, own, back, own2 = ffi.new("void **"), ffi.new("nyrt_ownership *"), new(), ffi.new("nyrt_ownership *")
        ok(tb.c.from_nyash(v, inst, own))
        assert own[0] == lib.NYRT_OWN_BORROW
        ok(tb.c.to_nyash(inst[0], back, own2))
        assert lib.nyrt_val_equals(v, back) and canon(from_nyrt(back)) == canon(x)
        if own2[0] == lib.NYRT_OWN_TRANSFER:          # a String comes back as a new copy
            lib.nyrt_val_release(back)
        lib.nyrt_val_release(v)


def test_nyash_vtable_by_id_then_by_name():
    v = to_nyrt("abc")
    tb, ret = lib.nyrt_core_typebox(K["STRING"]), new()
    argv = ffi.new("nyrt_nyash_value[]", 1)
    ok(tb.ny.invoke_by_id(v, lib.nyrt_method_id(b"length", 0), argv, 0, ret))
    assert lib.nyrt_val_as_int(ret) == 3
    assert tb.ny.invoke_by_id(v, 12345, argv, 0, ret) == lib.NYRT_E_NOT_FOUND
    ok(tb.ny.invoke_by_name(v, b"toUpper", argv, 0, ret))
    assert text_of(ret) == "ABC"
    lib.nyrt_val_release(ret)
    lib.nyrt_val_release(v)


# ---- the build --------------------------------------------------------------------------------------------------
def test_cdef_is_derived_from_the_headers():
    cdef = nyrt_build.cdef_text()
    assert "#define NYRT_ABI_TAG 0x54594258\n" in cdef and "#define NYASH_META_INLINE 0x01\n" in cdef
    for banned in ("#include", "_Static_assert", "NYRT_ASSERT_LAYOUT", 'extern "C" {', "/*", "#ifndef"):
        assert banned not in cdef
    assert "nyrt_err nyrt_init(void);" in cdef


def test_missing_compiler_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("CC", str(tmp_path / "no-such-cc"))
    with pytest.raises(nyrt_build.NyrtBuildError) as info:
        nyrt_build.build()
    assert "no C compiler" in str(info.value) and "\n" not in str(info.value)


def test_compiler_errors_are_reported(monkeypatch, tmp_path):
    broken = tmp_path / "nyrt"
    broken.mkdir()
    for src in (ROOT / "abi" / "nyrt").iterdir():
        if src.suffix in (".c", ".h"):
            (broken / src.name).write_bytes(src.read_bytes())
    (broken / "mem.c").write_text((broken / "mem.c").read_text() + "\nint broken = ;\n")
    monkeypatch.setattr(nyrt_build, "SOURCE_DIR", broken)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(nyrt_build.NyrtBuildError) as info:
        nyrt_build.build()
    assert "error" in str(info.value) and "mem.c" in info.value.log


def test_concurrent_builds_publish_one_module(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    procs = [subprocess.Popen([sys.executable, "-m", "nyash_run.abi.build"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    paths = {out.strip() for out, _ in outs}
    assert len(paths) == 1 and Path(paths.pop()).exists()
    leftovers = [p.name for p in (tmp_path / "nyash_run" / "nyrt").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_static_library_links_into_a_c_program(tmp_path):
    lib_a = nyrt_build.build_static(tmp_path / "static")
    main = tmp_path / "main.c"
    main.write_text(
        '#include <stdio.h>\n#include "nyrt.h"\n'
        "int main(void) {\n"
        "    nyrt_nyash_value a, v, s; const char *p; size_t n;\n"
        "    if (nyrt_init() != NYRT_OK) return 1;\n"
        "    nyrt_arr_new(&a); nyrt_val_float(0.1, &v); nyrt_arr_push(&a, &v);\n"
        "    nyrt_str_new(\"x\", 1, &v); nyrt_arr_push(&a, &v); nyrt_val_release(&v);\n"
        "    nyrt_val_display(&a, &s); nyrt_str_view(&s, &p, &n); printf(\"%.*s\\n\", (int)n, p);\n"
        "    nyrt_val_release(&s); nyrt_val_release(&a);\n"
        "    return 0;\n}\n")
    exe = tmp_path / "main"
    cc = os.environ.get("CC", "cc")
    subprocess.run([cc, "-std=c11", "-I", str(ROOT / "abi" / "include"), str(main), str(lib_a), "-lm", "-ldl",
                    "-o", str(exe)], check=True)
    assert subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout == "[0.1, x]\n"
