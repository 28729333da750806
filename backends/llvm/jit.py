"""Calling lowered functions from Python.

In: a LoweredModule (lower.py). Out: `JitFunction`s, Python callables that run the machine code through
ctypes and turn the error-return convention back into NyashRuntimeError with the message and span of the
position the code stored (the VM's message and span for the same failure).

A call from Python costs ~1-2 µs (ctypes), so this path is for entering compiled code, not for calls
between compiled functions (those are direct machine calls).
"""
from __future__ import annotations

import ctypes

from nyash_run.runtime.errors import NyashRuntimeError

from .engine import DEFAULT_OPT_LEVEL, JitModule, ObjectCache, engine
from .lower import ERR_RUNTIME, MAX_CALL_DEPTH, STATUS_OK, LoweredFunction, LoweredModule

C_TYPES = {"int": ctypes.c_int64, "float": ctypes.c_double, "bool": ctypes.c_bool}


class JitFunction:
    """A lowered function in the JIT. `fn(*args, depth=1)`: `depth` is the depth the callee runs at (the
    VM's `d`); the top level calls at 1 what it runs at 0."""

    def __init__(self, lowered: LoweredFunction, address: int, positions: list):
        self.lowered = lowered
        self.address = address
        self.positions = positions
        self.result_type = C_TYPES[lowered.ret]
        proto = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int64,
                                 *[C_TYPES[t] for t in lowered.params], ctypes.POINTER(self.result_type))
        self.cfunc = proto(address)

    def __call__(self, *args, depth: int = 1):
        if depth > MAX_CALL_DEPTH:
            raise NyashRuntimeError("Maximum call depth exceeded")     # the caller gives it its call's span
        out = self.result_type()
        status = self.cfunc(depth, *args, ctypes.byref(out))
        if status != STATUS_OK:
            raise self.error(status)
        return out.value

    def error(self, status: int) -> Exception:
        if status == ERR_RUNTIME:
            message, span = self.positions[engine().last_error_position()]
            return NyashRuntimeError(message, span)
        return RuntimeError(f"JIT code returned unknown status {status}")     # a bug in lowering


def compile_lowered(lowered: LoweredModule, opt_level: int = DEFAULT_OPT_LEVEL,
                    cache: ObjectCache | None | bool = True) -> tuple[dict[str, JitFunction], JitModule]:
    """Put the module into the process's engine; a JitFunction per exported MIR function."""
    exported = [f for f in lowered.functions.values() if f.exported]
    jm = engine().add_ir(lowered.ir_text, [f.symbol for f in exported], opt_level, cache)
    return {f.name: JitFunction(f, jm.addresses[f.symbol], lowered.positions) for f in exported}, jm
