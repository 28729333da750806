"""The plugins a run may use, as the interpreter and the VM see them.

In: a Config (config.py). Out: a PluginHost that answers which box names plugins supply (`box_names`,
`overridden_core`) without loading anything, and makes instances (`new`), loading each plugin library the
first time one of its types is used. nyrt is built and loaded at that moment too, so a program that uses no
plugin type never pays for cffi or a C compiler.

A plugin that is refused (a library that cannot be opened, a failing init, a TypeBox breaking a rule of
abi.md §4, `types` not matching what the library reports) raises, at its first use, a NyashRuntimeError
naming the plugin, the file, the type and the rule; programs that do not use it run normally. `check` runs
the same checks for `nyash plugins verify` without raising.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from nyash_run.abi import binding
from nyash_run.abi.config import Config, PluginEntry, is_core, name_table, replaceable, short_name
from nyash_run.abi.values import Args, PluginBox, from_owned, plugin_call_error
from nyash_run.runtime.errors import NyashRuntimeError

__all__ = ["PluginHost", "PluginBox", "LoadResult", "load_entry", "check"]

ABI_KIND_NAMES = {1: "c", 2: "nyash", 3: "unified"}
ERR_CAP = 8192
NYRT_ITSELF = -1            # nyrt_tb_owner of a type nyrt serves itself


@dataclass
class LoadResult:
    """What loading one entry gave: a plugin id, or the reasons it was refused (one per line of nyrt)."""
    entry: PluginEntry
    plugin_id: int = -1
    reported: list[str] = field(default_factory=list)         # type names the library registered
    problems: list[str] = field(default_factory=list)         # "REASON" or "TYPE: RULE (detail)"

    @property
    def ok(self) -> bool:
        return self.plugin_id >= 0 and not self.problems

    def message(self) -> str:
        return (f"PluginError: plugin {self.entry.name} ({self.entry.path}) refused: "
                + "; ".join(self.problems))


class PluginHost:
    """Loads the enabled plugins of one Config lazily and creates their instances."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._names, self._problems = name_table(config)
        self._results: dict[str, LoadResult] = {}      # entry name -> outcome of its one load
        self._lock = threading.RLock()

    # ---- what the config provides (nothing is loaded) ----
    def box_names(self) -> frozenset[str]:
        """Short names `new` may use (ambiguous ones included, so that using one reports why)."""
        return frozenset(self._names)

    def overridden_core(self) -> frozenset[str]:
        """Spec names of the core types enabled plugins replace, e.g. {"MapBox"}."""
        return frozenset(short_name(full) for entry in self.config.enabled() for full in entry.types
                         if is_core(full))

    # ---- instances ----
    def new(self, name: str, args: list) -> Any:
        """`new NAME(args)` for a plugin type (abi/README.md "Plugins")."""
        problem = self._problems.get(name)
        if problem is not None:
            raise NyashRuntimeError(f"PluginError: {problem}")
        entry, full = self._names[name]
        self.load(entry)
        ffi, lib = _nyrt()
        argv = Args(args)
        out = ffi.new("nyrt_nyash_value*")
        try:
            code = lib.nyrt_tb_new(lib.nyrt_fast_key(full.encode()), argv.array, argv.count, out)
        finally:
            argv.release()
        if code:
            raise plugin_call_error("birth", name, code)
        return from_owned(out)

    def load(self, entry: PluginEntry) -> LoadResult:
        """Load `entry` once; raise its refusal as a NyashRuntimeError (every later use raises it again)."""
        with self._lock:
            result = self._results.get(entry.name)
            if result is None:
                _nyrt()
                result = self._results[entry.name] = load_entry(entry)
        if not result.ok:
            raise NyashRuntimeError(result.message())
        return result

    def load_all(self) -> None:
        """Load every enabled entry now (compiled code creates boxes through nyrt alone). What cannot be
        used is handed to nyrt as refusals, so `new NAME` fails where the program uses it, with the message
        `new` gives in the other modes."""
        ffi, lib = _nyrt()
        lib.nyrt_x_refuse_new(ffi.NULL, ffi.NULL)
        refusals = {name: f"PluginError: {problem}" for name, problem in self._problems.items()}
        for entry in self.config.enabled():
            try:
                self.load(entry)
            except NyashRuntimeError as err:
                for full in entry.types:
                    refusals.setdefault(short_name(full), err.message)
        for name, message in refusals.items():
            lib.nyrt_x_refuse_new(name.encode(), message.encode())

    def unload(self, entry: PluginEntry) -> None:
        """Unload a loaded entry; NyashRuntimeError while instances are alive."""
        with self._lock:
            result = self._results.get(entry.name)
            if result is None or not result.ok:
                return
            ffi, lib = binding.get()
            err = ffi.new("char[]", ERR_CAP)
            if lib.nyrt_plugin_unload(result.plugin_id, err, ERR_CAP):
                raise NyashRuntimeError(f"PluginError: cannot unload plugin {entry.name}: "
                                        + ffi.string(err).decode("utf-8", "replace"))
            del self._results[entry.name]

    def live(self, entry: PluginEntry) -> int:
        """Instances of the entry's types that the host holds (0 when it is not loaded)."""
        result = self._results.get(entry.name)
        return binding.get()[1].nyrt_plugin_live(result.plugin_id) if result and result.ok else 0


