"""Ownership fuzz (abi.md 7.4): random sequences of calls through nyrt on the map plugins and core values end
with zero live plugin instances and no leaked bytes, and never crash.

Each example starts from an empty pool of values the test owns (+1 each) and runs up to 60 operations:
  create    a plugin MapBox (nyrt_tb_create), a String, an ArrayBox or an inline Int
  retain    +1 on a pooled value (the copy joins the pool); release: -1, the value leaves the pool
  BORROW    calls whose arguments are borrowed: set, has, containsKey, containsValue, delete, equals, size,
            toString, display, array push (which retains what it keeps)
  TRANSFER  calls whose result is +1 and now ours: get, array get; and the other way, set then release our
            own reference so that the map holds the only one
  CLONE     calls that hand back an independent new value: keys(), values() (new ArrayBoxes)
At the end everything in the pool is released; then nyrt_plugin_live(plugin) is 0, and nyrt's counters of
live bytes and objects and of host_alloc blocks are back where the example started.

Containers only ever receive values created before them (a rank per object), so no reference cycle -- which
reference counting cannot free, in the builtin MapBox as in the plugins -- is ever built.

The plugin is loaded in place of the builtin nyash.core.Map for the test (nyrt_tb_unregister) and unloaded
afterwards, which nyrt allows only at zero live instances.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugin_build import MAPS

NYRT_TID_ARRAY = 6
OPS = ("new_map", "new_string", "new_int", "new_array", "retain", "release", "set", "set_transfer", "get",
       "has", "contains_value", "delete", "equals", "size", "to_string", "display", "keys", "values",
       "arr_push", "arr_get", "clear")


@pytest.fixture
def nyrt():
    binding = pytest.importorskip("nyash_run.abi.binding")
    try:
        return binding.get()
    except Exception as err:  # noqa: BLE001 -- nyrt could not be built here
        pytest.skip(f"nyrt is not available: {err}")


@pytest.fixture(params=MAPS)
def map_plugin(request, nyrt, built_plugins):
    """(plugin id, TypeBox) of one map plugin, loaded in place of the builtin MapBox for this test."""
    name = request.param
    ffi, lib = nyrt
    map_key = lib.nyrt_fast_key(b"nyash.core.Map")
    lib.nyrt_tb_unregister(map_key)
    err = ffi.new("char[]", 4096)
    pid = lib.nyrt_plugin_load(str(built_plugins[name]).encode(), ffi.NULL, ffi.NULL, err, 4096)
    if pid < 0:
        lib.nyrt_tb_restore_core()
        pytest.fail(f"cannot load {name}: {ffi.string(err).decode()}")
    yield pid, lib.nyrt_plugin_type(pid, 0)
    live = lib.nyrt_plugin_live(pid)
    status = lib.nyrt_plugin_unload(pid, err, 4096)
    lib.nyrt_tb_restore_core()
    assert live == 0 and status == 0, ffi.string(err).decode()


class Pool:
    """The values the test owns: one +1 reference per entry."""

    def __init__(self, ffi, lib, map_tb):
        self.ffi, self.lib, self.map_tb = ffi, lib, map_tb
        self.map_tid = map_tb.fast_key
        self.items: list = []           # cdata nyrt_nyash_value*
        self.rank: dict[int, int] = {}  # box_handle of a container -> creation rank
        self.next_rank = 0

    # ---- bookkeeping ----
    def is_map(self, v) -> bool:
        return v.type_id == self.map_tid and not (v.metadata & 1)

    def is_array(self, v) -> bool:
        return self.lib.nyrt_val_kind(v) == NYRT_TID_ARRAY

    def is_container(self, v) -> bool:
        return self.is_map(v) or self.is_array(v)

    def rank_of(self, v) -> int:
        return self.rank.get(int(v.box_handle), -1) if self.is_container(v) else -1

    def add(self, cell, fresh: bool = False):
        if fresh and self.is_container(cell):
            self.rank[int(cell.box_handle)] = self.next_rank
            self.next_rank += 1
        self.items.append(cell)

    def new_cell(self):
        return self.ffi.new("nyrt_nyash_value *")

    def pick(self, n: int, want=None):
        choices = [v for v in self.items if want is None or want(v)]
        return choices[n % len(choices)] if choices else None

    def may_hold(self, container, value) -> bool:
        """A container only receives values ranked below it: no cycles."""
        return self.rank_of(value) < self.rank_of(container)

    def call(self, self_value, method: str, *args):
        """nyrt_call with borrowed args; returns (status, +1 result cell)."""
        argv = self.ffi.new("nyrt_nyash_value[]", max(1, len(args)))
        for i, a in enumerate(args):
            argv[i] = a[0]
        ret = self.new_cell()
        status = self.lib.nyrt_call(self_value, method.encode(), argv, len(args), ret)
        return status, ret

    def drop(self, cell):
        self.lib.nyrt_val_release(cell)

    # ---- one operation ----
    def run(self, op: str, a: int, b: int, c: int) -> None:
        lib = self.lib
        maps = lambda v: self.is_map(v)  # noqa: E731
        arrays = lambda v: self.is_array(v)  # noqa: E731
        if op == "new_map":
            cell = self.new_cell()
            assert lib.nyrt_tb_create(self.map_tb, cell) == 0
            self.add(cell, fresh=True)
        elif op == "new_string":
            text = f"s{a % 7}".encode()
            cell = self.new_cell()
            assert lib.nyrt_str_new(text, len(text), cell) == 0
            self.add(cell)
        elif op == "new_int":
            cell = self.new_cell()
            lib.nyrt_val_int(a % 5, cell)
            self.add(cell)
        elif op == "new_array":
            cell = self.new_cell()
            assert lib.nyrt_arr_new(cell) == 0
            self.add(cell, fresh=True)
        elif op == "retain" and self.items:
            v = self.pick(a)
            lib.nyrt_val_retain(v)
            copy = self.new_cell()
            copy[0] = v[0]
            self.add(copy)
        elif op == "release" and self.items:
            v = self.items.pop(a % len(self.items))
            self.drop(v)
        elif op in ("set", "set_transfer"):
            m, key, value = self.pick(a, maps), self.pick(b), self.pick(c)
            if m is None or key is None or value is None or not self.may_hold(m, value):
                return
            status, ret = self.call(m, "set", key, value)
            self.drop(ret)
            if op == "set_transfer" and status == 0 and value is not m:
                self.items.remove(value)   # our reference goes: the map holds the value now
                self.drop(value)
        elif op in ("get", "arr_get"):
            container = self.pick(a, maps if op == "get" else arrays)
            if container is None:
                return
            if op == "get":
                key = self.pick(b)
                status, ret = self.call(container, "get", key)
            else:
                ret = self.new_cell()
                length = lib.nyrt_arr_len(container)
                status = lib.nyrt_arr_get(container, b % max(1, length), ret)
            if status == 0:
                self.add(ret)             # TRANSFER: the +1 result is ours to release
        elif op in ("has", "contains_value", "delete", "equals"):
            m, arg = self.pick(a, maps), self.pick(b)
            if m is None or arg is None:
                return
            method = {"has": "has", "contains_value": "containsValue", "delete": "delete", "equals": "equals"}[op]
            _, ret = self.call(m, method, arg)
            self.drop(ret)
        elif op in ("size", "to_string", "clear"):
            m = self.pick(a, maps)
            if m is not None:
                _, ret = self.call(m, {"size": "size", "to_string": "toString", "clear": "clear"}[op])
                self.drop(ret)
        elif op == "display" and self.items:
            out = self.new_cell()
            if lib.nyrt_call_display(self.pick(a), out) == 0:
                self.drop(out)
        elif op in ("keys", "values"):
            m = self.pick(a, maps)
            if m is not None:
                status, ret = self.call(m, op)
                if status == 0:
                    self.add(ret, fresh=True)   # CLONE: a new, independent ArrayBox
        elif op == "arr_push":
            arr, value = self.pick(a, arrays), self.pick(b)
            if arr is not None and value is not None and self.may_hold(arr, value):
                assert lib.nyrt_arr_push(arr, value) == 0

    def release_all(self):
        while self.items:
            self.drop(self.items.pop())


operations = st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 999), st.integers(0, 999),
                                st.integers(0, 999)), max_size=60)


@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations)
def test_random_ownership_sequences_leave_nothing_alive(nyrt, map_plugin, ops):
    ffi, lib = nyrt
    pid, map_tb = map_plugin
    bytes0, objects0, blocks0 = lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects(), lib.nyrt_host_alloc_live()
    live0 = lib.nyrt_plugin_live(pid)
    pool = Pool(ffi, lib, map_tb)
    try:
        for op, a, b, c in ops:
            pool.run(op, a, b, c)
    finally:
        pool.release_all()
    assert lib.nyrt_plugin_live(pid) == live0 == 0
    assert lib.nyrt_mem_live_bytes() == bytes0
    assert lib.nyrt_mem_live_objects() == objects0
    assert lib.nyrt_host_alloc_live() == blocks0
