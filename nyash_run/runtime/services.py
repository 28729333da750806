"""Methods of the remaining builtin values: ConsoleBox, ResultBox, ErrorBox, null, BoolBox, void, and the
Tier-2 FunctionBox and FutureBox (language.md §7.0, §7.7, §7.9, §9.2, §9.3).

In: a receiver of one of those kinds and arguments checked by methodspec. Out: one method table per kind.
ConsoleBox writes through output.write, so tests and drivers redirect it with the rest of the program output.
"""
from __future__ import annotations

from typing import Any

from nyash_run.runtime import output
from nyash_run.runtime.methodspec import declare

# --- ConsoleBox: every method returns void ----------------------------------------------------------------


def _console_line(prefix: str):
    def method(_console, *texts: str) -> None:
        output.write(prefix + " ".join(texts) + "\n")
    return method


def _console_clear(_console) -> None:
    output.write("[Console CLEAR]\n")


CONSOLE_METHODS = declare({
    "log": ("s+", _console_line("[Console LOG] ")),
    "warn": ("s+", _console_line("[Console WARN] ")),
    "error": ("s+", _console_line("[Console ERROR] ")),
    "println": ("s*", _console_line("")),
    "clear": ("", _console_clear),
})

# --- ResultBox --------------------------------------------------------------------------------------------


def _is_ok(r) -> bool:
    return r.ok


def _is_err(r) -> bool:
    return not r.ok


def _get_value(r) -> Any:
    return r.value if r.ok else "Error: Result is Err"  # a returned String, not an error (§7.0)


def _get_error(r) -> Any:
    return None if r.ok else r.value  # void for Ok


RESULT_METHODS = declare({
    "isOk": ("", _is_ok),
    "is_ok": ("", _is_ok),
    "isErr": ("", _is_err),
    "getValue": ("", _get_value),
    "get_value": ("", _get_value),
    "getError": ("", _get_error),
    "get_error": ("", _get_error),
})

# --- ErrorBox, null, BoolBox, void ------------------------------------------------------------------------


def _get_message(e) -> str:
    return e.message


def _true(_v) -> bool:
    return True


def _false(_v) -> bool:
    return False


def _get_or_default(_null, default: Any) -> Any:
    return default


ERROR_METHODS = declare({"getMessage": ("", _get_message)})
NULL_METHODS = declare({
    "is_null": ("", _true),
    "is_not_null": ("", _false),
    "get_or_default": ("v", _get_or_default),
})
BOOL_METHODS = declare({})
VOID_METHODS = declare({})  # only toString/equals; anything else is "Cannot call method ... non-instance"

# --- FunctionBox and FutureBox (T2) -----------------------------------------------------------------------


def _call(f, *args: Any) -> Any:
    return f.invoke(list(args))  # the backend's invoke checks the count (`Lambda expects N arguments, got M`)


def _future_get(fut) -> Any:
    return fut.value


FUNCTION_METHODS = declare({"call": ("v*", _call)})
FUTURE_METHODS = declare({"isReady": ("", _true), "get": ("", _future_get)})
