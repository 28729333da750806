"""How Nyash values are represented in Python (language.md §6.1).

In: nothing. Out: the value classes every Python-side backend (interpreter, VM) and the constant folder use.

Immutable scalars are plain Python objects so arithmetic stays fast:

    Int -> int (always in the i64 range)   Float -> float   Bool -> bool   String -> str
    void -> None                           null -> NULL (the one NullValue)

Test Int with `type(v) is int`, never isinstance (bool is a subclass of int). Every other value is an
instance of a class below. Instances of user boxes and singletons are `Instance`; their class object is
supplied by the backend and only needs `.name` and `.is_static` here.
"""
from __future__ import annotations

from typing import Any, Callable

I64_MIN = -(1 << 63)
I64_MAX = (1 << 63) - 1


class NullValue:
    """The `null` value; there is exactly one (NULL)."""
    __slots__ = ()

    def __repr__(self) -> str:
        return "NULL"


NULL = NullValue()
VOID = None


class ArrayBox:
    """A mutable list of values; never copied implicitly."""
    __slots__ = ("items",)

    def __init__(self, items: list | None = None):
        self.items = items if items is not None else []


class MapBox:
    """Keys are display strings; a dict keeps insertion order, updates keep their place."""
    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}


class ResultBox:
    """`Ok(value)` when ok, else `Err(value)`; immutable."""
    __slots__ = ("ok", "value")

    def __init__(self, ok: bool, value: Any):
        self.ok = ok
        self.value = value


class ErrorBox:
    """An exception value with its plain message."""
    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


class ConsoleBox:
    __slots__ = ()


class MathBox:
    __slots__ = ()


class FunctionBox:
    """(T2) A lambda. `invoke(args: list)` is supplied by the backend and checks the argument count."""
    __slots__ = ("invoke",)

    def __init__(self, invoke: Callable[[list], Any]):
        self.invoke = invoke


class FutureBox:
    """(T2) A ready future holding `value` (nowait is synchronous, language.md §9.3)."""
    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


class Instance:
    """An instance of a user box or a static box's singleton; identity is object identity."""
    __slots__ = ("cls", "fields", "serial")

    def __init__(self, cls: Any, fields: dict[str, Any], serial: int):
        self.cls = cls
        self.fields = fields
        self.serial = serial
