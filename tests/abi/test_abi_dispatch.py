"""abi.md §5: the unified dispatch -- the Nyash ABI (by id, then by name), the C-ABI bridge converting every
core representation both ways, ownership (BORROW / TRANSFER / CLONE) and live-instance counting; nothing leaks."""
from __future__ import annotations

import struct

import pytest

from abi_helpers import call, fast_key, int_value, last_message, requires_cc, value

pytestmark = requires_cc


@pytest.fixture
def plugin(loader):
    """(ffi, lib, plugin id, prefix, new(type) -> owned value)."""
    ffi, lib = loader.ffi, loader.lib
    pid, prefix = loader.good()
    made = []

    def new(short: str, *args):
        out = value(ffi)
        argv = ffi.new("nyrt_nyash_value[]", max(len(args), 1))
        for i, a in enumerate(args):
            argv[i] = a[0]
        code = lib.nyrt_tb_new(fast_key(f"{prefix}.{short}"), argv, len(args), out)
        assert code == 0, last_message(ffi, lib)
        made.append(out)
        return out

    yield ffi, lib, pid, prefix, new


def text(ffi, lib, v) -> str:
    data, size = ffi.new("char**"), ffi.new("size_t*")
    assert lib.nyrt_str_view(v, data, size) == 0
    return ffi.unpack(data[0], size[0]).decode()


def string(ffi, lib, s: str):
    v = value(ffi)
    lib.nyrt_str_new(s.encode(), len(s.encode()), v)
    return v


def leak_counters(lib, pid):
    return lib.nyrt_plugin_live(pid), lib.nyrt_mem_live_objects(), lib.nyrt_host_alloc_live()


def test_nyash_abi_calls_fall_back_to_invoke_by_name(plugin):
    ffi, lib, pid, prefix, new = plugin
    c = new("Counter", int_value(ffi, lib, 41))          # birth/1
    code, ret = call(ffi, lib, c, "inc")
    assert (code, ret.box_handle) == (0, 42)
    code, ret = call(ffi, lib, c, "toString")
    assert code == 0 and text(ffi, lib, ret) == "Counter(42)"
    lib.nyrt_val_release(ret)
    lib.nyrt_val_release(c)
    assert lib.nyrt_plugin_live(pid) == 0


def test_c_bridge_scalars_strings_and_floats(plugin):
    ffi, lib, pid, prefix, new = plugin
    before = leak_counters(lib, pid)
    b = new("CBox")
    assert call(ffi, lib, b, "set", int_value(ffi, lib, -7))[0] == 0
    code, ret = call(ffi, lib, b, "get")                      # by id
    assert code == 0 and lib.nyrt_val_kind(ret) == 0 and ffi.cast("int64_t", ret.box_handle) == -7
    code, ret = call(ffi, lib, b, "isPos")
    assert code == 0 and lib.nyrt_val_kind(ret) == 2 and ret.box_handle == 0
    half = call(ffi, lib, b, "half")[1]                        # a host_alloc'd double, TRANSFER
    assert lib.nyrt_val_kind(half) == 1 and struct.unpack("<d", struct.pack("<Q", half.box_handle))[0] == -3.5
    factor = value(ffi)
    lib.nyrt_val_float(-2.0, factor)
    assert call(ffi, lib, b, "scale", factor)[0] == 0          # a Float argument by pointer
    label = string(ffi, lib, "héllo")
    assert call(ffi, lib, b, "setLabel", label)[0] == 0        # a String argument, borrowed
    lib.nyrt_val_release(label)
    for method in ("label", "labelView"):                      # TRANSFER (host_free'd) and BORROW (copied)
        code, ret = call(ffi, lib, b, method)
        assert code == 0 and text(ffi, lib, ret) == "héllo"
        lib.nyrt_val_release(ret)
    code, ret = call(ffi, lib, b, "toString")
    assert text(ffi, lib, ret) == "CBox(héllo, 14)"
    lib.nyrt_val_release(ret)
    lib.nyrt_val_release(b)
    assert leak_counters(lib, pid) == before


def test_c_bridge_plugin_values_returned_transfer_and_borrow(plugin):
    ffi, lib, pid, prefix, new = plugin
    b = new("CBox")
    call(ffi, lib, b, "set", int_value(ffi, lib, 5))
    code, twice = call(ffi, lib, b, "twice")                    # a new instance, TRANSFER
    assert code == 0 and twice.type_id == fast_key(f"{prefix}.CBox")
    assert lib.nyrt_plugin_live(pid) == 2
    code, same = call(ffi, lib, b, "self")                      # itself, BORROW: nyrt takes its own reference
    assert code == 0 and same.box_handle == b.box_handle and lib.nyrt_plugin_live(pid) == 3
    assert call(ffi, lib, b, "add", twice)[0] == 0              # a plugin value as argument
    assert call(ffi, lib, b, "get")[1].box_handle == 15
    for v in (twice, same, b):
        lib.nyrt_val_release(v)
    assert lib.nyrt_plugin_live(pid) == 0


