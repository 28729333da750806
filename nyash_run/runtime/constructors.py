"""`new X(args)` for the constructible builtin boxes, and `Result.Ok` / `Result.Err` (language.md §7.1, §7.9).

In: a box name and the evaluated arguments. Out: the new value, or NyashRuntimeError: a wrong count
(`TYPE constructor expects N arguments, got M`), a failed conversion (`Cannot convert 'D' to integer`), or
`Unknown Box type: X` for a name that is not constructible here (the backend tries user boxes and plugin
boxes before calling `construct`).
"""
from __future__ import annotations

from nyash_run.runtime import external

from typing import Any, Callable

from nyash_run.diagnostics import plural
from nyash_run.runtime.display import display
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.numeric import float_to_int, parse_float, parse_i64
from nyash_run.runtime.values import NULL, ArrayBox, ConsoleBox, MapBox, MathBox, ResultBox

# The type names of §6.1 other than user box names; a user box may not take one of them (§3.1).
BUILTIN_BOX_NAMES: frozenset[str] = frozenset({
    "IntegerBox", "FloatBox", "StringBox", "BoolBox", "NullBox", "VoidBox", "ArrayBox", "MapBox",
    "ConsoleBox", "MathBox", "ResultBox", "ErrorBox", "FunctionBox", "FutureBox",
})


def result_ok(value: Any) -> ResultBox:
    return ResultBox(True, value)


def result_err(error: Any) -> ResultBox:
    return ResultBox(False, error)


def _conversion_error(v: Any, target: str) -> NyashRuntimeError:
    return NyashRuntimeError(f"Cannot convert '{display(v)}' to {target}")


def _new_string(v: Any = "") -> str:
    return display(v)


def _new_integer(v: Any = 0) -> int:
    t = type(v)
    if t is int:
        return v
    if t is float:
        return float_to_int(v)
    if t is str:
        n = parse_i64(v)
        if n is not None:
            return n
    raise _conversion_error(v, "integer")


def _new_float(v: Any = 0.0) -> float:
    t = type(v)
    if t is float:
        return v
    if t is int:
        return float(v)
    if t is str:
        x = parse_float(v)
        if x is not None:
            return x
    raise _conversion_error(v, "float")


def _new_bool(v: Any = False) -> bool:
    if type(v) is bool:
        return v
    text = display(v).lower()
    if text == "true":
        return True
    if text == "false":
        return False
    raise _conversion_error(v, "boolean")


# name -> (minimum count, maximum count, function of the arguments)
_CONSTRUCTORS: dict[str, tuple[int, int, Callable[..., Any]]] = {
    "StringBox": (0, 1, _new_string),
    "IntegerBox": (0, 1, _new_integer),
    "FloatBox": (0, 1, _new_float),
    "BoolBox": (0, 1, _new_bool),
    "NullBox": (0, 0, lambda: NULL),
    "ArrayBox": (0, 0, ArrayBox),
    "MapBox": (0, 0, MapBox),
    "ConsoleBox": (0, 0, ConsoleBox),
    "MathBox": (0, 0, MathBox),
    "ResultBox": (1, 1, result_ok),
}

CONSTRUCTIBLE: frozenset[str] = frozenset(_CONSTRUCTORS)


def construct(name: str, args: list) -> Any:
    """`new name(*args)` for a box supplied by a plugin, else a builtin box of §7.1."""
    if name in external.external_names():
        return external.construct_external(name, args)
    entry = _CONSTRUCTORS.get(name)
    if entry is None:
        raise NyashRuntimeError(f"Unknown Box type: {name}")
    lo, hi, fn = entry
    if not lo <= len(args) <= hi:
        wanted = plural(lo, "argument") if lo == hi else f"{lo} or {hi} arguments"
        raise NyashRuntimeError(f"{name} constructor expects {wanted}, got {len(args)}")
    return fn(*args)
