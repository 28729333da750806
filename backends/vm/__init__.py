"""The MIR virtual machine: MIR compiled to Python source, run by CPython.

In: a LoadedProgram. Out: program output and Main.main's value, or a NyashRuntimeError with the span of
the failing MIR instruction. Stages: mir.build -> mir passes -> codegen (structured.py / dispatch.py) ->
exec. Never imports llvmlite or wasmtime.
"""
from __future__ import annotations

from nyash_run.mir.build import build_module
from nyash_run.mir.passes import optimize_module
from nyash_run.mir.types import infer_types
from .machine import VMProgram

# Tier 2 constructs this backend does not implement yet (language.md §0): rejected at load time.
UNSUPPORTED_FEATURES: frozenset[str] = frozenset({"lambda", "nowait", "await"})


def compile_program(program) -> VMProgram:
    module = build_module(program)
    optimize_module(module)
    infer_types(module)
    optimize_module(module)
    return VMProgram(module)


__all__ = ["UNSUPPORTED_FEATURES", "compile_program", "VMProgram"]
