"""Each operator of the numeric subset, JIT-compiled, against its executable definition in
nyash_run/runtime/operators.py, on random and edge-case operands (wraparound, MIN / -1, NaN, ±inf, -0.0)."""
from __future__ import annotations

import math

import pytest

pytest.importorskip("llvmlite")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from nyash_run.runtime import operators  # noqa: E402
from nyash_run.runtime.errors import NyashRuntimeError  # noqa: E402

MAX = 2**63 - 1
MIN = -2**63
BINARY = {"add": "+", "sub": "-", "mul": "*", "div": "/", "mod": "%", "lt": "<", "le": "<=", "gt": ">",
          "ge": ">=", "eq": "==", "ne": "!="}
UNARY = {"neg": "-a", "lnot": "not a", "truthy": "a and true"}
SIGNATURES = [("int", "int"), ("float", "float"), ("int", "float"), ("float", "int")]
SAMPLE = {"int": "1", "float": "1.5", "bool": "true"}

INTS = st.one_of(st.sampled_from([0, 1, -1, 2, -2, 3, 7, -7, MAX, MIN, MAX - 1, MIN + 1, 2**32, -2**31]),
                 st.integers(MIN, MAX))
FLOATS = st.one_of(st.sampled_from([0.0, -0.0, 1.0, -1.5, math.inf, -math.inf, math.nan, 2.0**63, 1e-310]),
                   st.floats(allow_nan=True, allow_infinity=True))
VALUES = {"int": INTS, "float": FLOATS, "bool": st.booleans()}

settings.register_profile("llvm", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])


def program_text() -> str:
    """One function per operator, called once per signature so that each signature gets specialised."""
    lines = [f"function {name}(a, b) {{ return a {op} b }}" for name, op in BINARY.items()]
    lines += [f"function b{name}(a, b) {{ return a {op} b }}" for name, op in BINARY.items()
              if op in ("+", "<", "<=", ">", ">=", "==", "!=")]
    lines += [f"function {name}(a) {{ return {expr} }}" for name, expr in UNARY.items()]
    for name in BINARY:
        lines += [f"try {{ {name}({SAMPLE[a]}, {SAMPLE[b]}) }} catch (e) {{ }}" for a, b in SIGNATURES]
    lines += [f"b{name}(true, false)" for name, op in BINARY.items() if op in ("+", "<", "<=", ">", ">=", "==", "!=")]
    lines += [f"{name}({SAMPLE[kind]})" for name in UNARY for kind in ("int", "float", "bool")
              if not (name == "neg" and kind == "bool")]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    from nyash_run.backends.llvm.jit import C_TYPES, compile_functions
    from nyash_run.driver import build_mir
    from nyash_run.syntax.loader import load_program
    path = tmp_path_factory.mktemp("ops") / "ops.ny"
    path.write_text(program_text(), encoding="utf-8")
    module = build_mir(load_program(str(path)))
    typed = [name for name, fn in module.functions.items() if fn.kind == "function" and "#" in name
             and all(p.type in C_TYPES for p in fn.params)]
    functions, _ = compile_functions(module, typed, cache=None)
    return functions


def same(jit_value, expected) -> bool:
    if type(expected) is float:
        return type(jit_value) is float and (repr(jit_value) == repr(expected))    # NaN and -0.0 too
    return type(jit_value) is type(expected) and jit_value == expected


def check(fn, expected_fn, *args):
    try:
        expected = expected_fn(*args)
    except NyashRuntimeError as err:
        with pytest.raises(NyashRuntimeError) as caught:
            fn(*args)
        assert caught.value.message == err.message
        return
    actual = fn(*args)
    assert same(actual, expected), (args, actual, expected)


def test_every_specialisation_is_lowered(compiled):
    expected = {f"fn:{name}#void,{a},{b}" for name in BINARY for a, b in SIGNATURES}
    expected |= {f"fn:b{name}#void,bool,bool" for name, op in BINARY.items() if op in "+ < <= > >= == !=".split()}
    assert expected <= set(compiled)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("kinds", SIGNATURES, ids="-".join)
@settings(settings.get_profile("llvm"))
@given(data=st.data())
def test_binary_operator_matches_runtime(compiled, name, kinds, data):
    a, b = data.draw(VALUES[kinds[0]]), data.draw(VALUES[kinds[1]])
    check(compiled[f"fn:{name}#void,{kinds[0]},{kinds[1]}"], operators.BINARY_OPS[BINARY[name]], a, b)


@pytest.mark.parametrize("name", [n for n, op in BINARY.items() if op in "+ < <= > >= == !=".split()])
def test_bool_operators_match_runtime(compiled, name):
    for a in (True, False):
        for b in (True, False):
            check(compiled[f"fn:b{name}#void,bool,bool"], operators.BINARY_OPS[BINARY[name]], a, b)


@pytest.mark.parametrize("kind", ["int", "float", "bool"])
@settings(settings.get_profile("llvm"))
@given(data=st.data())
def test_unary_operators_and_truthiness_match_runtime(compiled, kind, data):
    a = data.draw(VALUES[kind])
    definitions = {"neg": operators.neg, "lnot": operators.not_, "truthy": lambda v: operators.truthy(v)}
    for name, definition in definitions.items():
        spec = f"fn:{name}#void,{kind}"
        if spec in compiled:
            check(compiled[spec], definition, a)
