"""The one place Python touches nyrt: the built cffi module, initialised once, with the host hooks installed.

In: nothing (build.load() compiles nyrt into the user cache on first use). Out: `get() -> (ffi, lib)`.
The hooks are cffi `extern "Python"` callbacks declared in abi/nyrt/python_hooks.h. Each catches every
exception: nothing Python raises may unwind through C (abi.md §4); a failure becomes NYRT_E_ABORT with its
message recorded for nyrt_last_error.

Importing this module costs nothing; only `get()` builds or loads nyrt, so a run without plugins never does.
"""
from __future__ import annotations

import sys
import threading
from typing import Any, Callable

NYRT_OK, NYRT_E_ABORT, NYRT_E_NOT_FOUND = 0, 5, 6
LOG_LEVELS = ("debug", "info", "warning", "error")

_state: tuple[Any, Any] | None = None
_state_lock = threading.Lock()
_log: Callable[[int, str], None] | None = None
_host_caller: Callable[[Any, str, list], Any] | None = None


def get() -> tuple[Any, Any]:
    """(ffi, lib) of nyrt, built, initialised and hooked on first use."""
    global _state
    if _state is None:
        with _state_lock:
            if _state is None:
                from nyash_run.abi import build
                ffi, lib = build.load()
                lib.nyrt_init()
                _install(ffi, lib)
                _state = (ffi, lib)
    return _state


def loaded() -> bool:
    """Whether nyrt is already in the process (so that shutdown paths never trigger a build)."""
    return _state is not None


def set_log(fn: Callable[[int, str], None] | None) -> None:
    """Where plugin log lines go: fn(level, text); None restores stderr."""
    global _log
    _log = fn


def set_host_caller(fn: Callable[[Any, str, list], Any] | None) -> None:
    """How nyrt calls a method on a Python object it holds (a user instance, a MapBox): fn(obj, name, args).
    None restores the runtime's builtin dispatch (nyash_run.runtime.methods.call_method)."""
    global _host_caller
    _host_caller = fn


def stderr_log(level: int, text: str) -> None:
    """The default sink: the program's output first, so the two streams stay in order."""
    if level <= 0:
        return
    try:
        from nyash_run.runtime import output
        output.flush()
    except Exception:  # a log line must never fail because stdout did
        pass
    sys.stderr.write(f"nyash: plugin {LOG_LEVELS[min(level, 3)]}: {text}\n")
    sys.stderr.flush()


# ---- the hooks ------------------------------------------------------------------------------------------
def _install(ffi, lib) -> None:
    from nyash_run.abi import values

    @ffi.def_extern(name="nyrt_py_log")
    def _log_hook(level, msg):
        try:
            (_log or stderr_log)(int(level), ffi.string(msg).decode("utf-8", "replace"))
        except BaseException:  # noqa: BLE001 -- a log line is best effort; nothing may cross into C
            pass

    @ffi.def_extern(name="nyrt_py_host_retain")
    def _retain_hook(handle):
        try:
            values.HOST_OBJECTS.retain(int(handle))
        except BaseException:  # noqa: BLE001
            pass

    @ffi.def_extern(name="nyrt_py_host_release")
    def _release_hook(handle):
        try:
            values.HOST_OBJECTS.release(int(handle))
        except BaseException:  # noqa: BLE001
            pass

    @ffi.def_extern(name="nyrt_py_host_call", error=NYRT_E_ABORT)
    def _call_hook(handle, method, args, argc, ret):
        return _host_call(ffi, lib, values, int(handle), method, args, int(argc), ret)

    lib.nyrt_host_set_object_hooks(lib.nyrt_py_host_retain, lib.nyrt_py_host_release, lib.nyrt_py_host_call)
    lib.nyrt_host_set_log(lib.nyrt_py_log)


def _host_call(ffi, lib, values, handle: int, method, args, argc: int, ret) -> int:
    """A method of a Python object, called from nyrt: arguments borrowed, the result +1 into ret."""
    try:
        obj = values.HOST_OBJECTS.get(handle)
        name = ffi.string(method).decode("utf-8")
        py_args = [values.from_borrowed(args + i) for i in range(argc)]
        if name == "toString" and not py_args:
            from nyash_run.runtime.display import display
            result = display(obj)
        else:
            result = (_host_caller or _builtin_caller())(obj, name, py_args)
        values.to_owned(result, ret)
        return NYRT_OK
    except BaseException as err:  # noqa: BLE001 -- exceptions never cross the boundary (abi.md §4)
        _record(lib, err)
        return NYRT_E_ABORT


def _builtin_caller() -> Callable[[Any, str, list], Any]:
    from nyash_run.runtime.methods import call_method
    return call_method


def _record(lib, err: BaseException) -> None:
    from nyash_run.runtime.errors import NyashRuntimeError
    try:
        if isinstance(err, NyashRuntimeError):
            lib.nyrt_set_error(1, err.user_message().encode("utf-8", "replace"))
        else:
            lib.nyrt_set_error(2, f"{type(err).__name__}: {err}".encode("utf-8", "replace"))
    except BaseException:  # noqa: BLE001
        pass
