"""`python -m benchmarks.native [ITERATIONS] [--json]`: ns per plugin call from native code (abi.md 7.8).

Builds, into the user cache (keyed by a hash of the sources, so a second run starts at once):
  * the map_ny and map_c plugins (plugins/map_ny, plugins/map_c), and
  * plugin_call_cost.c compiled together with nyrt (abi/nyrt/*.c),
then runs the driver, which loads each plugin with nyrt_plugin_load and times size() and get(k) through
nyrt's dispatch: the Nyash ABI (map_ny) against the C-ABI bridge (map_c). It prints the driver's table, or
with --json only its JSON record. A benchmark, not a test: nothing here judges the numbers.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
INCLUDE = ROOT / "abi" / "include"
NYRT = ROOT / "abi" / "nyrt"
PLUGINS = ROOT / "plugins"
EXT = "dylib" if sys.platform == "darwin" else "so"
PLUGIN_FLAGS = ("-std=c11", "-O2", "-fPIC", "-shared", "-fvisibility=hidden", "-pthread")
DRIVER_FLAGS = ("-std=c11", "-O2", "-pthread")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nyash_run" / "native"


def find_c_compiler() -> str | None:
    wanted = os.environ.get("CC")
    names = (wanted,) if wanted else ("cc", "gcc", "clang")
    return next((path for path in map(shutil.which, names) if path), None)


def _digest(files: list[Path], flags: tuple[str, ...], compiler: str) -> str:
    h = hashlib.sha256("\0".join((compiler,) + flags).encode())
    for path in sorted(files):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def build(name: str, sources: list[Path], deps: list[Path], flags: tuple[str, ...], compiler: str,
          libs: tuple[str, ...] = ()) -> Path:
    """The output for `sources`, compiled once per content hash."""
    target = cache_dir() / f"{name}-{_digest(sources + deps, flags, compiler)}"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    command = [compiler, *flags, f"-I{INCLUDE}", "-o", str(partial), *map(str, sources), *libs]
    proc = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    if proc.returncode != 0:
        partial.unlink(missing_ok=True)
        raise SystemExit(f"benchmarks.native: {name} did not compile:\n{proc.stderr}")
    os.replace(partial, target)
    return target


def build_all(compiler: str) -> tuple[Path, Path, Path]:
    common = sorted((PLUGINS / "common").glob("*.h")) + [INCLUDE / "nyrt_typebox.h"]
    libs = []
    for plugin in ("map_ny", "map_c"):
        built = build(f"lib{plugin}", [PLUGINS / plugin / f"{plugin}.c"], common, PLUGIN_FLAGS, compiler, ("-lm",))
        named = built.with_name(f"{built.name}.{EXT}")     # dlopen wants a library-looking name on some systems
        if not named.exists():
            shutil.copyfile(built, named)
        libs.append(named)
    nyrt_sources = sorted(NYRT.glob("*.c"))
    headers = sorted(NYRT.glob("*.h")) + sorted(INCLUDE.glob("*.h"))
    driver = build("plugin_call_cost", [HERE / "plugin_call_cost.c", *nyrt_sources], headers, DRIVER_FLAGS,
                   compiler, ("-ldl", "-lm"))
    return driver, libs[0], libs[1]


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    rest = [arg for arg in argv if arg != "--json"]
    iterations = rest[0] if rest else "2000000"
    compiler = find_c_compiler()
    if compiler is None:
        print("benchmarks.native: no C compiler found (set CC)", file=sys.stderr)
        return 2
    driver, map_ny, map_c = build_all(compiler)
    proc = subprocess.run([str(driver), str(map_ny), str(map_c), iterations], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        return proc.returncode
    lines = proc.stdout.splitlines()
    print(lines[-1] if as_json else "\n".join(lines[:-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
