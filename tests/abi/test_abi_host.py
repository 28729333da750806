"""The Python side: PluginHost (lazy loading, `new`, refusals), PluginBox (calls, display, type name,
identity) and the conversion of every kind of runtime value in both directions, with nothing left held."""
from __future__ import annotations

import gc

import pytest

from abi_helpers import compile_plugin, requires_cc, unique

pytestmark = requires_cc


@pytest.fixture
def host(nyrt, tmp_path):
    """A PluginHost over a nyash.toml with the Nyash-ABI Counter and the C-ABI CBox as two plugins."""
    from nyash_run.abi.config import load_config
    from nyash_run.abi.plugins import PluginHost
    prefix = unique()
    counter = compile_plugin(tmp_path, "ONLY_COUNTER", prefix=prefix)
    cbox = compile_plugin(tmp_path, "ONLY_CBOX", prefix=prefix)
    (tmp_path / "nyash.toml").write_text(
        f'[plugins.counter]\npath = "{counter.relative_to(tmp_path)}"\nabi = "nyash"\ntypes = ["{prefix}.Counter"]\n'
        f'[plugins.cbox]\npath = "{cbox.relative_to(tmp_path)}"\nabi = "c"\ntypes = ["{prefix}.CBox"]\n')
    plugin_host = PluginHost(load_config(tmp_path / "nyash.toml"))
    yield plugin_host
    gc.collect()
    for entry in plugin_host.config.plugins:
        assert plugin_host.live(entry) == 0
        plugin_host.unload(entry)


def test_names_are_known_before_anything_is_loaded(host):
    from nyash_run.abi import plugins
    assert host.box_names() == {"Counter", "CBox"}
    assert host.overridden_core() == frozenset()
    assert host._results == {}                     # nothing loaded yet: loading is lazy
    assert plugins.PluginBox is not None


def test_new_call_display_type(host):
    counter = host.new("Counter", [41])
    assert counter.__nyash_call__("inc", []) == 42
    assert counter.__nyash_display__() == "Counter(42)"
    assert counter.__nyash_type__() == "Counter"
    box = host.new("CBox", [])
    box.__nyash_call__("set", [3])
    assert box.__nyash_call__("half", []) == 1.5
    assert box.__nyash_call__("isPos", []) is True
    assert box.__nyash_display__() == "CBox(box, 3)"
    twice = box.__nyash_call__("twice", [])
    assert twice.__nyash_type__() == "CBox" and twice.__nyash_call__("get", []) == 6


def test_identity_survives_a_round_trip(host):
    counter = host.new("Counter", [])
    assert counter.__nyash_call__("me", []) is counter
    assert counter.__nyash_call__("echo", [counter]) is counter
    box = host.new("CBox", [])
    assert box.__nyash_call__("self", []) is box


def test_every_runtime_value_round_trips(host):
    from nyash_run.abi.values import HOST_OBJECTS
    from nyash_run.runtime.values import NULL, ArrayBox, Instance, MapBox
    counter = host.new("Counter", [])
    echo = lambda v: counter.__nyash_call__("echo", [v])  # noqa: E731
    for v in (0, -1, (1 << 63) - 1, -(1 << 63), 2.5, float("inf"), True, False, "", "héllo\u20ac", None):
        got = echo(v)
        assert got == v and type(got) is type(v)
    assert echo(NULL) is NULL
    m, inst = MapBox(), Instance(object(), {}, 7)
    assert echo(m) is m and echo(inst) is inst             # host objects come back as themselves
    array = ArrayBox([1, "two", 3.0, NULL, None, m])
    assert echo(array) is array                             # arrays are shared, never copied (§6.1)
    pair = counter.__nyash_call__("pair", [])               # an nyrt Array comes back as a new ArrayBox
    assert pair.items[1] == "two" and pair.items[0].__nyash_type__() == "Counter"
    del pair
    gc.collect()
    assert HOST_OBJECTS.live() == 0


def test_arity_and_unknown_methods_raise_runtime_errors(host):
    from nyash_run.runtime.errors import NyashRuntimeError
    with pytest.raises(NyashRuntimeError, match="^No constructor found for Counter with 2 arguments$"):
        host.new("Counter", [1, 2])
    counter = host.new("Counter", [])
    unknown = r"^PluginError: Counter.nope failed: E_NOT_FOUND \(unknown method nope/0\)$"
    with pytest.raises(NyashRuntimeError, match=unknown):
        counter.__nyash_call__("nope", [])
    box = host.new("CBox", [])
    with pytest.raises(NyashRuntimeError, match="a host object has no C representation"):
        box.__nyash_call__("setLabel", [object()])


def test_a_refused_plugin_fails_only_where_it_is_used(nyrt, tmp_path):
    from nyash_run.abi.config import load_config
    from nyash_run.abi.plugins import PluginHost
    from nyash_run.runtime.errors import NyashRuntimeError
    prefix = unique()
    bad = compile_plugin(tmp_path, "ONLY_COUNTER", "BREAK_TAG", prefix=prefix)
    (tmp_path / "nyash.toml").write_text(
        f'[plugins.bad]\npath = "{bad}"\nabi = "nyash"\ntypes = ["{prefix}.Counter"]\n')
    plugin_host = PluginHost(load_config(tmp_path / "nyash.toml"))
    for _ in range(2):                                        # refused once, reported at every use
        with pytest.raises(NyashRuntimeError) as info:
            plugin_host.new("Counter", [])
        assert info.value.message == (f"PluginError: plugin bad ({bad}) refused: {prefix}.Counter: wrong tag "
                                      "(abi_tag 0x12345678, expected 0x54594258 'TYBX')")


