"""Build nyrt (abi/nyrt/*.c) with cffi in API mode, into the user's cache, on first use.

In: the C sources and the headers of abi/. Out: `load() -> (ffi, lib)`, the built module (cached per
process, `nyrt_init()` already called); `build()`, the path of the built extension (compiling it if needed);
`build_static(out_dir)`, nyrt as a static library for native executables; `cdef_text()`, the cffi
declarations derived from the headers. `python -m nyash_run.abi.build` builds eagerly and prints where.

The build lands in `$XDG_CACHE_HOME/nyash_run/nyrt/<hash>/` (default `~/.cache/...`), the hash covering
every source and header, this file, the compile flags and the Python and cffi versions: editing any of them
builds anew. Concurrent processes are safe: each copies the sources into its own temporary directory, hashes
and compiles that copy (so a file edited mid-build cannot land under a stale hash) and publishes the result
with one atomic rename; a process that loses the race uses the winner's build. Failures raise
NyrtBuildError with one line saying what went wrong (no compiler, or the compiler's first error) and the full
compiler output in `.log`.

The cdef is never written by hand: it is nyrt_typebox.h, nyrt.h and nyrt_exec.h with comments, preprocessor
lines (except simple integer #defines, their `u` suffixes stripped), layout asserts and the C++ guards removed,
then abi/nyrt/python_hooks.h (the callbacks Python implements), when present. Function-pointer typedefs and
declarations spanning lines pass through as they are (pycparser reads them).
"""
from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable

ABI_DIR = Path(__file__).resolve().parent
INCLUDE_DIR = ABI_DIR / "include"
SOURCE_DIR = ABI_DIR / "nyrt"
HEADERS = ("nyrt_typebox.h", "nyrt.h", "nyrt_exec.h")
HOOKS = SOURCE_DIR / "python_hooks.h"
MODULE_NAME = "_nyrt"
CFLAGS = ["-std=c11", "-O2", "-Wall", "-Wextra"]

__all__ = ["NyrtBuildError", "load", "build", "build_static", "cdef_text", "cache_dir", "sources", "have_compiler"]


class NyrtBuildError(RuntimeError):
    """nyrt could not be built or loaded. `str()` is one line; `log` holds the compiler's full output."""

    def __init__(self, message: str, log: str = ""):
        super().__init__(message)
        self.log = log


# ---- the cdef, derived from the headers ---------------------------------------------------------------------
_TOKENS = re.compile(r'"(?:\\.|[^"\\\n])*"|/\*.*?\*/|//[^\n]*', re.S)
_INT_DEFINE = re.compile(r"#\s*define\s+(\w+)\s+\(?\s*(-?(?:0[xX][0-9a-fA-F]+|\d+))[uUlL]*\s*\)?\s*$")
_CONDITIONAL = re.compile(r"#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)")


def _strip_comments(text: str) -> str:
    """Remove comments (a comment becomes one space; its newlines are kept so lines stay lines)."""
    def keep(m: re.Match) -> str:
        s = m.group(0)
        if s.startswith('"'):
            return s
        return " " + "\n" * s.count("\n") if s.startswith("/*") else ""
    return _TOKENS.sub(keep, text)


def _logical_lines(text: str) -> list[str]:
    return text.replace("\\\n", " ").splitlines()


def header_cdef(text: str) -> str:
    """One header as cffi declarations (see the module docstring for what is kept)."""
    out: list[str] = []
    skipping: list[bool] = []      # one entry per open #if: whether it is a C++-only block
    for line in _logical_lines(_strip_comments(text)):
        stripped = line.strip()
        cond = _CONDITIONAL.match(stripped)
        if cond:
            word, rest = cond.groups()
            if word.startswith("if"):
                skipping.append("__cplusplus" in rest)
            elif word == "endif" and skipping:
                skipping.pop()
            elif word in ("else", "elif") and skipping and skipping[-1]:
                skipping[-1] = False
            continue
        if any(skipping):
            continue
        if stripped.startswith("#"):
            define = _INT_DEFINE.match(stripped)
            if define:
                out.append(f"#define {define.group(1)} {define.group(2)}")
            continue
        if not stripped or stripped.startswith(("NYRT_ASSERT_LAYOUT", "_Static_assert")):
            continue
        out.append(line.rstrip())
    return "\n".join(out) + "\n"


