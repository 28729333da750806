"""Binary and unary operators, truthiness, ordering and equality (language.md §6.2–§6.7).

In: two (or one) runtime values. Out: the result value, or NyashRuntimeError with the spec's message (no span;
the backend attaches the operator's position). Every function tests the common case first (two Ints by exact
`type(...) is int`, since bool is a subclass of int in Python). `BINARY_OPS` maps each operator token to its
function; `binop(op, a, b)` is the same through one call. Constant folding calls these very functions.
"""
from __future__ import annotations

from typing import Any, Callable

from nyash_run.runtime.display import display, type_name
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.numeric import (
    c_fmod, float_to_int, int_div, int_mod, int_to_float, wrap,
)
from nyash_run.runtime.values import I64_MAX, I64_MIN, NULL, ArrayBox, ResultBox

__all__ = [
    "add", "sub", "mul", "div", "mod", "lt", "le", "gt", "ge", "eq", "ne", "truthy", "neg", "not_",
    "BINARY_OPS", "binop", "wrap", "int_div", "int_mod", "float_to_int", "int_to_float",
]


def _unsupported(op_name: str, a: Any, b: Any) -> NyashRuntimeError:
    return NyashRuntimeError(f"{op_name} not supported between {type_name(a)} and {type_name(b)}")


def _both_numeric(ta: type, tb: type) -> bool:
    return (ta is int or ta is float) and (tb is int or tb is float)


def add(a: Any, b: Any) -> Any:
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        r = a + b
        return r if I64_MIN <= r <= I64_MAX else wrap(r)
    if ta is str:  # rows 1 and 2: a String on either side concatenates
        return a + (b if tb is str else display(b))
    if tb is str:
        return display(a) + b
    if _both_numeric(ta, tb):
        return float(a) + float(b)
    if ta is bool and tb is bool:
        return int(a) + int(b)
    raise _unsupported("Addition", a, b)


def sub(a: Any, b: Any) -> Any:
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        r = a - b
        return r if I64_MIN <= r <= I64_MAX else wrap(r)
    if _both_numeric(ta, tb):
        return float(a) - float(b)
    raise _unsupported("Subtraction", a, b)


def _repeat(s: str, n: int) -> str:
    if n <= 0 or not s:
        return ""
    try:
        return s * n
    except (MemoryError, OverflowError):
        # The spec has no message for this; a String that size cannot exist on any backend.
        raise NyashRuntimeError("Out of memory") from None


def mul(a: Any, b: Any) -> Any:
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        r = a * b
        return r if I64_MIN <= r <= I64_MAX else wrap(r)
    if _both_numeric(ta, tb):
        return float(a) * float(b)
    if ta is str and tb is int:
        return _repeat(a, b)
    raise _unsupported("Multiplication", a, b)


def div(a: Any, b: Any) -> Any:
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        if b == 0:
            raise NyashRuntimeError("Division by zero")
        return int_div(a, b)
    if _both_numeric(ta, tb):
        if b == 0:  # Int 0, 0.0 and -0.0 alike
            raise NyashRuntimeError("Division by zero")
        return float(a) / float(b)  # a finite quotient may still overflow to inf; Python does not raise
    raise _unsupported("Division", a, b)


def mod(a: Any, b: Any) -> Any:
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        if b == 0:
            raise NyashRuntimeError("Modulo by zero")
        return int_mod(a, b)
    if _both_numeric(ta, tb):
        if b == 0:
            raise NyashRuntimeError("Modulo by zero")
        return c_fmod(float(a), float(b))
    raise _unsupported("Modulo", a, b)


# Ordering (§6.5). Mixed numeric operands compare as Floats: the Int is converted first, so
# 2**53 + 1 < 2.0**53 is false even though Python's exact int/float comparison would say otherwise.

def lt(a: Any, b: Any) -> bool:
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        return a < b
    if _both_numeric(ta, tb):
        return float(a) < float(b)
    return display(a) < display(b)  # Python compares str by code point


def le(a: Any, b: Any) -> bool:
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        return a <= b
    if _both_numeric(ta, tb):
        return float(a) <= float(b)
    return display(a) <= display(b)


def gt(a: Any, b: Any) -> bool:
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        return a > b
    if _both_numeric(ta, tb):
        return float(a) > float(b)
    return display(a) > display(b)


def ge(a: Any, b: Any) -> bool:
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        return a >= b
    if _both_numeric(ta, tb):
        return float(a) >= float(b)
    return display(a) >= display(b)


# Equality (§6.6)

def eq(a: Any, b: Any) -> bool:
    ta = type(a)
    tb = type(b)
    if ta is tb:
        if ta is int or ta is str or ta is bool or ta is float:
            return a == b  # for Floats no identity shortcut: a NaN equals nothing, not even itself
        if ta is ArrayBox or ta is ResultBox:
            return a is b or _deep_eq(a, b)
        return a is b or (ta is type(None))  # void == void; everything else is identity
    if _both_numeric(ta, tb):
        return float(a) == float(b)
    return (a is None or a is NULL) and (b is None or b is NULL)


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def _deep_eq(a: Any, b: Any) -> bool:
    """Structural equality of two arrays (or two results), without recursion.

    The answer is a conjunction over every pair reachable by pairwise descent, so a pair already seen can be
    skipped: if it is still being compared the spec counts it as equal, and if it was compared already any
    difference would have ended the search. That makes shared and cyclic structures cost linear time.
    """
    seen: set[tuple[int, int]] = set()
    work = [(a, b)]
    while work:
        x, y = work.pop()
        if x is y:
            continue
        key = (id(x), id(y))
        if key in seen:
            continue
        seen.add(key)
        if type(x) is ResultBox:
            if x.ok != y.ok or not _shallow_eq(x.value, y.value, work):
                return False
            continue
        xs = x.items
        ys = y.items
        if len(xs) != len(ys):
            return False
        for p, q in zip(xs, ys):
            if not _shallow_eq(p, q, work):
                return False
    return True


def _shallow_eq(p: Any, q: Any, work: list) -> bool:
    """Compare p and q now, or queue them when both are arrays or both results (then assume equal for now)."""
    tp = type(p)
    if (tp is ArrayBox or tp is ResultBox) and type(q) is tp:
        work.append((p, q))
        return True
    return eq(p, q)


# Truthiness, logical and unary operators (§6.2, §6.7)

def truthy(v: Any) -> bool:
    t = type(v)
    if t is bool:
        return v
    if t is int:
        return v != 0
    if t is str:
        return v != ""
    return v is not None  # null, every Float, arrays, maps, instances... are truthy; only void is not


def not_(v: Any) -> bool:
    return not truthy(v)


def neg(v: Any) -> Any:
    t = type(v)
    if t is int:
        return -v if v != I64_MIN else I64_MIN  # wrap(-MIN) is MIN
    if t is float:
        return -v
    raise NyashRuntimeError("Unary minus can only be applied to Integer or Float")


BINARY_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": add, "-": sub, "*": mul, "/": div, "%": mod,
    "==": eq, "!=": ne, "<": lt, "<=": le, ">": gt, ">=": ge,
}

UNARY_OPS: dict[str, Callable[[Any], Any]] = {"-": neg, "not": not_}


def binop(op: str, a: Any, b: Any) -> Any:
    """Apply the binary operator spelt `op` (a key of BINARY_OPS)."""
    return BINARY_OPS[op](a, b)
