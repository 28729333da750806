"""Run-time state shared by the interpreter's compiled closures.

In: nothing (created once per run). Out: the mutable state of one run (globals, the serial counter, the
call depth) and the small vocabulary compiled code uses: frame slots, statement signals, the unbound marker.

A frame is a Python list: slot 0 holds `me`, slot 1 the pending return value, slots 2.. the activation's
local names in the order syntax.scopes gives. A compiled statement returns None to go on, or one of the
signals BREAK, CONTINUE, RETURN (the value is then in slot 1).
"""
from __future__ import annotations

from nyash_run.diagnostics import Span
from nyash_run.runtime.errors import NyashRuntimeError

ME_SLOT = 0
RETURN_SLOT = 1
FIRST_LOCAL = 2

MAX_CALL_DEPTH = 10_000


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNBOUND = _Marker("UNBOUND")
BREAK = _Marker("BREAK")
CONTINUE = _Marker("CONTINUE")
RETURN = _Marker("RETURN")


class ExprSignal(Exception):
    """Carries BREAK/CONTINUE/RETURN out of an expression (a `peek` block arm) to its statement."""

    def __init__(self, signal: _Marker):
        super().__init__(signal.name)
        self.signal = signal


class EarlyReturn(Exception):
    """(T2) `e?` on an Err: the enclosing function returns `value` at once (finally blocks still run)."""

    def __init__(self, value):
        super().__init__("early return")
        self.value = value


class RunState:
    """Everything a run mutates besides frames and objects."""

    def __init__(self) -> None:
        self.globals: dict[str, object] = {}
        self.serial = 0
        self.depth = 0

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


def fail(message: str, span: Span | None) -> NyashRuntimeError:
    """A runtime error at a position, for `raise fail(...)`."""
    return NyashRuntimeError(message, span)
