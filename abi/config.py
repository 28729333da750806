"""nyash.toml v3 (abi.md §6): which plugin libraries a run may load and which types each supplies.

In: a program path and an optional `--config FILE`. Out: a Config (None when there is no nyash.toml), with
every plugin entry resolved: its path made absolute relative to the toml and `{ext}` expanded. Only the
file's own shape is checked here; what a library reports is compared with `types` when it is loaded
(plugins.py). Errors are PluginError naming the file and the entry.
"""
from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from nyash_run.abi.errors import PluginError

CONFIG_NAME = "nyash.toml"
ABI_KINDS = ("c", "nyash", "unified")
CORE_PREFIX = "nyash.core."
# Core types a plugin cannot supply: their values travel inline or as Python str, or nyrt itself makes them
# (host array_new, Arrays converted from Python, Results and Errors of core methods) under the core type id,
# where a plugin's values would be indistinguishable from them. An entry listing one is refused at load.
NOT_REPLACEABLE = frozenset({"Integer", "Float", "Bool", "Null", "Void", "String", "Array", "Result", "Error"})
# Builtin box names a plugin's own (non-core) type may not take.
BUILTIN_NAMES = frozenset({"StringBox", "IntegerBox", "FloatBox", "BoolBox", "NullBox", "VoidBox", "ArrayBox",
                           "MapBox", "ConsoleBox", "MathBox", "ResultBox", "ErrorBox", "FunctionBox", "FutureBox"})
_ENTRY_KEYS = {"path", "abi", "types", "symbols", "enabled"}
_SYMBOL_KEYS = {"init", "boxes"}


def shared_library_suffix(platform: str | None = None) -> str:
    """What `{ext}` expands to."""
    platform = platform or sys.platform
    return "dylib" if platform == "darwin" else "dll" if platform in ("win32", "cygwin") else "so"


def short_name(type_name: str) -> str:
    """The name `new` uses: core types by their spec name (nyash.core.Map -> MapBox), others by their last
    dotted component (acme.FileBox -> FileBox)."""
    last = type_name.rsplit(".", 1)[-1]
    if type_name.startswith(CORE_PREFIX) and "." not in type_name[len(CORE_PREFIX):]:
        return last + "Box"
    return last


def is_core(type_name: str) -> bool:
    return type_name.startswith(CORE_PREFIX) and "." not in type_name[len(CORE_PREFIX):]


@dataclass(frozen=True)
class PluginEntry:
    """One `[plugins.NAME]` table."""
    name: str
    path: Path                 # absolute, {ext} expanded
    written_path: str          # as written in the file (for messages and `plugins list`)
    abi: str                   # "c" | "nyash" | "unified"
    types: tuple[str, ...]     # fully qualified names, in the file's order
    init_symbol: str | None
    boxes_symbol: str | None
    enabled: bool


@dataclass(frozen=True)
class Config:
    file: Path
    plugins: tuple[PluginEntry, ...]

    def enabled(self) -> list[PluginEntry]:
        return [entry for entry in self.plugins if entry.enabled]


def find_config(program: str | Path | None = None, override: str | Path | None = None,
                cwd: str | Path | None = None) -> Path | None:
    """`--config` when given (it must exist), else nyash.toml next to the program, else in the current
    directory, else None."""
    if override is not None:
        path = Path(override)
        if not path.is_file():
            raise PluginError(f"{override}: config file not found")
        return path.resolve()
    candidates = [Path(program).resolve().parent / CONFIG_NAME] if program is not None else []
    candidates.append(Path(cwd or Path.cwd()) / CONFIG_NAME)
    return next((path.resolve() for path in candidates if path.is_file()), None)


def load_config(path: str | Path) -> Config:
    """Parse and check one nyash.toml."""
    path = Path(path).resolve()
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as err:
        raise PluginError(f"{path}: cannot read: {err.strerror or err}") from None
    except tomllib.TOMLDecodeError as err:
        raise PluginError(f"{path}: invalid TOML: {err}") from None
    table = data.get("plugins", {})
    if not isinstance(table, dict):
        raise PluginError(f"{path}: 'plugins' must be a table of [plugins.NAME] tables")
    return Config(path, tuple(_entry(path, name, body) for name, body in table.items()))