def cdef_text(include: Path | None = None, nyrt: Path | None = None) -> str:
    """nyrt_typebox.h + nyrt.h + nyrt_exec.h (+ python_hooks.h) as a cffi cdef (of the given copy, else of
    abi/)."""
    include, hooks = include or INCLUDE_DIR, (nyrt or SOURCE_DIR) / HOOKS.name
    parts = [header_cdef((include / name).read_text(encoding="utf-8")) for name in HEADERS]
    if hooks.exists():
        parts.append(_strip_comments(hooks.read_text(encoding="utf-8")))
    return "\n".join(parts)


# ---- where builds go ----------------------------------------------------------------------------------------
def sources() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*.c"))


def _inputs() -> list[Path]:
    headers = sorted(INCLUDE_DIR.glob("*.h")) + sorted(SOURCE_DIR.glob("*.h"))
    return sources() + headers


def _snapshot(into: Path) -> tuple[Path, Path]:
    """Copy the sources and headers into `into` (include/ and nyrt/): the build compiles the copy, so a file
    edited while the compiler runs can never end up under the hash of its previous contents."""
    include, nyrt = into / "include", into / "nyrt"
    include.mkdir(parents=True)
    nyrt.mkdir()
    for path in _inputs():
        shutil.copyfile(path, (include if path.parent == INCLUDE_DIR else nyrt) / path.name)
    return include, nyrt


def _compiler() -> list[str]:
    """The C compiler command (CC, else the one Python was built with), or NyrtBuildError when absent."""
    command = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    if not command or not shutil.which(command[0]):
        name = command[0] if command else "cc"
        raise NyrtBuildError(f"nyrt: no C compiler found (looked for {name!r}; install one or set CC)")
    return command


def have_compiler() -> bool:
    """Whether a C compiler is available to build nyrt."""
    try:
        _compiler()
    except NyrtBuildError:
        return False
    return True


def source_hash(include: Path | None = None, nyrt: Path | None = None) -> str:
    """Hash of every source and header (of the given copy, else of abi/), this file, the flags and versions."""
    import cffi
    include, nyrt = include or INCLUDE_DIR, nyrt or SOURCE_DIR
    h = hashlib.sha256()
    files = sorted(nyrt.glob("*.c")) + sorted(include.glob("*.h")) + sorted(nyrt.glob("*.h"))
    for path in files + [Path(__file__).resolve()]:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for item in (sys.version, cffi.__version__, sys.platform, " ".join(CFLAGS), os.environ.get("CC", "")):
        h.update(item.encode() + b"\0")
    return h.hexdigest()[:20]


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nyash_run" / "nyrt"


def cache_dir() -> Path:
    return cache_root() / source_hash()


def _built_module(directory: Path) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = directory / (MODULE_NAME + suffix)
        if candidate.exists():
            return candidate
    return None


# ---- building -------------------------------------------------------------------------------------------------
def _captured(fn: Callable[[], Any]) -> tuple[Any, BaseException | None, str]:
    """Run fn with file descriptors 1 and 2 sent to a temporary file: the compiler is a subprocess, so its
    messages only reach us at the descriptor level."""
    with tempfile.TemporaryFile() as log:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        saved = [os.dup(1), os.dup(2)]
        result, error = None, None
        try:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                result = fn()
            except BaseException as exc:  # reported by the caller, with the output
                error = exc
        finally:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    return result, error, text


def _first_error(log: str, fallback: str) -> str:
    for line in log.splitlines():
        if re.search(r"\berror\b", line, re.I):
            return line.strip()
    return fallback


def _compile_into(directory: Path, include: Path, nyrt: Path) -> Path:
    import cffi
    ffi = cffi.FFI()
    ffi.cdef(cdef_text(include, nyrt))
    ffi.set_source(
        MODULE_NAME, "".join(f'#include "{name}"\n' for name in HEADERS),
        sources=[str(p) for p in sorted(nyrt.glob("*.c"))],
        include_dirs=[str(include), str(nyrt)],
        extra_compile_args=CFLAGS,
        libraries=[] if sys.platform == "win32" else ["m"],
    )
    return Path(ffi.compile(tmpdir=str(directory / "out"), verbose=False))