def _nyrt():
    """(ffi, lib); a failed build of nyrt is a runtime error of the program that needed a plugin."""
    from nyash_run.abi.build import NyrtBuildError
    try:
        return binding.get()
    except NyrtBuildError as err:
        raise NyashRuntimeError(f"PluginError: {err}") from None


# ---- loading one entry ---------------------------------------------------------------------------------------
def load_entry(entry: PluginEntry) -> LoadResult:
    """dlopen + init + validation (nyrt), then the nyash.toml checks: `types` equals what the library
    registered and every type speaks the declared abi. Core types the entry supplies are taken from nyrt
    first (nyrt puts them back if the load fails)."""
    result = LoadResult(entry)
    result.problems = [f"{full}: a plugin cannot supply this core type (nyrt makes its values itself)"
                       for full in entry.types if not replaceable(full)]
    if result.problems:
        return result
    ffi, lib = binding.get()
    for full in entry.types:
        key = lib.nyrt_fast_key(full.encode())
        if is_core(full) and lib.nyrt_tb_owner(key) == NYRT_ITSELF:
            lib.nyrt_tb_unregister(key)
    err = ffi.new("char[]", ERR_CAP)
    path = str(entry.path).encode()
    result.plugin_id = lib.nyrt_plugin_load(path, _symbol(entry.init_symbol), _symbol(entry.boxes_symbol),
                                            err, ERR_CAP)
    if result.plugin_id < 0:
        result.problems = _reasons(ffi.string(err).decode("utf-8", "replace"), str(entry.path))
        return result
    kinds = {}
    for i in range(lib.nyrt_plugin_type_count(result.plugin_id)):
        tb = lib.nyrt_plugin_type(result.plugin_id, i)
        name = ffi.string(tb.name).decode("utf-8")
        result.reported.append(name)
        kinds[name] = ABI_KIND_NAMES.get(tb.abi_kind, str(tb.abi_kind))
    result.problems = _toml_problems(entry, result.reported, kinds)
    if result.problems:
        lib.nyrt_plugin_unload(result.plugin_id, err, ERR_CAP)     # nothing can be live yet
        lib.nyrt_tb_restore_core()
    return result


def _symbol(name: str | None):
    return name.encode() if name else binding.get()[0].NULL


def _reasons(text: str, path: str) -> list[str]:
    """nyrt's lines "PATH: REASON" without the path (the message names the file once)."""
    prefix = path + ": "
    return [line[len(prefix):] if line.startswith(prefix) else line for line in text.splitlines() if line]


def _toml_problems(entry: PluginEntry, reported: list[str], kinds: dict[str, str]) -> list[str]:
    problems = []
    if set(reported) != set(entry.types):
        problems.append(f"types mismatch: nyash.toml lists {_names(entry.types)}, "
                        f"the library reports {_names(reported)}")
    for name in reported:
        if kinds[name] != entry.abi:
            problems.append(f"{name}: abi mismatch (nyash.toml says {entry.abi}, the TypeBox is {kinds[name]})")
    return problems


def _names(names) -> str:
    return "[" + ", ".join(sorted(names)) + "]"


# ---- `nyash plugins verify` --------------------------------------------------------------------------------
def check(config: Config) -> list[LoadResult]:
    """Load every entry and run every check, in an order that lets each be judged on its own: disabled
    entries first, each unloaded again right after, then the enabled ones together (so that two enabled
    plugins supplying one type are caught as a duplicate)."""
    ffi, lib = binding.get()
    results = {}
    err = ffi.new("char[]", ERR_CAP)
    for entry in [e for e in config.plugins if not e.enabled]:
        results[entry.name] = load_entry(entry)
        if results[entry.name].ok:
            lib.nyrt_plugin_unload(results[entry.name].plugin_id, err, ERR_CAP)
            lib.nyrt_tb_restore_core()
    for entry in config.enabled():
        results[entry.name] = load_entry(entry)
    return [results[entry.name] for entry in config.plugins]
