"""The process-wide JIT: one MCJIT engine, one target machine, an on-disk object cache.

In: LLVM IR text (from lower.py) and the names of the functions wanted. Out: `JitModule`, their machine-code
addresses in this process (plus whether the object came from the cache, and what each step cost).

Facts this design rests on (llvmlite 0.50, LLVM 22, measured on x86-64):
- Importing llvmlite costs ~100 ms, so nothing here imports it before `engine()` is first called.
- llvmlite crashes when one target machine is handed to two MCJIT engines; creating an engine per module
  would also repeat the target set-up. So there is exactly one engine per process (`engine()`), created from
  an empty module; every compiled module is added to it and `finalize_object()` makes it executable.
- Optimisation uses the new pass manager: `create_pipeline_tuning_options(speed_level)` ->
  `create_pass_builder(tm, pto)` -> `pb.getModulePassManager().run(module, pb)` (the `default<On>`
  pipeline). Code generation runs at the target machine's level, fixed when the engine is created.
- The object cache: MCJIT's ObjectCache hook `notify` (`ExecutionEngine.set_object_cache(notify, getbuffer)`)
  hands over each object MCJIT generates, which is stored under the key. On a hit the stored object is put
  into the engine with `ExecutionEngine.add_object_file(ObjectFileRef.from_data(...))`, skipping parsing
  as well as optimisation and code generation. Measured for modules of 2-4 functions: a hit costs ~2 ms
  (mostly finalize_object: relocation and page protection), a compile 25-50 ms. The `getbuffer` hook would
  also serve hits, but it needs the IR parsed into a module first (~1 ms more per hit).
- Symbols JIT code refers to but does not define resolve through `llvm.add_symbol` (used here for the error
  slot) and the symbols of the process (libm's `fmod` for `frem`; later nyrt, loaded with
  `llvm.load_library_permanently`).

The cache lives under `$XDG_CACHE_HOME/nyash_run/llvm/` (default `~/.cache`), one file per key: the SHA-256
of the IR text, the LLVM and llvmlite versions, the target triple, host CPU name and features, and both
optimisation levels. Files are written atomically and carry a checksum, so a torn or corrupted file is a
miss, never a crash.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .unroll import unroll_recursion

# Optimisation levels, chosen by measurement (x86-64, one function of 10-40 MIR instructions per module):
# compiling costs 1.5-4 ms at IR O0 and 3-9 ms at O1-O3 (no clear difference between those three); an
# Int loop ran 61 / 38 / 33 / 33 ms at IR O0 / O1 / O2 / O3 and fib(30) 4.1 / 3.7 / 3.7 / 3.7 ms. Codegen
# level 0 made fib(30) 5.5 ms against 3.7 ms at 1-3.
DEFAULT_OPT_LEVEL = int(os.environ.get("NYASH_LLVM_OPT", "2"))        # overridable for measurements
CODEGEN_OPT_LEVEL = int(os.environ.get("NYASH_LLVM_CODEGEN_OPT", "2"))

CACHE_FORMAT = b"NYLLVMO1"          # file magic; bump to invalidate every cached object
ERR_POS_SYMBOL = "nyash_jit_err_pos"  # int32 slot: the position id of the last error (see lower.py)

_lock = threading.Lock()
_engine: "JitEngine | None" = None


class JitError(RuntimeError):
    """The IR did not parse or verify, or it defines a symbol the engine already has (a bug in lowering)."""


def engine() -> "JitEngine":
    """The one engine of this process, created (and llvmlite imported) on first use."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = JitEngine()
    return _engine


def code_model_for(triple: str) -> tuple[str, str]:
    """(reloc, code model). On x86-64 the small PIC model makes calls within a module direct (`call f`,
    not `movabs; call *r`): a plain `i64 fib(i64)` ran fib(35) in 20 ms instead of 25 ms, as fast as gcc -O2. References
    to other modules and the process (the error slot, libm, nyrt) go through RuntimeDyld's GOT and PLT stubs.
    Elsewhere llvmlite's JIT default (large model) is kept until measured."""
    if triple.startswith("x86_64"):
        return "pic", "small"
    return "default", "jitdefault"