def test_c_bridge_core_array_argument(plugin):
    ffi, lib, pid, prefix, new = plugin
    b = new("CBox")
    arr = value(ffi)
    lib.nyrt_arr_new(arr)
    for n in range(3):
        lib.nyrt_arr_push(arr, int_value(ffi, lib, n))
    code, ret = call(ffi, lib, b, "count", arr)
    assert (code, ret.box_handle) == (0, 3)
    lib.nyrt_val_release(arr)
    lib.nyrt_val_release(b)


def test_values_a_plugin_builds_with_host_helpers_are_counted(plugin):
    ffi, lib, pid, prefix, new = plugin
    c = new("Counter")
    code, pair = call(ffi, lib, c, "pair")                      # [a new Counter, "two"]
    assert code == 0 and lib.nyrt_arr_len(pair) == 2
    assert lib.nyrt_plugin_live(pid) == 2                       # the Counter inside the array is held by nyrt
    lib.nyrt_val_release(pair)
    assert lib.nyrt_plugin_live(pid) == 1
    code, echoed = call(ffi, lib, c, "echo", c)                 # the plugin retains an argument via host ext
    assert code == 0 and echoed.box_handle == c.box_handle and lib.nyrt_plugin_live(pid) == 2
    code, me = call(ffi, lib, c, "me")
    assert lib.nyrt_plugin_live(pid) == 3
    for v in (echoed, me, c):
        lib.nyrt_val_release(v)
    assert lib.nyrt_plugin_live(pid) == 0


def test_new_checks_birth_arity(plugin):
    ffi, lib, pid, prefix, new = plugin
    out = value(ffi)
    argv = ffi.new("nyrt_nyash_value[2]")
    code = lib.nyrt_tb_new(fast_key(f"{prefix}.Counter"), argv, 2, out)
    assert code == 1 and lib.nyrt_last_error_kind() == 1
    assert last_message(ffi, lib) == "No constructor found for Counter with 2 arguments"
    code = lib.nyrt_tb_new(fast_key(f"{prefix}.CBox"), argv, 0, out)   # CBox lists birth/1 only ...
    assert code == 0                                                  # ... and 0 is always accepted
    lib.nyrt_val_release(out)
    assert lib.nyrt_plugin_live(pid) == 0


def test_unknown_method(plugin):
    ffi, lib, pid, prefix, new = plugin
    c = new("Counter")
    code, _ = call(ffi, lib, c, "nope", c)
    assert code == 6
    assert last_message(ffi, lib) == "PluginError: Counter.nope failed: E_NOT_FOUND (unknown method nope/1)"
    lib.nyrt_val_release(c)


def test_display_uses_to_string_else_the_name(plugin):
    ffi, lib, pid, prefix, new = plugin
    c = new("Counter")
    out = value(ffi)
    assert lib.nyrt_call_display(c, out) == 0 and text(ffi, lib, out) == "Counter(0)"
    lib.nyrt_val_release(out)
    lib.nyrt_val_release(c)


def test_display_without_to_string_is_the_name(loader):
    ffi, lib = loader.ffi, loader.lib
    pid, prefix = loader.good("NO_TOSTRING")
    out = value(ffi)
    for short in ("Counter", "CBox"):
        v = value(ffi)
        assert lib.nyrt_tb_new(fast_key(f"{prefix}.{short}"), ffi.NULL, 0, v) == 0
        assert lib.nyrt_call_display(v, out) == 0 and text(ffi, lib, out) == f"{short}()"
        lib.nyrt_val_release(out)
        lib.nyrt_val_release(v)
    assert lib.nyrt_plugin_live(pid) == 0


def test_c_bridge_any_arguments_and_results(plugin):
    """Metadata "args": ["nyash.core.Any"] passes the value itself; "ret": "nyash.core.Any" takes one back,
    lent (BORROW: copied and retained) or handed over in a host_alloc'd cell (TRANSFER)."""
    ffi, lib, pid, prefix, new = plugin
    before = leak_counters(lib, pid)
    b, c, kept = new("CBox"), new("Counter"), string(ffi, lib, "kept")
    for stashed in (kept, c, int_value(ffi, lib, 7)):
        assert call(ffi, lib, b, "stash", stashed)[0] == 0
        code, lent = call(ffi, lib, b, "peek")
        assert code == 0 and (lent.type_id, lent.box_handle) == (stashed.type_id, stashed.box_handle)
        lib.nyrt_val_release(lent)
    assert lib.nyrt_plugin_live(pid) == 2                      # b, c (the stash holds an Integer now)
    call(ffi, lib, b, "stash", c)
    assert lib.nyrt_plugin_live(pid) == 2                      # CBox keeping a Counter: both of one plugin
    code, taken = call(ffi, lib, b, "take")
    assert code == 0 and taken.box_handle == c.box_handle and lib.nyrt_plugin_live(pid) == 3
    for v in (taken, c, b, kept):
        lib.nyrt_val_release(v)
    assert leak_counters(lib, pid) == before
