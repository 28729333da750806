"""The execution modes and which of them this build provides.

In: a mode name from the command line. Out: an ExecutionMode and the module implementing it.
"""
from __future__ import annotations

import enum


class ExecutionMode(enum.Enum):
    INTERP = "interp"
    VM = "vm"
    WASM = "wasm"
    LLVM = "llvm"
    ADAPTIVE = "adaptive"


# Module implementing each mode; a mode missing here is not available in this build.
BACKEND_MODULES: dict[ExecutionMode, str] = {
    ExecutionMode.INTERP: "nyash_run.backends.interp",
    ExecutionMode.VM: "nyash_run.backends.vm",
    ExecutionMode.LLVM: "nyash_run.backends.llvm",
}

DEFAULT_MODE = ExecutionMode.INTERP


def available_modes() -> list[ExecutionMode]:
    return [mode for mode in ExecutionMode if mode in BACKEND_MODULES]


def parse_mode(name: str) -> ExecutionMode:
    """The mode called `name`; ValueError with the user-facing message otherwise."""
    try:
        mode = ExecutionMode(name)
    except ValueError:
        names = ", ".join(m.value for m in ExecutionMode)
        raise ValueError(f"unknown mode '{name}' (choose from {names})") from None
    if mode not in BACKEND_MODULES:
        raise ValueError(f"mode '{name}' is not available in this build")
    return mode
