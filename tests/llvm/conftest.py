"""Fixtures for the LLVM backend tests: JIT-compiling functions of a program, running it in the interpreter."""
from __future__ import annotations

import pytest

pytest.importorskip("llvmlite")

from nyash_run.driver import build_mir, compile_for, run_deep  # noqa: E402
from nyash_run.modes import ExecutionMode  # noqa: E402
from nyash_run.runtime.errors import NyashRuntimeError  # noqa: E402
from nyash_run.runtime.output import Capture  # noqa: E402
from nyash_run.syntax.loader import load_program  # noqa: E402


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Compiled objects go to a temporary cache, never the user's (nyrt's own build cache is shared)."""
    monkeypatch.setenv("NYASH_LLVM_CACHE", str(tmp_path / "llvm-cache"))


@pytest.fixture
def jit(program):
    """`jit(text, *roots)`: the MIR functions `roots` of the program, lowered and JIT-compiled (dict)."""
    from nyash_run.backends.llvm.jit import compile_functions

    def compile_(text: str, *roots: str):
        module = build_mir(load_program(str(program(text))))
        functions, _ = compile_functions(module, list(roots))
        return functions
    return compile_


@pytest.fixture
def interpret(program):
    """`interpret(text)`: (stdout, the NyashRuntimeError that ended the run or None) in the interpreter."""
    def run(text: str):
        executable = compile_for(ExecutionMode.INTERP, load_program(str(program(text))))
        error = None
        with Capture() as out:
            try:
                run_deep(lambda: executable.run([]))
            except NyashRuntimeError as err:
                error = err
        return out.text(), error
    return run
