"""Display strings and type names of values (language.md §6.1, §6.8).

In: any runtime value (values.py). Out: `display(v)`, the text `print`, `+` with a String, `join`, map keys
and `toString()` use; `type_name(v)`, the box name that appears in messages.

Containers are displayed with an explicit work stack instead of recursion, so an array nested thousands of
levels deep cannot hit Python's recursion limit; an array met again while it is being displayed shows `[...]`.
Classes supplied from outside the runtime (plugin boxes) can join in through `register_display`.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from nyash_run.runtime.values import (
    NULL, ArrayBox, ConsoleBox, ErrorBox, FunctionBox, FutureBox, Instance, MapBox, MathBox, NullValue,
    ResultBox,
)

_TYPE_NAMES: dict[type, str] = {
    int: "IntegerBox", float: "FloatBox", str: "StringBox", bool: "BoolBox", NullValue: "NullBox",
    type(None): "VoidBox", ArrayBox: "ArrayBox", MapBox: "MapBox", ConsoleBox: "ConsoleBox",
    MathBox: "MathBox", ResultBox: "ResultBox", ErrorBox: "ErrorBox", FunctionBox: "FunctionBox",
    FutureBox: "FutureBox",
}

# Displays of external classes: type -> function(value) -> str (see register_display).
_EXTERNAL_DISPLAY: dict[type, Callable[[Any], str]] = {}


def register_display(cls: type, type_name: str, display_fn: Callable[[Any], str]) -> None:
    """Let values of a class defined outside the runtime (e.g. a plugin box proxy) be named and displayed."""
    _TYPE_NAMES[cls] = type_name
    _EXTERNAL_DISPLAY[cls] = display_fn


def type_name(v: Any) -> str:
    """The §6.1 type name: a builtin box name, or the user box name of an instance or singleton."""
    name = _TYPE_NAMES.get(type(v))
    if name is not None:
        return name
    if type(v) is Instance:
        return v.cls.name
    external = getattr(v, "__nyash_type__", None)     # a plugin box (runtime/external.py)
    if external is not None:
        return external()
    return type(v).__name__  # not a Nyash value; only reachable through a backend bug


def display_float(x: float) -> str:
    """Shortest round-trip digits, never an exponent, no trailing `.0` (the spec's reference, verbatim)."""
    if x != x:
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = repr(x)
    if "e" in text:  # 1e+16 -> 10000000000000000, 1e-07 -> 0.0000001
        from decimal import Decimal  # imported on first use: most programs never print such a Float
        text = format(Decimal(text), "f")
    return text[:-2] if text.endswith(".0") else text


def _instance_display(v: Instance) -> str:
    cls = v.cls
    if cls.is_static:
        return f"<{cls.name}_singleton instance #{v.serial}>"
    return f"<{cls.name} instance #{v.serial}>"


def _leaf_display(v: Any) -> str:
    """Display of a value that cannot contain other values."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is bool:
        return "true" if v else "false"
    if t is float:
        return display_float(v)
    if v is None:
        return "void"
    if v is NULL:
        return "null"
    if t is Instance:
        return _instance_display(v)
    if t is MapBox:
        return f"MapBox(size={len(v.data)})"
    if t is ErrorBox:
        return f"ErrorBox({v.message})"
    if t is ConsoleBox:
        return "ConsoleBox()"
    if t is MathBox:
        return "MathBox()"
    if t is FunctionBox:
        return "FunctionBox()"
    external = _EXTERNAL_DISPLAY.get(t)
    if external is not None:
        return external(v)
    own = getattr(v, "__nyash_display__", None)       # a plugin box (runtime/external.py)
    if own is not None:
        return own()
    return f"{type_name(v)}()"


class _Frame:
    """One container being displayed: the rest of its elements, its closing text, and for an array its id."""
    __slots__ = ("rest", "close", "key", "comma")

    def __init__(self, rest, close: str, key: int | None):
        self.rest = rest
        self.close = close
        self.key = key
        self.comma = False


def _open(v: Any, out: list, stack: list, active: set) -> None:
    """Emit the opening of container `v` and push its frame (an empty or re-met array is emitted whole)."""
    t = type(v)
    if t is ArrayBox:
        key = id(v)
        if key in active:
            out.append("[...]")
        elif not v.items:
            out.append("[]")
        else:
            active.add(key)
            out.append("[")
            stack.append(_Frame(iter(v.items), "]", key))
    elif t is ResultBox:
        out.append("Ok(" if v.ok else "Err(")
        stack.append(_Frame(iter((v.value,)), ")", None))
    else:  # FutureBox
        out.append("Future(ready: ")
        stack.append(_Frame(iter((v.value,)), ")", None))


def _display_container(root: Any) -> str:
    """Display of arrays, results and futures, which may nest (and arrays may contain themselves)."""
    out: list[str] = []
    active: set[int] = set()  # ids of the arrays whose display is in progress
    stack: list[_Frame] = []
    _open(root, out, stack, active)
    while stack:
        frame = stack[-1]
        for v in frame.rest:
            if frame.comma:
                out.append(", ")
            frame.comma = frame.key is not None  # only arrays separate elements
            t = type(v)
            if t is int:
                out.append(str(v))
            elif t is str:
                out.append(v)
            elif t is ArrayBox or t is ResultBox or t is FutureBox:
                _open(v, out, stack, active)
                break  # continue with the nested container; this frame resumes afterwards
            else:
                out.append(_leaf_display(v))
        else:
            stack.pop()
            out.append(frame.close)
            if frame.key is not None:
                active.discard(frame.key)
    return "".join(out)


def display(v: Any) -> str:
    """The display string of §6.8."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is ArrayBox or t is ResultBox or t is FutureBox:
        return _display_container(v)
    return _leaf_display(v)
