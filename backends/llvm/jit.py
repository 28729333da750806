"""Calling single compiled functions from Python (tests; the adaptive mode's entry into hot code).

In: a typed ir.Module and the MIR functions wanted. Out: `JitFunction`s, Python callables that run the
machine code through ctypes and turn a failure into NyashRuntimeError with the message and span the VM
gives for the same failure. Typed parameters and results (Int, Float, Bool) cross as plain C values.

A call from Python costs ~1-2 µs (ctypes), so this path is for entering compiled code, not for calls
between compiled functions (those are direct machine calls).
"""
from __future__ import annotations

import ctypes

from nyash_run.runtime.errors import NyashRuntimeError

from .engine import DEFAULT_OPT_LEVEL, JitModule, ObjectCache, engine
from .frame import MAX_CALL_DEPTH
from .lower import LoweredProgram, Signature, lower_program

C_TYPES = {"int": ctypes.c_int64, "float": ctypes.c_double, "bool": ctypes.c_bool}


class JitFunction:
    """A compiled MIR function with typed parameters and result. `fn(*args, depth=1)`: `depth` is the depth
    the callee runs at (the VM's `d`); the top level calls at 1 what it runs at 0."""

    def __init__(self, name: str, sig: Signature, address: int, lowered: LoweredProgram, nyrt):
        if sig.has_me or sig.ret not in C_TYPES or any(p not in C_TYPES for p in sig.params):
            raise ValueError(f"{name}: only functions of Ints, Floats and Bools are callable from Python")
        self.name, self.sig, self.lowered = name, sig, lowered
        self.ffi, self.lib = nyrt
        self.result_type = C_TYPES[sig.ret]
        proto = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int64, *[C_TYPES[t] for t in sig.params],
                                 ctypes.POINTER(self.result_type))
        self.cfunc = proto(address)

    def __call__(self, *args, depth: int = 1):
        if depth > MAX_CALL_DEPTH:
            raise NyashRuntimeError("Maximum call depth exceeded")     # the caller gives it its call's span
        out = self.result_type()
        if self.cfunc(depth, *args, ctypes.byref(out)) != 0:
            raise self.error()
        return out.value

    def error(self) -> NyashRuntimeError:
        ffi, lib = self.ffi, self.lib
        message = ffi.string(lib.nyrt_x_pending_message()).decode("utf-8", "replace")
        pos = lib.nyrt_x_pending_pos()
        lib.nyrt_x_clear_pending()
        positions = self.lowered.positions
        return NyashRuntimeError(message, positions[pos] if 0 <= pos < len(positions) else None)


def compile_functions(module, names: list[str], opt_level: int = DEFAULT_OPT_LEVEL,
                      cache: ObjectCache | None | bool = True) -> tuple[dict[str, JitFunction], JitModule]:
    """Compile the program with `names` exported; a JitFunction for each."""
    from .program import nyrt
    lowered = lower_program(module, exports=tuple(names))
    runtime = nyrt()
    symbols = [symbol for symbol, _ in lowered.exports.values()]
    jm = engine().add_ir(lowered.ir_text, symbols, opt_level, cache)
    return {name: JitFunction(name, sig, jm.addresses[symbol], lowered, runtime)
            for name, (symbol, sig) in lowered.exports.items()}, jm
