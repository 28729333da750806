"""Running a lowered program in this process (`nyash run --mode llvm`).

In: a typed ir.Module. Out: `LLVMProgram`, whose `run(argv)` returns Main.main's value (an int, or None for
any other value) or raises NyashRuntimeError with the message and span of the failure, as the VM does.

nyrt (built by cffi, abi/build.py) is loaded into the JIT's symbol space, so compiled code and Python share
one nyrt: Python installs the program table, the output hook and the plugins, calls the top-level code and
Main.main through function pointers, and reads an uncaught failure back (message, position id -> span).
"""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from nyash_run.diagnostics import Span, plural
from nyash_run.runtime import output
from nyash_run.runtime.errors import NyashRuntimeError

from .engine import DEFAULT_OPT_LEVEL, engine
from .lower import lower_program, lowering_version, program_prefix


_library: str | None = None
_compiler_version: str | None = None


def compiler_version() -> str:
    """A hash of every Python source of nyash_run (front end, MIR, runtime, this backend): a cached object
    found by source text is only valid for the compiler that made it."""
    global _compiler_version
    if _compiler_version is None:
        import nyash_run
        digest = hashlib.sha256()
        roots = [Path(nyash_run.__file__).parent, Path(__file__).parent]
        for root in roots:
            for path in sorted(root.rglob("*.py")):
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
        _compiler_version = digest.hexdigest()[:16]
    return _compiler_version


def nyrt():
    """(ffi, lib) of nyrt, with nyrt's symbols visible to JIT code (the library cffi loaded, found once per
    process: the cache directory may change later, e.g. in tests, but the loaded nyrt does not)."""
    global _library
    from nyash_run.abi import binding, build
    try:
        ffi, lib = binding.get()
    except build.NyrtBuildError as err:        # e.g. no C compiler: one line, not a traceback
        raise NyashRuntimeError(f"the llvm mode needs the native runtime, which cannot be built: {err}") from None
    if _library is None:
        _library = str(build.build())
        engine().load_library(_library)
    return ffi, lib


class LLVMProgram:
    """A program compiled into this process. Made from MIR (`LLVMProgram(module)`) or, by `from_program`, from
    the loaded source: then an unchanged program is found in the object cache without even building its MIR
    (the key covers the source files, the external box names and the whole compiler's own source)."""

    def __init__(self, module=None, preload=None, key: str | None = None, build=None):
        self.preload = preload                   # loads the configured plugins into nyrt before running
        self.timings: dict[str, float] = {}
        self.ffi, self.lib = nyrt()
        jit = engine()
        self._module, self._build = module, build
        if key is None:
            key = jit.source_key(f"{program_prefix(module)}|{lowering_version()}", DEFAULT_OPT_LEVEL)
        self.symbol = f"ny_{key[:20]}_program"
        jm = jit.add_source(key, self._lower, [self.symbol])
        self.timings.update(jm.timings_ms)
        self.cache_hit = jm.cache_hit
        meta = json.loads(jm.meta)
        self.positions = [Span(*p) if p is not None else None for p in meta["positions"]]
        self.has_main, self.main_arity = meta["has_main"], meta["main_arity"]
        self.main_span = Span(*meta["main_span"]) if meta["main_span"] else None
        accessor = self.ffi.cast("void *(*)(void)", jm.addresses[self.symbol])
        self.table = self.ffi.cast("nyrt_x_program *", accessor())

    @classmethod
    def from_program(cls, program, build, preload=None) -> "LLVMProgram":
        from nyash_run.runtime.external import external_names
        digest = hashlib.sha256(compiler_version().encode())
        for file in program.files or (program.main_file,):
            digest.update(f"\0{file}\0".encode() + (program.sources.text(file) or "").encode())
        digest.update(repr(sorted(external_names())).encode())
        key = engine().source_key("program|" + digest.hexdigest(), DEFAULT_OPT_LEVEL)
        return cls(None, preload, key, lambda: build(program))

    def _lower(self) -> tuple[str, str]:
        module = self._module if self._module is not None else self._build()
        start = time.perf_counter()
        lowered = lower_program(module, export_as=self.symbol)
        self.timings["lower_ms"] = round((time.perf_counter() - start) * 1000, 3)
        span = module.main_span
        meta = {"positions": [[s.file, s.line, s.col] if s is not None else None for s in lowered.positions],
                "has_main": module.main is not None, "main_arity": module.main_arity,
                "main_span": [span.file, span.line, span.col] if span is not None else None}
        return lowered.ir_text, json.dumps(meta)

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
        if not self.has_main:
            return None
        me = ffi.new("nyrt_nyash_value *")
        self._check(lib.nyrt_x_singleton(0, table.main_class, me))
        try:
            if self.main_arity > 1:
                raise NyashRuntimeError(f"Method main expects {plural(self.main_arity, 'argument')}, got 0",
                                        self.main_span)
            args = ffi.NULL
            if self.main_arity == 1:
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