def cache_root() -> Path:
    """NYASH_LLVM_CACHE when set (tests isolate the object cache this way without rebuilding nyrt), else
    $XDG_CACHE_HOME/nyash_run/llvm."""
    override = os.environ.get("NYASH_LLVM_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nyash_run" / "llvm"


class ObjectCache:
    """Compiled objects on disk, one file per key: magic, SHA-256 of the payload, payload."""

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory) if directory is not None else cache_root()

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.o"

    def load(self, key: str) -> bytes | None:
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        head = len(CACHE_FORMAT)
        payload = data[head + 32:]
        if data[:head] != CACHE_FORMAT or hashlib.sha256(payload).digest() != data[head:head + 32]:
            return None
        return payload

    def load_meta(self, key: str) -> str | None:
        try:
            return (self.directory / f"{key}.meta").read_text(encoding="utf-8")
        except OSError:
            return None

    def store_meta(self, key: str, meta: str) -> None:
        self._atomic_write(self.directory / f"{key}.meta", meta.encode("utf-8"))

    def _atomic_write(self, path: Path, data: bytes) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass

    def store(self, key: str, payload: bytes) -> None:
        """Best effort: a read-only or full disk only means the next run compiles again."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".o")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(CACHE_FORMAT + hashlib.sha256(payload).digest() + payload)
                os.replace(tmp, self.path(key))
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass


@dataclass
class JitModule:
    """One module in the engine: the addresses of the functions asked for, and how it got there."""
    key: str
    addresses: dict[str, int]
    cache_hit: bool
    timings_ms: dict[str, float] = field(default_factory=dict)
    meta: str | None = None           # what add_source's producer stored beside the object


class JitEngine:
    def __init__(self, codegen_opt: int = CODEGEN_OPT_LEVEL):
        import llvmlite
        import llvmlite.binding as llvm
        self.llvm = llvm
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        self.triple = llvm.get_process_triple()
        self.cpu = llvm.get_host_cpu_name()
        self.features = llvm.get_host_cpu_features().flatten()
        target = llvm.Target.from_triple(self.triple)
        self.codegen_opt = codegen_opt
        reloc, code_model = code_model_for(self.triple)
        self.tm = target.create_target_machine(cpu=self.cpu, features=self.features, opt=codegen_opt, jit=True,
                                               reloc=reloc, codemodel=code_model)
        self.identity = "|".join([CACHE_FORMAT.decode(), llvmlite.__version__,
                                  ".".join(map(str, llvm.llvm_version_info)), self.triple, self.cpu,
                                  self.features, f"cg{codegen_opt}", reloc, code_model])
        backing = llvm.parse_assembly("")
        backing.triple = self.triple
        # llvmlite's memory manager reserves one block per object, so the small code model's 32-bit
        # references between an object's code and data always reach
        self.ee = llvm.create_mcjit_compiler(backing, self.tm, use_lmm=True)
        self.ee.set_object_cache(self._notify, None)
        self._loaded: dict[str, JitModule] = {}        # cache key -> module already in the engine
        self._symbols: set[str] = set()                 # exported symbols of every module added
        self._pending: dict[int, tuple] = {}           # module pointer -> (key, cache) while compiling
        self._lock = threading.RLock()
        self._libraries: set[str] = set()
        self.err_pos = ctypes.c_int32(-1)               # the error slot every lowered module stores into
        llvm.add_symbol(ERR_POS_SYMBOL, ctypes.addressof(self.err_pos))

    def load_library(self, path: str) -> None:
        """Make the symbols of shared library `path` (nyrt) resolvable from JIT code; once per path."""
        with self._lock:
            if path not in self._libraries:
                self.llvm.load_library_permanently(path)
                self._libraries.add(path)

    # ----------------------------------------------------------------------------------- cache hooks
    def cache_key(self, ir_text: str, opt_level: int) -> str:
        digest = hashlib.sha256(f"{self.identity}|O{opt_level}\n".encode())
        digest.update(ir_text.encode())
        return digest.hexdigest()

    @staticmethod
    def _module_id(module) -> int:
        return ctypes.cast(module._ptr, ctypes.c_void_p).value

    def _notify(self, module, payload: bytes) -> None:
        entry = self._pending.get(self._module_id(module))
        if entry is not None and entry[1] is not None:
            entry[1].store(entry[0], payload)

    # ----------------------------------------------------------------------------------- compiling
    def optimize(self, module, opt_level: int):
        return optimize_module(self.llvm, self.tm, module, opt_level)

    def add_ir(self, ir_text: str, names: list[str], opt_level: int = DEFAULT_OPT_LEVEL,
               cache: ObjectCache | None | bool = True) -> JitModule:
        """Compile (or load from the cache) `ir_text` into the engine; the addresses of `names`, the
        module's exported functions.

        `cache`: True for the user cache directory, an ObjectCache, or None/False for none. IR already added
        in this process (same key) is not added again: its earlier JitModule is returned.
        """
        return self.add_source(self.cache_key(ir_text, opt_level), lambda: (ir_text, None), names, opt_level,
                               cache, needs_meta=False)

    def source_key(self, source_id: str, opt_level: int) -> str:
        """A cache key for code identified by `source_id` (e.g. a hash of the MIR and of the lowering's own
        source) instead of its IR text, so that a hit needs no lowering at all."""
        return hashlib.sha256(f"{self.identity}|O{opt_level}|source|{source_id}".encode()).hexdigest()

    def add_source(self, key: str, produce, names: list[str], opt_level: int = DEFAULT_OPT_LEVEL,
                   cache: ObjectCache | None | bool = True, needs_meta: bool = True) -> JitModule:
        """Like add_ir, for IR made only on a miss: `produce()` returns (IR text, metadata string or None);
        the metadata is stored beside the object and handed back on a hit (JitModule.meta). With
        `needs_meta`, an object whose metadata is missing counts as a miss."""
        if cache is True:
            cache = ObjectCache()
        with self._lock:
            known = self._loaded.get(key)
            if known is not None:
                return JitModule(key, {n: known.addresses[n] for n in names}, known.cache_hit, {}, known.meta)
            clash = sorted(set(names) & self._symbols)
            if clash:
                raise JitError(f"symbols already defined in the JIT: {', '.join(clash[:5])}")
            cached = cache.load(key) if cache else None
            meta = cache.load_meta(key) if cached is not None else None
            timings: dict[str, float] = {}
            if cached is not None and (meta is not None or not needs_meta):
                start = time.perf_counter()
                self.ee.add_object_file(self.llvm.ObjectFileRef.from_data(cached))
                self.ee.finalize_object()
                timings["load_ms"] = _ms_since(start)
            else:
                cached = None
                ir_text, meta = produce()
                self._compile(ir_text, key, names, opt_level, cache or None, timings)
                if cache and meta is not None:
                    cache.store_meta(key, meta)
            addresses = {name: self.ee.get_function_address(name) for name in names}
            missing = [name for name, address in addresses.items() if not address]
            if missing:
                raise JitError(f"not defined by the module: {', '.join(missing)}")
            self._symbols.update(names)
            jm = JitModule(key, addresses, cached is not None, timings, meta)
            self._loaded[key] = jm
            return jm

    def _compile(self, ir_text: str, key: str, names: list[str], opt_level: int, cache, timings: dict) -> None:
        """Parse, verify, optimise, generate code (MCJIT's notify hook stores the object in `cache`)."""
        llvm = self.llvm
        start = time.perf_counter()
        try:
            module = llvm.parse_assembly(ir_text)
            module.verify()
        except RuntimeError as err:
            raise JitError(f"invalid IR: {err}") from None
        module.triple, module.data_layout = self.triple, str(self.tm.target_data)
        exported = {f.name for f in module.functions if not f.is_declaration and f.linkage.name == "external"}
        if not set(names) <= exported:
            raise JitError(f"not defined by the module: {', '.join(sorted(set(names) - exported))}")
        timings["parse_ms"] = _ms_since(start)
        start = time.perf_counter()
        module = self.optimize(module, opt_level)
        timings["optimize_ms"] = _ms_since(start)
        start = time.perf_counter()
        mid = self._module_id(module)
        self._pending[mid] = (key, cache)
        try:
            self.ee.add_module(module)
            self.ee.finalize_object()
        finally:
            del self._pending[mid]
        timings["codegen_ms"] = _ms_since(start)

    def last_error_position(self) -> int:
        return self.err_pos.value


def optimize_module(llvm, tm, module, opt_level: int):
    """LLVM's `default<On>` pipeline for target machine `tm` (the new pass manager), after recursive
    inlining (unroll.py) from O2 up; the optimised module (a new one when recursion was unrolled)."""
    if opt_level >= 2:
        module = unroll_recursion(llvm, tm, module)
    pto = llvm.create_pipeline_tuning_options(speed_level=opt_level)
    pb = llvm.create_pass_builder(tm, pto)
    pb.getModulePassManager().run(module, pb)
    return module


def _ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 3)
