"""Python runtime values <-> nyrt values (nyrt_nyash_value).

In: values of nyash_run.runtime.values (int, float, bool, str, None, NULL, ArrayBox, MapBox, Instance, ...),
and nyrt values coming back from a call. Out: the other representation.

Python -> nyrt (`to_owned`, `Args`): Int, Float, Bool, null and void inline; str a new nyrt String; a
PluginBox its own value; everything else (ArrayBox, MapBox, user instances, ...) a host object: a handle into
HOST_OBJECTS, which keeps the Python object alive until nyrt releases the handle. Arrays travel as host
objects, not copies, so a plugin that stores one shares it (language.md §6.1); the host's array helpers
(array_len/get/push) reach them through their methods.

nyrt -> Python (`from_owned` consumes a +1 value, `from_borrowed` does not): inline values as Python
scalars, a String as str, an Array as a new ArrayBox of converted elements, a Result as a ResultBox, an Error
as an ErrorBox, a host object as the original Python object, anything else as a PluginBox. The same plugin
instance always comes back as the same PluginBox while one is alive, so identity (`==` on boxes,
language.md §6.6) holds across calls.
"""
from __future__ import annotations

import struct
import threading
import weakref
from typing import Any

from nyash_run.abi import binding
from nyash_run.runtime.values import NULL, ArrayBox, ErrorBox, NullValue, ResultBox

# NYRT_TID_* (nyrt.h)
INTEGER, FLOAT, BOOL, STRING, NULL_KIND, VOID, ARRAY, MAP, CONSOLE, MATH, RESULT, ERROR, HOST = range(13)
META_INLINE = 0x01


