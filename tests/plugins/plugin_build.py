"""Building the example plugins: `nyash plugins build` when this build has it, else the same cc command
line run here. A library is rebuilt only when it is missing or older than its sources (plugins/NAME/NAME.c,
plugins/common/*.h, plugins/broken/broken.h, abi/include/nyrt_typebox.h).

Used by tests/plugins/conftest.py (once per session) and importable by the tests themselves.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def nyash_command() -> list[str]:
    """The installed console script when it sits beside this Python, else `python -m nyash_run`."""
    script = Path(sys.executable).parent / "nyash"
    return [str(script)] if script.exists() else [sys.executable, "-m", "nyash_run"]


PLUGINS = ROOT / "plugins"
HEADER_DIR = ROOT / "abi" / "include"
EXT = "dylib" if sys.platform == "darwin" else "dll" if sys.platform in ("win32", "cygwin") else "so"
EXAMPLES = ("counter", "file", "fixture", "map_c", "map_ny", "map_unified")
MAPS = ("map_c", "map_ny", "map_unified")
CFLAGS = ("-std=c11", "-O2", "-Wall", "-Wextra", "-fPIC", "-shared", "-fvisibility=hidden", "-pthread")


def find_c_compiler() -> str | None:
    wanted = os.environ.get("CC")
    names = (wanted,) if wanted else ("cc", "gcc", "clang")
    return next((path for path in map(shutil.which, names) if path), None)


CC = find_c_compiler()


def sources() -> dict[Path, Path]:
    """Library path -> its C source, for every example and every broken plugin."""
    out = {PLUGINS / name / f"lib{name}.{EXT}": PLUGINS / name / f"{name}.c" for name in EXAMPLES}
    for source in sorted((PLUGINS / "broken").glob("*.c")):
        out[source.with_name(f"lib{source.stem}.{EXT}")] = source
    return out


def _dependencies(source: Path) -> list[Path]:
    shared = list((PLUGINS / "common").glob("*.h")) + [HEADER_DIR / "nyrt_typebox.h"]
    if source.parent.name == "broken":
        shared.append(PLUGINS / "broken" / "broken.h")
    return [source, *shared]


def _stale(library: Path, source: Path) -> bool:
    if not library.exists():
        return True
    built = library.stat().st_mtime
    return any(dep.stat().st_mtime > built for dep in _dependencies(source))


def compile_plugin(source: Path, library: Path) -> None:
    """cc ... -o libNAME.EXT NAME.c, written under a private name and renamed into place."""
    partial = library.with_name(f"{library.name}.{os.getpid()}.tmp")
    command = [CC, *CFLAGS, f"-I{HEADER_DIR}", "-o", str(partial), str(source), "-lm"]
    proc = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    if proc.returncode != 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"{source} did not compile:\n{proc.stderr}")
    os.replace(partial, library)


def _plugins_build_command() -> list[str] | None:
    """`nyash plugins build` when the CLI has it."""
    proc = subprocess.run(nyash_command() + ["plugins", "--help"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)
    return nyash_command() + ["plugins", "build"] if proc.returncode == 0 and "build" in proc.stdout else None


def build_all() -> dict[str, Path]:
    stale = {lib: src for lib, src in sources().items() if _stale(lib, src)}
    if stale:
        command = _plugins_build_command()
        if command is not None:
            for config in (ROOT / "nyash.toml", PLUGINS / "broken" / "nyash.toml",
                           *(PLUGINS / name / "nyash.toml" for name in MAPS)):
                subprocess.run(command + ["--config", str(config)], capture_output=True,
                               stdin=subprocess.DEVNULL, timeout=300)
        for library, source in stale.items():
            if _stale(library, source):      # whatever `plugins build` did not cover
                compile_plugin(source, library)
    return {lib.stem[3:]: lib for lib in sources()}