def test_types_and_abi_must_match_nyash_toml(nyrt, tmp_path):
    from nyash_run.abi.config import load_config
    from nyash_run.abi.plugins import PluginHost
    from nyash_run.runtime.errors import NyashRuntimeError
    prefix = unique()
    lib = compile_plugin(tmp_path, "ONLY_COUNTER", prefix=prefix)
    (tmp_path / "nyash.toml").write_text(
        f'[plugins.a]\npath = "{lib}"\nabi = "nyash"\ntypes = ["{prefix}.Counter", "{prefix}.Extra"]\n'
        f'[plugins.b]\npath = "{lib}"\nabi = "c"\ntypes = ["{prefix}.Counter"]\n')
    plugin_host = PluginHost(load_config(tmp_path / "nyash.toml"))
    with pytest.raises(NyashRuntimeError, match=rf"types mismatch: nyash.toml lists \[{prefix}.Counter, "
                                                rf"{prefix}.Extra\], the library reports \[{prefix}.Counter\]"):
        plugin_host.new("Extra", [])
    with pytest.raises(NyashRuntimeError, match=rf"ambiguous"):
        plugin_host.new("Counter", [])
    entry_b = plugin_host.config.plugins[1]
    from nyash_run.abi.plugins import load_entry
    result = load_entry(entry_b)
    assert result.problems == [f"{prefix}.Counter: abi mismatch (nyash.toml says c, the TypeBox is nyash)"]


def test_core_types_nyrt_makes_itself_cannot_be_supplied(nyrt, tmp_path):
    from nyash_run.abi.config import load_config
    from nyash_run.abi.plugins import PluginHost
    from nyash_run.runtime.errors import NyashRuntimeError
    (tmp_path / "nyash.toml").write_text('[plugins.a]\npath = "nothing.so"\nabi = "c"\n'
                                         'types = ["nyash.core.Map", "nyash.core.Array"]\n')
    plugin_host = PluginHost(load_config(tmp_path / "nyash.toml"))
    with pytest.raises(NyashRuntimeError, match=r"refused: nyash.core.Array: a plugin cannot supply this core "
                                                r"type \(nyrt makes its values itself\)$"):
        plugin_host.new("MapBox", [])


def test_a_core_type_supplied_by_a_plugin_replaces_the_builtin_and_comes_back(nyrt, tmp_path):
    from nyash_run.abi.config import load_config
    from nyash_run.abi.plugins import PluginHost
    ffi, lib = nyrt
    source = tmp_path / "map.c"
    source.write_text(MAP_PLUGIN)
    built = compile_plugin(tmp_path, prefix="unused", source=source)
    (tmp_path / "nyash.toml").write_text(
        f'[plugins.m]\npath = "{built}"\nabi = "nyash"\ntypes = ["nyash.core.Map"]\n')
    plugin_host = PluginHost(load_config(tmp_path / "nyash.toml"))
    assert plugin_host.overridden_core() == {"MapBox"}
    key = lib.nyrt_fast_key(b"nyash.core.Map")
    assert lib.nyrt_tb_owner(key) == -1
    m = plugin_host.new("MapBox", [])
    assert lib.nyrt_tb_owner(key) >= 0
    assert m.__nyash_type__() == "MapBox" and m.__nyash_call__("size", []) == 99
    del m
    gc.collect()
    plugin_host.unload(plugin_host.config.plugins[0])
    assert lib.nyrt_tb_owner(key) == -1                     # the builtin is back


MAP_PLUGIN = r"""
#include <stdlib.h>
#include <string.h>
#include "nyrt.h"
#include "tids.h"
static nyrt_err create(void *ctx, nyrt_nyash_value *out) {
    (void)ctx; out->type_id = MAP_KEY; out->box_handle = (uint64_t)(uintptr_t)malloc(8); out->metadata = 0;
    return NYRT_OK;
}
static void retain(const nyrt_nyash_value *v) { (void)v; }
static void release(const nyrt_nyash_value *v) { free((void *)(uintptr_t)v->box_handle); }
static nyrt_err by_id(nyrt_nyash_value *self, uint64_t m, const nyrt_nyash_value *a, size_t n, nyrt_nyash_value *r) {
    (void)self; (void)m; (void)a; (void)n; (void)r; return NYRT_E_NOT_FOUND;
}
static nyrt_err by_name(nyrt_nyash_value *self, const char *m, const nyrt_nyash_value *a, size_t n,
                        nyrt_nyash_value *r) {
    (void)self; (void)a;
    if (strcmp(m, "size") || n) return NYRT_E_NOT_FOUND;
    r->type_id = TID_INTEGER_KEY; r->box_handle = 99; r->metadata = NYASH_META_INLINE;
    return NYRT_OK;
}
static const nyrt_ny_vtable ny = {create, retain, release, by_id, by_name};
static const nyrt_typebox tb = {NYRT_ABI_TAG, 1, 0, sizeof(nyrt_typebox), NYRT_ABI_NYASH, NYRT_CALLCONV_SYSV, 0,
                                "nyash.core.Map", MAP_ID, MAP_KEY, 8, 0, NULL, &ny, {NULL, 0}, NULL};
nyrt_err nyash_plugin_init(const nyrt_host *h, const nyrt_runtime_info *i) { (void)h; (void)i; return NYRT_OK; }
static const nyrt_typebox *const list[] = {&tb};
const nyrt_typebox *const *nyash_typeboxes(size_t *n) { *n = 1; return list; }
"""
