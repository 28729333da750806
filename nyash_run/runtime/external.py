"""Boxes supplied from outside the Python runtime (plugins, through nyash_run.abi).

In: a set of box names and a factory, installed by the driver when a nyash.toml provides plugin types.
Out: `new NAME(args)` for those names, before the builtins (a plugin may replace a core type such as MapBox).

The values such a factory returns follow a small protocol, so the runtime needs no knowledge of the ABI:
`__nyash_call__(name, args)` runs a method, `__nyash_display__()` gives the display string and
`__nyash_type__()` the type name used in messages. Equality is identity (language.md §6.6, last row).
"""
from __future__ import annotations

from typing import Any, Callable

_names: frozenset[str] = frozenset()
_factory: Callable[[str, list], Any] | None = None
_preload: Callable[[], None] | None = None


def set_external_boxes(names, factory: Callable[[str, list], Any] | None,
                       preload: Callable[[], None] | None = None) -> None:
    """Route `new NAME(...)` for each of `names` to `factory(NAME, args)`; `names=()` removes the hook.
    `preload()` makes every box available to native code up front (compiled code creates plugin boxes
    through nyrt, which cannot ask Python to load a library at that moment)."""
    global _names, _factory, _preload
    _names = frozenset(names)
    _factory = factory if _names else None
    _preload = preload if _names else None


def preload_external() -> None:
    if _preload is not None:
        _preload()


def external_names() -> frozenset[str]:
    return _names


def construct_external(name: str, args: list) -> Any:
    return _factory(name, args)


def is_external_value(value: Any) -> bool:
    return hasattr(type(value), "__nyash_call__")
