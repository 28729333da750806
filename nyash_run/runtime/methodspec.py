"""How builtin methods are declared: a signature string per method, from which arity and argument checks derive
(language.md §7.0).

In: a dict `method name -> (signature, function)`. Out: a dict `method name -> Method`, where
`Method.invoke(recv, args)` checks the count, converts the arguments and calls `function(recv, *args)`.

Signature letters: `v` any value (passed as is), `s` any value passed as its display string, `i` an Int
(else `NAME() requires integer arguments`), `x` an Int or a Float (else `NAME() requires numeric
arguments`). Letters inside `[...]` are optional and passed only when given; a final `+` or `*` repeats the
last letter (at least once / any number of times), e.g. `""`, `"i[i]"`, `"s[i]"`, `"v+"`, `"v*"`.
Every table also gets the universal `toString()` and `equals(v)`.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable

from nyash_run.diagnostics import plural
from nyash_run.runtime.display import display
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.operators import eq

_VARIADIC_MAX = 1 << 62  # "no upper bound", as an int so invoke needs no None test


def _as_display(name: str, arg: Any) -> str:
    return display(arg)


def _as_int(name: str, arg: Any) -> int:
    if type(arg) is int:
        return arg
    raise NyashRuntimeError(f"{name}() requires integer arguments")


def _as_number(name: str, arg: Any) -> Any:
    t = type(arg)
    if t is int or t is float:
        return arg
    raise NyashRuntimeError(f"{name}() requires numeric arguments")


def _passes(check, kind: str) -> bool:
    if check is None:
        return True
    if check is _as_int:
        return kind == "int"
    if check is _as_number:
        return kind in ("int", "float")
    return check is _as_display and kind == "string"


# signature letter -> argument check/conversion (None: passed as is)
_CHECKS: dict[str, Callable[[str, Any], Any] | None] = {
    "v": None, "s": _as_display, "i": _as_int, "x": _as_number,
}


class Method:
    """One builtin method: its name, argument bounds and kinds, and the function implementing it."""
    __slots__ = ("name", "min_args", "max_args", "fn", "checks", "rest_check")

    def __init__(self, name: str, signature: str, fn: Callable[..., Any]):
        self.name = name
        self.fn = fn
        self.min_args, max_args, kinds, rest = _parse_signature(signature)
        self.max_args = _VARIADIC_MAX if max_args is None else max_args
        checks = tuple(_CHECKS[k] for k in kinds)
        self.rest_check = None if rest is None else _CHECKS[rest]
        # checks is None when every argument passes unchanged, so invoke skips conversion entirely
        self.checks = None if all(c is None for c in checks) and self.rest_check is None else checks

    def invoke(self, recv: Any, args: list) -> Any:
        n = len(args)
        if n < self.min_args or n > self.max_args:
            raise NyashRuntimeError(self.arity_message(n))
        checks = self.checks
        if checks is None:
            return self.fn(recv, *args)
        name = self.name
        if self.rest_check is None:  # one and two arguments are by far the most common: no generic loop
            if n == 1:
                c = checks[0]
                a = args[0]
                return self.fn(recv, a if c is None else c(name, a))
            if n == 2:
                c0, c1 = checks[0], checks[1]
                a0, a1 = args
                a0 = a0 if c0 is None else c0(name, a0)  # left to right: the first bad argument is reported
                return self.fn(recv, a0, a1 if c1 is None else c1(name, a1))
        else:
            checks = itertools.chain(checks, itertools.repeat(self.rest_check))
        return self.fn(recv, *[a if c is None else c(name, a) for c, a in zip(checks, args)])

    def direct_call_ok(self, kinds: list[str]) -> bool:
        """Whether `fn(recv, *args)` may be called directly, skipping `invoke`: the count fits and every
        argument's static kind ('int', 'float', 'string', ... as a compiler knows it) passes its check
        unchanged (an `s` argument only when it is already a String)."""
        n = len(kinds)
        if not self.min_args <= n <= self.max_args:
            return False
        if self.checks is None:
            return True
        checks = list(self.checks) + [self.rest_check] * max(0, n - len(self.checks))
        return all(_passes(check, kind) for check, kind in zip(checks, kinds))

    def arity_message(self, got: int) -> str:
        lo, hi = self.min_args, self.max_args
        if hi == _VARIADIC_MAX:
            wanted = f"at least {plural(lo, 'argument')}"
        elif lo == hi:
            wanted = plural(lo, "argument")
        elif hi == lo + 1:
            wanted = f"{lo} or {hi} arguments"
        else:
            wanted = f"{lo} to {hi} arguments"
        return f"{self.name}() expects {wanted}, got {got}"


def _parse_signature(signature: str) -> tuple[int, int | None, str, str | None]:
    """`"s[i]"` -> (1, 2, "si", None); `"v+"` -> (1, None, "v", "v"); `"v*"` -> (0, None, "", "v")."""
    rest = None
    body = signature
    if body.endswith(("+", "*")):
        rest = body[-2]
        body = body[:-2] + (rest if signature[-1] == "+" else "")
    required, _, optional = body.partition("[")
    optional = optional.rstrip("]")
    kinds = required + optional
    if not set(kinds) <= _CHECKS.keys() or (rest is not None and rest not in _CHECKS):
        raise ValueError(f"bad method signature {signature!r}")
    max_args = None if rest is not None else len(kinds)
    return len(required), max_args, kinds, rest


def _to_string(recv: Any) -> str:
    return display(recv)


def _equals(recv: Any, other: Any) -> bool:
    return eq(recv, other)


def declare(specs: dict[str, tuple[str, Callable[..., Any]]]) -> dict[str, Method]:
    """Build a method table from `name -> (signature, fn)`, adding the universal toString and equals."""
    table = {"toString": Method("toString", "", _to_string), "equals": Method("equals", "v", _equals)}
    for name, (signature, fn) in specs.items():
        table[name] = Method(name, signature, fn)
    return table
