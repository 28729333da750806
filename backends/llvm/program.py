"""Running a lowered program in this process (`nyash run --mode llvm`).

In: a typed ir.Module. Out: `LLVMProgram`, whose `run(argv)` returns Main.main's value (an int, or None for
any other value) or raises NyashRuntimeError with the message and span of the failure, as the VM does.

nyrt (built by cffi, abi/build.py) is loaded into the JIT's symbol space, so compiled code and Python share
one nyrt: Python installs the program table, the output hook and the plugins, calls the top-level code and
Main.main through function pointers, and reads an uncaught failure back (message, position id -> span).
"""
from __future__ import annotations

import time

from nyash_run.diagnostics import plural
from nyash_run.runtime import output
from nyash_run.runtime.errors import NyashRuntimeError

from .engine import engine
from .lower import lower_program


def nyrt():
    """(ffi, lib) of nyrt, with nyrt's symbols visible to JIT code."""
    from nyash_run.abi import binding, build
    ffi, lib = binding.get()
    engine().load_library(str(build.build()))
    return ffi, lib


class LLVMProgram:
    def __init__(self, module, preload=None):
        self.module = module
        self.preload = preload                   # loads the configured plugins into nyrt before running
        start = time.perf_counter()
        self.lowered = lower_program(module)
        self.timings = {"lower_ms": round((time.perf_counter() - start) * 1000, 3)}
        self.ffi, self.lib = nyrt()
        jm = engine().add_ir(self.lowered.ir_text, [self.lowered.program_symbol])
        self.timings.update(jm.timings_ms)
        self.cache_hit = jm.cache_hit
        accessor = self.ffi.cast("void *(*)(void)", jm.addresses[self.lowered.program_symbol])
        self.table = self.ffi.cast("nyrt_x_program *", accessor())

    def run(self, argv: list[str]):
        ffi, lib = self.ffi, self.lib
        if self.preload is not None:
            self.preload()
        if lib.nyrt_x_program_init(self.table):
            raise NyashRuntimeError("malformed program table")        # a bug in lowering
        self._argv = list(argv)

        def write(data, size) -> None:
            output.write(ffi.unpack(data, size).decode("utf-8", "replace"))
        hook = ffi.callback("void(*)(const char *, size_t)", write)
        lib.nyrt_set_output(hook)
        try:
            return self._run(ffi, lib)
        finally:
            lib.nyrt_set_output(ffi.NULL)

    def _run(self, ffi, lib):
        table, out = self.table, ffi.new("nyrt_nyash_value *")
        self._check(table.top(out))
        lib.nyrt_val_release(out)
        module = self.module
        if module.main is None:
            return None
        me = ffi.new("nyrt_nyash_value *")
        self._check(lib.nyrt_x_singleton(0, table.main_class, me))
        try:
            if module.main_arity > 1:
                raise NyashRuntimeError(f"Method main expects {plural(module.main_arity, 'argument')}, got 0",
                                        module.main_span)
            args = ffi.NULL
            if module.main_arity == 1:
                args = ffi.new("nyrt_nyash_value *")
                strings = [ffi.new("char[]", a.encode("utf-8", "surrogateescape")) for a in self._argv]
                self._check(lib.nyrt_x_argv(len(strings), ffi.new("char *[]", strings), args))
            try:
                self._check(table.main(me, args, out))
            finally:
                if args != ffi.NULL:
                    lib.nyrt_val_release(args)
            return self._result(out)
        finally:
            lib.nyrt_val_release(me)

    def _result(self, out):
        lib = self.lib
        value = lib.nyrt_val_as_int(out) if lib.nyrt_val_kind(out) == 0 else None    # NYRT_TID_INTEGER
        lib.nyrt_val_release(out)
        return value

    def _check(self, status: int) -> None:
        if status == 0:
            return
        ffi, lib = self.ffi, self.lib
        if not lib.nyrt_x_pending():
            lib.nyrt_x_fail_nyrt(-1)
        message = ffi.string(lib.nyrt_x_pending_message()).decode("utf-8", "replace")
        pos = lib.nyrt_x_pending_pos()
        lib.nyrt_x_clear_pending()
        span = self.lowered.positions[pos] if 0 <= pos < len(self.lowered.positions) else None
        raise NyashRuntimeError(message, span)

