"""Recursive inlining (backends/llvm/unroll.py): which functions are unrolled, how the copies are chained, and
that unrolled code still fails at the exact depth limit with the other modes' message and position."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("llvmlite")

from nyash_run.driver import build_mir  # noqa: E402
from nyash_run.syntax.loader import load_program  # noqa: E402

from nyash_run.backends.llvm.lower import lower_program  # noqa: E402
from nyash_run.backends.llvm.unroll import CANDIDATE_SUFFIX, unroll_recursion  # noqa: E402

FIB = "function fib(n) { if n < 2 { return n }\n return fib(n - 1) + fib(n - 2) }\nprint(fib(20))\n"


def lowered(program, text: str):
    return lower_program(build_mir(load_program(str(program(text)))))


def parsed(ir_text: str):
    import llvmlite.binding as llvm
    from nyash_run.backends.llvm.native import target_machine
    tm = target_machine(llvm)
    module = llvm.parse_assembly(ir_text)
    module.triple, module.data_layout = llvm.get_process_triple(), str(tm.target_data)
    return llvm, tm, module


def defined(module) -> dict[str, str]:
    return {f.name: str(f) for f in module.functions if not f.is_declaration}


def test_only_small_self_recursive_typed_functions_are_candidates(program):
    text = FIB + ("function loop_sum(n) { local s = 0\n local i = 0\n loop(i < n) { s = s + i\n i = i + 1 }\n"
                  " return s }\nprint(loop_sum(5))\n"
                  "function join(n) { if n == 0 { return \"\" } return join(n - 1) + n }\nprint(join(3))\n")
    ir_text = lowered(program, text).ir_text
    assert len(re.findall(r"define [^\n]*" + re.escape(CANDIDATE_SUFFIX) + r'"?\(', ir_text)) == 1


def test_copies_call_each_other_in_a_ring_and_are_always_inlined(program):
    llvm, tm, module = parsed(lowered(program, FIB).ir_text)
    (name,) = [n for n in defined(module) if n.endswith(CANDIDATE_SUFFIX)]
    functions = defined(unroll_recursion(llvm, tm, module))
    ring = [name, f"{name}.1", f"{name}.2"]
    for level, current in enumerate(ring):
        body = functions[current].partition("{\n")[2]
        assert f"@{ring[(level + 1) % 3]}(" in body and f"@{current}(" not in body
    assert "alwaysinline" in functions[ring[1]].partition("{\n")[0]
    assert "alwaysinline" not in functions[name].partition("{\n")[0]


def test_a_module_without_candidates_is_left_alone(program):
    llvm, tm, module = parsed(lowered(program, "print(1 + 2)\n").ir_text)
    assert unroll_recursion(llvm, tm, module) is module


@pytest.mark.parametrize("deepest", [9999, 10000])
def test_unrolled_recursion_keeps_the_exact_depth_limit(program, nyash, deepest):
    path = program("function d(n) { if n == 0 { return 0 }\n return d(n - 1) + 1 }\n"
                   f"print(d({deepest - 1}))\nprint(d({deepest}))\n")
    compiled, interpreted = nyash("run", "--mode", "llvm", str(path)), nyash("run", "--mode", "interp", str(path))
    assert (compiled.status, compiled.stdout, compiled.stderr) == (interpreted.status, interpreted.stdout,
                                                                    interpreted.stderr)
    assert ("Maximum call depth exceeded" in compiled.stderr) == (deepest == 10000)
