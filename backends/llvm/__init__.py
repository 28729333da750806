"""The LLVM backend (in progress; not yet a user-visible mode in nyash_run/modes.py).

In: a typed MIR module (driver.build_mir). Out, so far: machine code in the process for the typed numeric
subset (lower.py: MIR -> LLVM IR text; engine.py: the one MCJIT engine per process with an on-disk object
cache; jit.py: calling compiled functions from Python with the VM's error messages and spans).

Nothing here is imported by `nyash run` in other modes, and llvmlite itself is imported only when lowering or
the engine is first used (~100 ms).
"""
