"""The work behind `nyash plugins list | verify | build` (cli.py only parses their options).

In: an optional --config FILE (else nyash.toml in the current directory) or a plugin folder. Out: lines on
stdout, problems on stderr, an exit status: 0 fine, 1 something enabled was refused / a build failed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from nyash_run.abi.config import Config, find_config, load_config, name_table, shared_library_suffix, short_name
from nyash_run.abi.errors import PluginError

EXIT_OK, EXIT_ERROR = 0, 1
INCLUDE_DIR = Path(__file__).resolve().parent / "include"
# nyrt's reasons that concern the whole library rather than one TypeBox
_LIBRARY_REASONS = ("cannot load", "missing symbol", "nyash_plugin_init failed", "nyash_typeboxes returned",
                    "out of memory", "types mismatch")


def _config(option: str | None) -> Config:
    found = find_config(None, option)
    if found is None:
        raise PluginError("no nyash.toml in the current directory (use --config FILE)")
    return load_config(found)


def _fail(err: Exception) -> int:
    sys.stderr.write(f"nyash: error: {err}\n")
    return EXIT_ERROR


# ---- list --------------------------------------------------------------------------------------------------
def list_plugins(config_option: str | None) -> int:
    try:
        config = _config(config_option)
    except PluginError as err:
        return _fail(err)
    print(f"config: {config.file}")
    for entry in config.plugins:
        state = "enabled" if entry.enabled else "disabled"
        print(f"{entry.name}  path={entry.written_path} ({entry.path})  abi={entry.abi}  "
              f"types={','.join(entry.types)}  {state}")
    return EXIT_OK


# ---- verify ------------------------------------------------------------------------------------------------
def verify_plugins(config_option: str | None) -> int:
    from nyash_run.abi.build import NyrtBuildError
    try:
        config = _config(config_option)
        from nyash_run.abi.plugins import check
        results = check(config)
    except (PluginError, NyrtBuildError) as err:
        return _fail(err)
    _, name_problems = name_table(config)
    refused = False
    for result in results:
        lines, bad = _verify_lines(result, name_problems)
        refused |= bad and result.entry.enabled
        print("\n".join(lines))
    return EXIT_ERROR if refused else EXIT_OK


def _split(problems: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Library-level reasons, and per-type ones ("TYPE: RULE (detail)")."""
    library, per_type = [], {}
    for line in problems:
        if line.startswith(_LIBRARY_REASONS) or ": " not in line:
            library.append(line)
        else:
            name, reason = line.split(": ", 1)
            per_type.setdefault(name, []).append(reason)
    return library, per_type


def _verify_lines(result, name_problems: dict[str, str]) -> tuple[list[str], bool]:
    entry = result.entry
    library, per_type = _split(result.problems)
    for full in entry.types:
        problem = name_problems.get(short_name(full)) if entry.enabled else None
        if problem and f"(plugin {entry.name})" in problem:
            per_type.setdefault(full, []).append(problem)
    bad = bool(library or per_type)
    disabled = "" if entry.enabled else " (disabled)"
    head = f"plugin {entry.name} ({entry.path}){disabled}: "
    lines = [head + ("REFUSED: " + "; ".join(library) if library else "REFUSED" if bad else "OK")]
    for full in dict.fromkeys([*entry.types, *result.reported, *per_type]):
        lines.append(f"  type {full} as {short_name(full)}: {_type_verdict(result, full, per_type)}")
    return lines, bad


def _type_verdict(result, full: str, per_type: dict[str, list[str]]) -> str:
    if full in per_type:
        return "REFUSED: " + "; ".join(per_type[full])
    if result.plugin_id < 0:        # nyrt refused the library: its TypeBoxes were checked only if some failed
        return "not registered (the plugin was refused)" if per_type else "not checked"
    if full not in result.reported:
        return "REFUSED: the library does not report it"
    if full not in result.entry.types:
        return "REFUSED: not listed in nyash.toml"
    return "OK"


# ---- build -------------------------------------------------------------------------------------------------
def default_plugin_dir() -> Path:
    """plugins/ beside the project's nyash.toml, else beside the current directory."""
    found = find_config(None, None)
    return (found.parent if found else Path.cwd()) / "plugins"


def build_plugins(folder: str | None, config_option: str | None = None) -> int:
    """Each plugin folder under `folder` (default: the project's plugins/), or, with --config, the library of
    every entry of that nyash.toml."""
    compiler = os.environ.get("CC", "cc")
    if shutil.which(compiler) is None:
        return _fail(f"no C compiler found ('{compiler}'; set CC)")
    if config_option is not None and folder is None:
        try:
            jobs = _config_jobs(_config(config_option))
        except PluginError as err:
            return _fail(err)
    else:
        root = Path(folder) if folder else default_plugin_dir()
        if not root.is_dir():
            return _fail(f"{root}: no such folder")
        try:
            jobs = [job for d in sorted(root.iterdir()) if d.is_dir() and any(d.glob("*.c"))
                    for job in _folder_jobs(d)]
        except PluginError as err:
            return _fail(err)
        if not jobs:
            print(f"no plugin folders with C sources under {root}")
    return max([build_one(sources, output, compiler) for sources, output in jobs], default=EXIT_OK)


def _folder_jobs(folder: Path) -> list[tuple[list[Path], Path]]:
    """A folder with its own nyash.toml builds that file's libraries (e.g. one per broken plugin);
    otherwise all its C sources make libFOLDER."""
    own_config = folder / "nyash.toml"
    if own_config.is_file():
        return _config_jobs(_config(str(own_config)))
    return [(sorted(folder.glob("*.c")), folder / f"lib{folder.name}.{shared_library_suffix()}")]


def _config_jobs(config: Config) -> list[tuple[list[Path], Path]]:
    """libNAME.EXT of an entry is built from NAME.c beside it when there is one, else from every .c there."""
    jobs = []
    for entry in config.plugins:
        folder, stem = entry.path.parent, entry.path.name.split(".")[0]
        own = folder / f"{stem[3:] if stem.startswith('lib') else stem}.c"
        jobs.append(([own] if own.exists() else sorted(folder.glob("*.c")), entry.path))
    return jobs


def build_one(sources: list[Path], output: Path, compiler: str = "cc") -> int:
    """cc -std=c11 -O2 -shared -fPIC -I<abi/include> SOURCES -o OUTPUT, unless already up to date."""
    if not sources:
        return _fail(f"{output}: no C sources in {output.parent}")
    headers = [*output.parent.glob("*.h"), *(output.parent.parent / "common").glob("*.h"), *INCLUDE_DIR.glob("*.h")]
    if output.exists() and output.stat().st_mtime >= max(p.stat().st_mtime for p in [*sources, *headers]):
        print(f"up to date: {output}")
        return EXIT_OK
    # -pthread and -lm: plugins may start threads (abi.md §7.7) and format floats
    command = [compiler, "-std=c11", "-O2", "-shared", "-fPIC", "-pthread", f"-I{INCLUDE_DIR}",
               *[str(s) for s in sources], "-o", str(output), "-lm"]
    proc = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        sys.stderr.write(f"nyash: error: building {output} failed:\n  {' '.join(command)}\n"
                         f"{proc.stderr or proc.stdout}")
        return EXIT_ERROR
    print(f"built {output}")
    return EXIT_OK

