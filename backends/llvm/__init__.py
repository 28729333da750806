"""The LLVM backend: MIR compiled to machine code through llvmlite, run in this process or linked into a
native executable with nyrt.

In: a typed MIR module (driver.build_mir). Out: an LLVMProgram (program.py) whose `run(argv)` behaves as the
VM's. Stages: lower.py (with frame.py and ops.py: MIR -> LLVM IR, calls into nyrt for everything that is not
typed arithmetic) -> engine.py (the one MCJIT engine per process, object cache) -> program.py (running);
native.py builds executables from the same IR.

Nothing here is imported by `nyash run` in other modes, and llvmlite itself is imported only when a program
is compiled (~100 ms).
"""
from __future__ import annotations

# Tier 2 constructs compiled code does not implement (language.md §0): rejected at load time, as in the VM.
UNSUPPORTED_FEATURES: frozenset[str] = frozenset({"lambda", "nowait", "await"})


def compile_module(module):
    from nyash_run.runtime.external import preload_external
    from .program import LLVMProgram
    return LLVMProgram(module, preload_external)


def compile_loaded(program, build_mir):
    """The loaded program, with MIR built (`build_mir(program)`) only when the object cache misses."""
    from nyash_run.runtime.external import preload_external
    from .program import LLVMProgram
    return LLVMProgram.from_program(program, build_mir, preload_external)


__all__ = ["UNSUPPORTED_FEATURES", "compile_module", "compile_loaded"]