class HostObjects:
    """Python objects lent to nyrt, by handle, each with the number of references nyrt holds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[int, list] = {}      # handle -> [object, refcount]
        self._handles: dict[int, int] = {}       # id(object) -> handle, so an object keeps one handle
        self._next = 1

    def new_ref(self, obj: Any) -> int:
        """A handle for obj with one more reference (owned by the caller)."""
        with self._lock:
            handle = self._handles.get(id(obj))
            if handle is None:
                handle, self._next = self._next, self._next + 1
                self._handles[id(obj)] = handle
                self._entries[handle] = [obj, 0]
            self._entries[handle][1] += 1
            return handle

    def retain(self, handle: int) -> None:
        with self._lock:
            self._entries[handle][1] += 1

    def release(self, handle: int) -> None:
        with self._lock:
            entry = self._entries[handle]
            entry[1] -= 1
            if entry[1] == 0:
                del self._entries[handle]
                del self._handles[id(entry[0])]

    def get(self, handle: int) -> Any:
        return self._entries[handle][0]

    def live(self) -> int:
        """Objects nyrt still holds (tests check that this returns to zero)."""
        return len(self._entries)


HOST_OBJECTS = HostObjects()


# ---- Python -> nyrt ---------------------------------------------------------------------------------------
def to_owned(value: Any, out) -> None:
    """Write a +1 nyrt value for `value` into `out` (a nyrt_nyash_value*)."""
    if not _convert(value, out, {}):
        binding.get()[1].nyrt_val_retain(out)     # a PluginBox's value, borrowed: take our own reference


def _convert(value: Any, out, arrays: dict) -> bool:
    """Write value into out; True when out now holds a reference the caller must release."""
    ffi, lib = binding.get()
    t = type(value)
    if t is int:
        lib.nyrt_val_int(value, out)
    elif t is float:
        lib.nyrt_val_float(value, out)
    elif t is bool:
        lib.nyrt_val_bool(1 if value else 0, out)
    elif value is None:
        lib.nyrt_val_void(out)
    elif t is NullValue:
        lib.nyrt_val_null(out)
    elif t is str:
        data = value.encode("utf-8", "surrogatepass")
        _check(lib.nyrt_str_new(data, len(data), out), "String")
        return True
    elif t is PluginBox:
        out[0] = value._value[0]
        return False
    else:
        lib.nyrt_host_object(HOST_OBJECTS.new_ref(value), out)
        return True
    return False


def _check(code: int, what: str) -> None:
    if code:
        from nyash_run.runtime.errors import NyashRuntimeError
        raise NyashRuntimeError(f"PluginError: cannot pass a value to a plugin: {what} ({_code_name(code)})")


def _code_name(code: int) -> str:
    ffi, lib = binding.get()
    return ffi.string(lib.nyrt_err_code_name(code)).decode()


class Args:
    """The arguments of one call as a nyrt_nyash_value array; `release()` drops what the conversion made
    (the callee only borrowed them)."""
    __slots__ = ("array", "count", "_owned")

    def __init__(self, values: list) -> None:
        ffi, lib = binding.get()
        self.count = len(values)
        self.array = ffi.new("nyrt_nyash_value[]", max(self.count, 1))
        self._owned: list[int] = []
        try:
            for i, value in enumerate(values):
                if _convert(value, self.array + i, {}):
                    self._owned.append(i)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        lib = binding.get()[1]
        for i in self._owned:
            lib.nyrt_val_release(self.array + i)
        self._owned = []


# ---- nyrt -> Python ---------------------------------------------------------------------------------------
def from_owned(v) -> Any:
    """The Python value of a +1 nyrt value (`v`: nyrt_nyash_value*); the reference is consumed."""
    ffi, lib = binding.get()
    kind = lib.nyrt_val_kind(v)
    if kind == -1 and not (v.metadata & META_INLINE):
        return _plugin_box(v)
    try:
        return _decode(ffi, lib, v, kind)
    finally:
        lib.nyrt_val_release(v)


def from_borrowed(v) -> Any:
    """The Python value of a borrowed nyrt value (the caller keeps its reference)."""
    ffi, lib = binding.get()
    kind = lib.nyrt_val_kind(v)
    if kind == -1 and not (v.metadata & META_INLINE):
        lib.nyrt_val_retain(v)
        return _plugin_box(v)
    return _decode(ffi, lib, v, kind)


def _decode(ffi, lib, v, kind: int) -> Any:
    bits = v.box_handle
    if kind == INTEGER:
        return bits - (1 << 64) if bits >= 1 << 63 else bits
    if kind == FLOAT:
        return struct.unpack("<d", struct.pack("<Q", bits))[0]
    if kind == BOOL:
        return bits != 0
    if kind == NULL_KIND:
        return NULL
    if kind == VOID:
        return None
    if kind == STRING:
        return _string(ffi, lib, v)
    if kind == ARRAY:
        return ArrayBox([from_owned(_element(ffi, lib, v, i)) for i in range(lib.nyrt_arr_len(v))])
    if kind == HOST:
        return HOST_OBJECTS.get(bits)
    if kind == RESULT:
        ok = _method(v, "isOk") is True
        return ResultBox(ok, _method(v, "getValue" if ok else "getError"))
    if kind == ERROR:
        return ErrorBox(_method(v, "getMessage"))
    lib.nyrt_val_retain(v)                      # other core boxes (Map, Console, Math) stay in nyrt
    return _plugin_box(v)


def _string(ffi, lib, v) -> str:
    data, size = ffi.new("char**"), ffi.new("size_t*")
    lib.nyrt_str_view(v, data, size)
    return ffi.unpack(data[0], size[0]).decode("utf-8", "surrogatepass")


def _element(ffi, lib, v, i: int):
    item = ffi.new("nyrt_nyash_value*")
    lib.nyrt_arr_get(v, i, item)
    return item


def _method(v, name: str) -> Any:
    ffi, lib = binding.get()
    ret = ffi.new("nyrt_nyash_value*")
    if lib.nyrt_call(v, name.encode(), ffi.NULL, 0, ret):
        raise plugin_call_error(f"{name}")
    return from_owned(ret)


# ---- PluginBox ---------------------------------------------------------------------------------------------
_boxes: "weakref.WeakValueDictionary[tuple[int, int], PluginBox]" = weakref.WeakValueDictionary()
_boxes_lock = threading.Lock()


def _plugin_box(v) -> "PluginBox":
    """A PluginBox owning the +1 value v; an existing box for the same instance when there is one."""
    key = (v.type_id, v.box_handle)
    with _boxes_lock:
        box = _boxes.get(key)
        if box is None:
            box = PluginBox(v)
            _boxes[key] = box
            return box
    binding.get()[1].nyrt_val_release(v)       # the existing box already holds a reference
    return box


class PluginBox:
    """A value that lives in nyrt (a plugin instance, or a core box nyrt keeps): the runtime sees it through
    the protocol of nyash_run/runtime/external.py. It owns one reference, released when it is collected."""
    __slots__ = ("_value", "_type", "__weakref__")

    def __init__(self, v) -> None:
        ffi, _ = binding.get()
        self._value = ffi.new("nyrt_nyash_value*")
        self._value[0] = v[0]
        self._type: str | None = None

    def __nyash_call__(self, name: str, args: list) -> Any:
        ffi, lib = binding.get()
        if len(args) <= _FAST_ARGS:
            for a in args:
                if type(a) is not int:
                    break
            else:
                return self._call_ints(ffi, lib, name, args)
        argv = Args(args)
        ret = ffi.new("nyrt_nyash_value*")
        try:
            code = lib.nyrt_call(self._value, _encoded(name), argv.array, argv.count, ret)
        finally:
            argv.release()
        if code:
            raise plugin_call_error(name, self.__nyash_type__(), code)
        return from_owned(ret)

    def _call_ints(self, ffi, lib, name: str, args: list) -> Any:
        """The common case of a few Int arguments: one allocation for the result and the arguments, nothing
        to release, and an Int result decoded here (about half the cost of the general path)."""
        cells = ffi.new("nyrt_nyash_value[]", _FAST_ARGS + 1)
        for i, value in enumerate(args):
            lib.nyrt_val_int(value, cells + 1 + i)
        argc = len(args)
        code = lib.nyrt_call_id(self._value, _method_id(lib, name, argc), _encoded(name), cells + 1, argc, cells)
        if code:
            raise plugin_call_error(name, self.__nyash_type__(), code)
        ret = cells[0]
        if ret.metadata & META_INLINE and ret.type_id == _int_tid(lib):
            bits = ret.box_handle
            return bits - (1 << 64) if bits >= 1 << 63 else bits
        return from_owned(cells + 0)

    def __nyash_display__(self) -> str:
        ffi, lib = binding.get()
        out = ffi.new("nyrt_nyash_value*")
        code = lib.nyrt_call_display(self._value, out)
        if code:
            raise plugin_call_error("toString", self.__nyash_type__(), code)
        return from_owned(out)

    def __nyash_type__(self) -> str:
        if self._type is None:
            ffi, lib = binding.get()
            name = lib.nyrt_tb_short_name_of(self._value.type_id)
            self._type = ffi.string(name if name != ffi.NULL else lib.nyrt_val_type_name(self._value)).decode()
        return self._type

    def __repr__(self) -> str:
        return f"<PluginBox {self.__nyash_type__()} {self._value.box_handle:#x}>"

    def __del__(self) -> None:
        try:
            binding.get()[1].nyrt_val_release(self._value)
        except Exception:  # interpreter shutdown: nyrt may already be gone; nothing to release into
            pass


_FAST_ARGS = 3
_INT_TID: list[int] = []


def _int_tid(lib) -> int:
    if not _INT_TID:
        _INT_TID.append(lib.nyrt_core_tid(INTEGER))
    return _INT_TID[0]


_names: dict[str, bytes] = {}
_method_ids: dict[tuple[str, int], int] = {}


def _method_id(lib, name: str, argc: int) -> int:
    key = (name, argc)
    mid = _method_ids.get(key)
    if mid is None:
        mid = _method_ids[key] = lib.nyrt_method_id(_encoded(name), argc)
    return mid


def _encoded(name: str) -> bytes:
    data = _names.get(name)
    if data is None:
        data = _names[name] = name.encode("utf-8")
    return data


def plugin_call_error(method: str, type_name: str = "?", code: int = 0):
    """The NyashRuntimeError for a failed call: nyrt's message, else one built from the code."""
    from nyash_run.runtime.errors import NyashRuntimeError
    ffi, lib = binding.get()
    message = ffi.string(lib.nyrt_last_error_message()).decode("utf-8", "replace")
    if not message:
        message = f"PluginError: {type_name}.{method} failed: {_code_name(code)} (no detail)"
    return NyashRuntimeError(message)
