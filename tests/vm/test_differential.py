"""Differential testing: random programs must print the same in the interpreter, the VM and LLVM.

The VM and the LLVM backend specialise code on inferred and guessed types (Int fast paths, Float and String
operators inline, guarded entries; LLVM also unboxes, inlines Int arithmetic on dynamic values and uses a
quiet error convention for typed functions); the interpreter does not. Any divergence is a backend bug.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from nyash_run.driver import RunOptions, run_file
from nyash_run.modes import ExecutionMode, available_modes
from nyash_run.runtime.output import Capture

# No count between ~10**6 and ~10**11: `"héllo" * 2**31` would really allocate 13 GB in every backend.
INTS = st.sampled_from([0, 1, -1, 2, 3, 7, -7, 255, 2**40, -(2**31), 2**62, 9223372036854775807])
LITERALS = st.one_of(
    INTS.map(str),
    st.sampled_from(["0.5", "1.0", "2.5", "0.0", "100000000000000000000.0", "0.1"]),
    st.sampled_from(['"a"', '"10"', '""', '"héllo"']),
    st.sampled_from(["true", "false", "null", "void"]),
)
OPERATORS = st.sampled_from(["+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!="])


def expressions(depth: int = 3):
    leaf = st.one_of(LITERALS, st.sampled_from(["a", "b", "c", "-a", "(a + 1)"]))
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    return st.one_of(leaf, st.tuples(sub, OPERATORS, sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"))


def program(expr: str, args: tuple[str, str, str], loop_expr: str) -> str:
    return (
        f"function f(a, b, c) {{\n  return {expr}\n}}\n"
        f"function g(a, b, c) {{\n  local i = 0\n  local acc = a\n"
        f"  loop(i < 3) {{\n    acc = {loop_expr}\n    i = i + 1\n  }}\n  return acc\n}}\n"
        f"try {{ print(f({', '.join(args)})) }} catch (e) {{ print(e) }}\n"
        f"try {{ print(g({', '.join(args)})) }} catch (e) {{ print(e) }}\n"
        f"try {{ print(f(1, 2, 3)) }} catch (e) {{ print(e) }}\n"
    )


def run(path, mode: ExecutionMode) -> tuple[int, str]:
    with Capture() as out:
        status = run_file(str(path), RunOptions(mode=mode))
    return status, out.text()


COMPILED = [m for m in (ExecutionMode.VM, ExecutionMode.LLVM) if m in available_modes()]


@pytest.mark.parametrize("mode", COMPILED, ids=lambda m: m.value)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expr=expressions(), args=st.tuples(LITERALS, LITERALS, LITERALS),
       loop_expr=expressions(2).map(lambda e: e.replace("a", "acc")))
def test_random_programs_print_the_same_as_in_the_interpreter(tmp_path, mode, expr, args, loop_expr):
    path = tmp_path / "diff.ny"
    path.write_text(program(expr, args, loop_expr), encoding="utf-8")
    assert run(path, mode) == run(path, ExecutionMode.INTERP)
