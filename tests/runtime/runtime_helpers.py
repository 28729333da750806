"""Plain helpers for the runtime tests (importable by name, unlike conftest modules)."""
from __future__ import annotations

import types

from nyash_run.runtime.values import Instance


def make_instance(name: str, serial: int, is_static: bool = False) -> Instance:
    return Instance(types.SimpleNamespace(name=name, is_static=is_static), {}, serial)
