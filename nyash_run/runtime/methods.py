"""Method calls on builtin values (language.md §7): one dispatcher over the per-type tables.

In: a receiver that is not a user instance (the backend dispatches instances itself, §5.3), a method name and
the evaluated arguments. Out: the method's result, or NyashRuntimeError with the §7 message (`Unknown method
'm' for TYPE`, `Cannot call method 'm' on non-instance type`, arity and argument-kind messages, the
method's own errors).

`construct`, `CONSTRUCTIBLE`, `BUILTIN_BOX_NAMES`, `result_ok` and `result_err` (constructors.py) are
re-exported here. A backend that knows a receiver's Python type ahead of time can fetch the Method once with `lookup_method`
and call `method.invoke(recv, args)` directly.
"""
from __future__ import annotations

from typing import Any, Callable

from nyash_run.runtime.constructors import (  # re-exported: `new` of builtins belongs with method calls
    BUILTIN_BOX_NAMES, CONSTRUCTIBLE, construct, result_err, result_ok,
)
from nyash_run.runtime.containers import ARRAY_METHODS, MAP_METHODS
from nyash_run.runtime.display import display, register_display, type_name
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.methodspec import Method, declare
from nyash_run.runtime.numbers import FLOAT_METHODS, INTEGER_METHODS, MATH_METHODS
from nyash_run.runtime.services import (
    BOOL_METHODS, CONSOLE_METHODS, ERROR_METHODS, FUNCTION_METHODS, FUTURE_METHODS, NULL_METHODS,
    RESULT_METHODS, VOID_METHODS,
)
from nyash_run.runtime.strings import STRING_METHODS
from nyash_run.runtime.values import (
    ArrayBox, ConsoleBox, ErrorBox, FunctionBox, FutureBox, Instance, MapBox, MathBox, NullValue, ResultBox,
)

__all__ = [
    "METHOD_TABLES", "call_method", "lookup_method", "has_method", "register_box_class", "Method",
    "BUILTIN_BOX_NAMES", "CONSTRUCTIBLE", "construct", "result_err", "result_ok",
]

METHOD_TABLES: dict[type, dict[str, Method]] = {
    str: STRING_METHODS,
    int: INTEGER_METHODS,
    float: FLOAT_METHODS,
    bool: BOOL_METHODS,
    NullValue: NULL_METHODS,
    type(None): VOID_METHODS,
    ArrayBox: ARRAY_METHODS,
    MapBox: MAP_METHODS,
    ConsoleBox: CONSOLE_METHODS,
    MathBox: MATH_METHODS,
    ResultBox: RESULT_METHODS,
    ErrorBox: ERROR_METHODS,
    FunctionBox: FUNCTION_METHODS,
    FutureBox: FUTURE_METHODS,
}


def call_method(recv: Any, name: str, args: list) -> Any:
    """`recv.name(*args)` for a builtin receiver."""
    table = METHOD_TABLES.get(type(recv))
    if table is not None:
        method = table.get(name)
        if method is not None:
            return method.invoke(recv, args)
    return _method_missing(recv, name, args)


def lookup_method(recv_type: type, name: str) -> Method | None:
    """The Method that `call_method` would use for receivers of exactly this Python type, or None."""
    table = METHOD_TABLES.get(recv_type)
    return None if table is None else table.get(name)


def has_method(recv: Any, name: str) -> bool:
    """Whether `recv.name(...)` reaches a builtin method (for user instances: only the toString fallback)."""
    if type(recv) is Instance:
        return name == "toString"
    return lookup_method(type(recv), name) is not None


def _method_missing(recv: Any, name: str, args: list) -> Any:
    own = getattr(type(recv), "__nyash_call__", None)  # a plugin box (runtime/external.py)
    if own is not None:
        return own(recv, name, args)
    if recv is None:
        raise NyashRuntimeError(f"Cannot call method '{name}' on non-instance type")
    if type(recv) is Instance:
        # Reached only after the backend found no user method: §5.3's toString fallback, else not found.
        if name == "toString" and not args:
            return display(recv)
        raise NyashRuntimeError(f"Method '{name}' not found in {recv.cls.name}")
    raise NyashRuntimeError(f"Unknown method '{name}' for {type_name(recv)}")


def register_box_class(cls: type, box_name: str, display_fn: Callable[[Any], str],
                       specs: dict[str, tuple[str, Callable[..., Any]]]) -> None:
    """Make values of a class defined outside the runtime (e.g. a plugin box proxy) behave as builtin boxes:
    named `box_name` in messages, displayed by `display_fn`, with methods declared as in methodspec."""
    register_display(cls, box_name, display_fn)
    METHOD_TABLES[cls] = declare(specs)