def config_for(program: str | Path | None = None, override: str | Path | None = None) -> Config | None:
    """The Config a run of `program` uses, or None when there is no nyash.toml."""
    found = find_config(program, override)
    return load_config(found) if found is not None else None


# ---- one entry ------------------------------------------------------------------------------------------
def _entry(file: Path, name: str, body) -> PluginEntry:
    where = f"{file}: [plugins.{name}]"
    if not isinstance(body, dict):
        raise PluginError(f"{where} must be a table")
    unknown = sorted(set(body) - _ENTRY_KEYS)
    if unknown:
        raise PluginError(f"{where}: unknown key '{unknown[0]}' (expected {', '.join(sorted(_ENTRY_KEYS))})")
    written = _string(body, "path", where, required=True)
    abi = _string(body, "abi", where, required=True)
    if abi not in ABI_KINDS:
        raise PluginError(f"{where}: abi must be one of {', '.join(ABI_KINDS)}, not '{abi}'")
    enabled = body.get("enabled", True)
    if not isinstance(enabled, bool):
        raise PluginError(f"{where}: enabled must be true or false")
    init, boxes = _symbols(body.get("symbols", {}), where)
    resolved = (file.parent / written.replace("{ext}", shared_library_suffix())).resolve()
    return PluginEntry(name, resolved, written, abi, _types(body, where), init, boxes, enabled)


def _string(body: dict, key: str, where: str, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise PluginError(f"{where}: {key} must be a non-empty string")
    return value


def _types(body: dict, where: str) -> tuple[str, ...]:
    types = body.get("types")
    if not isinstance(types, list) or not types or not all(isinstance(t, str) and t for t in types):
        raise PluginError(f"{where}: types must be a non-empty list of type names")
    if len(set(types)) != len(types):
        raise PluginError(f"{where}: types lists a name twice")
    return tuple(types)


def replaceable(type_name: str) -> bool:
    """Whether a plugin may supply this type (every non-core type; core ones but NOT_REPLACEABLE)."""
    return not is_core(type_name) or type_name[len(CORE_PREFIX):] not in NOT_REPLACEABLE


def _symbols(symbols, where: str) -> tuple[str | None, str | None]:
    if not isinstance(symbols, dict):
        raise PluginError(f"{where}: symbols must be a table (symbols.init, symbols.boxes)")
    unknown = sorted(set(symbols) - _SYMBOL_KEYS)
    if unknown:
        raise PluginError(f"{where}: unknown key 'symbols.{unknown[0]}' (expected symbols.init, symbols.boxes)")
    return _string(symbols, "init", where), _string(symbols, "boxes", where)


# ---- names across entries ---------------------------------------------------------------------------------
def name_table(config: Config) -> tuple[dict[str, tuple[PluginEntry, str]], dict[str, str]]:
    """Short name -> (entry, fully qualified name) over the enabled entries, and short name -> why it cannot
    be used (ambiguous, or a builtin's name taken by a plugin's own type). A name in the second table is also
    in the first so that using it reports the problem instead of 'Unknown Box type'."""
    table: dict[str, tuple[PluginEntry, str]] = {}
    problems: dict[str, str] = {}
    for entry in config.enabled():
        for full in entry.types:
            short = short_name(full)
            if short in table:
                other_entry, other = table[short]
                problems[short] = (f"{short} is ambiguous in {config.file}: {other} (plugin {other_entry.name}) "
                                   f"and {full} (plugin {entry.name})")
                continue
            table[short] = (entry, full)
            if short in BUILTIN_NAMES and not is_core(full):
                problems[short] = f"{full} (plugin {entry.name}) would hide the builtin {short}"
    return table, problems
