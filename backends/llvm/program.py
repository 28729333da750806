"""Running a lowered program in this process (`nyash run --mode llvm`).

In: a typed ir.Module. Out: `LLVMProgram`, whose `run(argv)` returns Main.main's value (an int, or None for
any other value) or raises NyashRuntimeError with the message and span of the failure, as the VM does.

nyrt (built by cffi, abi/build.py) is loaded into the JIT's symbol space, so compiled code and Python share
one nyrt: Python installs the program table, the output hook and the plugins, calls the top-level code and
Main.main through function pointers, and reads an uncaught failure back (message, position id -> span).
"""
from __future__ import annotations

import json
import time

from nyash_run.diagnostics import Span, plural
from nyash_run.runtime import output
from nyash_run.runtime.errors import NyashRuntimeError

from .engine import DEFAULT_OPT_LEVEL, engine
from .lower import lower_program, lowering_version, program_prefix


_library: str | None = None


def nyrt():
    """(ffi, lib) of nyrt, with nyrt's symbols visible to JIT code (the library cffi loaded, found once per
    process: the cache directory may change later, e.g. in tests, but the loaded nyrt does not)."""
    global _library
    from nyash_run.abi import binding, build
    ffi, lib = binding.get()
    if _library is None:
        _library = str(build.build())
        engine().load_library(_library)
    return ffi, lib


class LLVMProgram:
    def __init__(self, module, preload=None):
        self.module = module
        self.preload = preload                   # loads the configured plugins into nyrt before running
        self.timings: dict[str, float] = {}
        self.ffi, self.lib = nyrt()
        jit = engine()
        prefix = program_prefix(module)
        # Keyed by the MIR and the lowering's own source: an unchanged program is not even lowered again.
        key = jit.source_key(f"{prefix}|{lowering_version()}", DEFAULT_OPT_LEVEL)
        jm = jit.add_source(key, lambda: self._lower(module), [f"{prefix}_program"])
        self.timings.update(jm.timings_ms)
        self.cache_hit = jm.cache_hit
        meta = json.loads(jm.meta)
        self.positions = [Span(*p) if p is not None else None for p in meta["positions"]]
        accessor = self.ffi.cast("void *(*)(void)", jm.addresses[f"{prefix}_program"])
        self.table = self.ffi.cast("nyrt_x_program *", accessor())

    def _lower(self, module) -> tuple[str, str]:
        start = time.perf_counter()
        lowered = lower_program(module)
        self.timings["lower_ms"] = round((time.perf_counter() - start) * 1000, 3)
        positions = [[s.file, s.line, s.col] if s is not None else None for s in lowered.positions]
        return lowered.ir_text, json.dumps({"positions": positions})

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
        span = self.positions[pos] if 0 <= pos < len(self.positions) else None
        raise NyashRuntimeError(message, span)

