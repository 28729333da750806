"""Helpers of the ABI tests (tests/abi): test plugins compiled from fixtures/tplugin.c, a Loader that unloads
what a test loaded, and small nyrt call helpers. The fixtures themselves are in conftest.py.

Every test that needs a C compiler is skipped, with the reason, when there is none. The registry is one per
process, so each test loads its plugins through a Loader, which unloads them again afterwards, and gives its
types names of its own (`unique`) where two tests could otherwise register the same name.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INCLUDE = ROOT / "abi" / "include"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CC = os.environ.get("CC", "cc")
HAVE_CC = shutil.which(CC) is not None
requires_cc = pytest.mark.skipif(not HAVE_CC, reason=f"no C compiler ('{CC}') on PATH")

_names = itertools.count()


def sha(name: str) -> bytes:
    return hashlib.sha256(name.encode("utf-8")).digest()


def fast_key(name: str) -> int:
    return int.from_bytes(sha(name)[:8], "little")


def unique(prefix: str = "test") -> str:
    """A fresh type-name prefix, so that no two loads in one process register the same name."""
    return f"{prefix}{next(_names)}"


# The methods tplugin.c's metadata lists (both types): those it answers by id; the others only by name.
LISTED_METHODS = ("birth/1", "inc/0", "get/0", "toString/0", "fail/1", "isPos/0", "label/0", "labelView/0",
                  "half/0", "twice/0", "self/0", "count/1", "set/1", "stash/1", "peek/0", "take/0")


def tids_header(counter: str, cbox: str) -> str:
    def ident(name: str) -> str:
        return "{" + ", ".join(f"0x{b:02x}" for b in sha(name)) + "}"
    lines = [f'#define TID_COUNTER_NAME "{counter}"', f"#define TID_COUNTER_ID {ident(counter)}",
             f"#define TID_COUNTER_KEY 0x{fast_key(counter):016x}ull",
             f'#define TID_CBOX_NAME "{cbox}"', f"#define TID_CBOX_ID {ident(cbox)}",
             f"#define TID_CBOX_KEY 0x{fast_key(cbox):016x}ull",
             f"#define TID_INTEGER_KEY 0x{fast_key('nyash.core.Integer'):016x}ull",
             f"#define TID_ARRAY_KEY 0x{fast_key('nyash.core.Array'):016x}ull",
             f"#define TID_M_GET0 0x{fast_key('get/0'):016x}ull",
             f"#define MAP_ID {ident('nyash.core.Map')}", f"#define MAP_KEY 0x{fast_key('nyash.core.Map'):016x}ull",
             "#define TID_METHODS {" + ", ".join(f'{{0x{fast_key(m):016x}ull, "{m.split("/")[0]}"}}'
                                                for m in LISTED_METHODS) + "}"]
    return "\n".join(lines) + "\n"


def compile_plugin(out_dir: Path, *defines: str, prefix: str | None = None, source: Path | None = None) -> Path:
    """lib<tag>.so from tplugin.c with -D<each define>; its types are PREFIX.Counter and PREFIX.CBox."""
    prefix = prefix or unique()
    work = out_dir / f"{prefix}_{'_'.join(d.split('=')[0] for d in defines) or 'good'}"
    work.mkdir(parents=True, exist_ok=True)
    (work / "tids.h").write_text(tids_header(f"{prefix}.Counter", f"{prefix}.CBox"))
    library = work / "libtplugin.so"
    command = [CC, "-std=c11", "-O1", "-shared", "-fPIC", "-pthread", f"-I{INCLUDE}", f"-I{work}",
               *[f"-D{d}" for d in defines], str(source or FIXTURES / "tplugin.c"), "-o", str(library)]
    proc = subprocess.run(command, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return library


class Loader:
    """Loads plugins for one test and unloads them (releasing nothing itself) when the test ends."""

    def __init__(self, ffi, lib, tmp: Path):
        self.ffi, self.lib, self.tmp = ffi, lib, tmp
        self.ids: list[int] = []

    def build(self, *defines: str, prefix: str | None = None) -> tuple[Path, str]:
        prefix = prefix or unique()
        return compile_plugin(self.tmp, *defines, prefix=prefix), prefix

    def load(self, path: Path, init: str | None = None, boxes: str | None = None) -> tuple[int, str]:
        """(plugin id or -1, nyrt's error text)."""
        err = self.ffi.new("char[]", 8192)
        sym = lambda s: s.encode() if s else self.ffi.NULL  # noqa: E731
        pid = self.lib.nyrt_plugin_load(str(path).encode(), sym(init), sym(boxes), err, 8192)
        if pid >= 0:
            self.ids.append(pid)
        return pid, self.ffi.string(err).decode()

    def good(self, *defines: str) -> tuple[int, str]:
        """A loaded test plugin: (plugin id, type-name prefix)."""
        path, prefix = self.build(*defines)
        pid, err = self.load(path)
        assert pid >= 0, err
        return pid, prefix

    def unload(self, pid: int) -> tuple[int, str]:
        err = self.ffi.new("char[]", 8192)
        code = self.lib.nyrt_plugin_unload(pid, err, 8192)
        if code == 0 and pid in self.ids:
            self.ids.remove(pid)
        return code, self.ffi.string(err).decode()

    def close(self) -> None:
        import gc
        gc.collect()                       # PluginBoxes of the test release their references
        for pid in list(self.ids):
            self.unload(pid)


def value(ffi):
    return ffi.new("nyrt_nyash_value*")


def call(ffi, lib, self_value, method: str, *args) -> tuple[int, object]:
    """nyrt_call with nyrt values as arguments: (code, ret value)."""
    argv = ffi.new("nyrt_nyash_value[]", max(len(args), 1))
    for i, a in enumerate(args):
        argv[i] = a[0]
    ret = value(ffi)
    code = lib.nyrt_call(self_value, method.encode(), argv, len(args), ret)
    return code, ret


def int_value(ffi, lib, n: int):
    v = value(ffi)
    lib.nyrt_val_int(n, v)
    return v


def last_message(ffi, lib) -> str:
    return ffi.string(lib.nyrt_last_error_message()).decode()
