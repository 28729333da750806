"""The MIR virtual machine: MIR compiled to Python source, run by CPython.

In: an ir.Module, built and typed by the driver (driver.build_mir). Out: program output and Main.main's
value, or a NyashRuntimeError with the span of the failing MIR instruction. Stages: codegen
(structured.py, or dispatch.py for functions with handlers) -> exec. Never imports llvmlite or wasmtime.
"""
from __future__ import annotations

from .machine import VMProgram

# Tier 2 constructs this backend does not implement yet (language.md §0): rejected at load time.
UNSUPPORTED_FEATURES: frozenset[str] = frozenset({"lambda", "nowait", "await"})


def compile_module(module) -> VMProgram:
    return VMProgram(module)


__all__ = ["UNSUPPORTED_FEATURES", "compile_module", "VMProgram"]