def build(force: bool = False) -> Path:
    """The path of the built extension module, compiling it first when this source hash has no build."""
    built = None if force else _built_module(cache_dir())
    if built:
        return built
    compiler = _compiler()
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    try:
        include, nyrt = _snapshot(work / "src")
        final = root / source_hash(include, nyrt)
        built = None if force else _built_module(final)
        if built:
            return built
        env_cc = os.environ.get("CC")
        os.environ["CC"] = shlex.join(compiler)   # distutils honours CC; keep it the compiler we checked
        try:
            module, error, log = _captured(lambda: _compile_into(work, include, nyrt))
        finally:
            if env_cc is None:
                del os.environ["CC"]
            else:
                os.environ["CC"] = env_cc
        if error is not None or module is None:
            detail = _first_error(log, f"{type(error).__name__}: {error}")
            raise NyrtBuildError(f"nyrt: build failed: {detail}", log)
        return _publish(module, final, root, force)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _publish(module: Path, final: Path, root: Path, force: bool) -> Path:
    """Move the module into `final` with one atomic directory rename (a concurrent winner is kept)."""
    stage = Path(tempfile.mkdtemp(prefix=".stage-", dir=root))
    shutil.move(str(module), stage / module.name)
    if force and final.exists():
        shutil.rmtree(final, ignore_errors=True)
    try:
        os.rename(stage, final)
    except OSError:
        shutil.rmtree(stage, ignore_errors=True)   # another process published first: use its build
    built = _built_module(final)
    if built is None:
        raise NyrtBuildError(f"nyrt: build finished but {final} holds no module")
    return built


def build_static(out_dir: str | os.PathLike) -> Path:
    """Compile nyrt with the system C compiler and `ar` into OUT_DIR/libnyrt.a; returns its path."""
    compiler = _compiler()
    ar = shutil.which(os.environ.get("AR", "ar"))
    if not ar:
        raise NyrtBuildError("nyrt: no 'ar' found to make a static library (install binutils or set AR)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    objects = []
    for src in sources():
        obj = out / (src.stem + ".o")
        cmd = [*compiler, *CFLAGS, "-I", str(INCLUDE_DIR), "-I", str(SOURCE_DIR), "-c", str(src), "-o", str(obj)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            log = proc.stdout + proc.stderr
            raise NyrtBuildError(f"nyrt: build failed: {_first_error(log, src.name)}", log)
        objects.append(str(obj))
    lib = out / "libnyrt.a"
    lib.unlink(missing_ok=True)
    proc = subprocess.run([ar, "rcs", str(lib), *objects], capture_output=True, text=True)
    if proc.returncode != 0:
        raise NyrtBuildError(f"nyrt: ar failed: {proc.stderr.strip()}", proc.stderr)
    return lib


# ---- loading ----------------------------------------------------------------------------------------------------
_loaded: tuple[Any, Any] | None = None
_load_lock = threading.Lock()


def load() -> tuple[Any, Any]:
    """(ffi, lib) of the built nyrt, building it on first use; nyrt_init() has run."""
    global _loaded
    if _loaded is not None:
        return _loaded
    with _load_lock:
        if _loaded is None:
            path = build()
            loader = importlib.machinery.ExtensionFileLoader(MODULE_NAME, str(path))
            spec = importlib.util.spec_from_file_location(MODULE_NAME, str(path), loader=loader)
            try:
                module = importlib.util.module_from_spec(spec)
                loader.exec_module(module)
            except ImportError as exc:
                raise NyrtBuildError(f"nyrt: cannot load {path}: {exc}") from exc
            ffi, lib = module.ffi, module.lib
            if lib.nyrt_init() != 0:
                raise NyrtBuildError(f"nyrt: nyrt_init failed: {ffi.string(lib.nyrt_last_error()).decode()}")
            _loaded = (ffi, lib)
    return _loaded


def main() -> int:
    try:
        path = build()
    except NyrtBuildError as exc:
        print(exc, file=sys.stderr)
        if exc.log:
            print(exc.log, file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
