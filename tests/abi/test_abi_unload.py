"""abi.md §7.5: unloading is refused while instances live, allowed at zero; a call on a value of an unloaded
type is an error (E_STATE), not a crash."""
from __future__ import annotations

from abi_helpers import call, fast_key, last_message, requires_cc, value

pytestmark = requires_cc


def new(loader, prefix: str, short: str):
    out = value(loader.ffi)
    assert loader.lib.nyrt_tb_new(fast_key(f"{prefix}.{short}"), loader.ffi.NULL, 0, out) == 0
    return out


def test_unload_is_refused_while_instances_live_and_allowed_at_zero(loader):
    ffi, lib = loader.ffi, loader.lib
    pid, prefix = loader.good()
    a, b = new(loader, prefix, "Counter"), new(loader, prefix, "CBox")
    assert lib.nyrt_plugin_live(pid) == 2
    code, err = loader.unload(pid)
    assert code == 3 and err.endswith(": 2 live instances")
    lib.nyrt_val_release(a)
    code, err = loader.unload(pid)
    assert code == 3 and err.endswith(": 1 live instance")
    lib.nyrt_val_release(b)
    assert loader.unload(pid) == (0, "")
    assert lib.nyrt_tb_owner(fast_key(f"{prefix}.Counter")) == -2 and lib.nyrt_plugin_type_count(pid) == 0


def test_a_call_after_unload_is_an_error_not_a_crash(loader):
    ffi, lib = loader.ffi, loader.lib
    pid, prefix = loader.good()
    stale = {}
    for short in ("Counter", "CBox"):
        v = new(loader, prefix, short)
        stale[short] = ffi.new("nyrt_nyash_value*", v[0])   # a copy kept past its release: the worst case
        lib.nyrt_val_release(v)
    assert loader.unload(pid)[0] == 0
    for short, v in stale.items():
        code, _ = call(ffi, lib, v, "get")
        assert code == 3
        assert last_message(ffi, lib) == (f"PluginError: {short}.get failed: E_STATE "
                                          "(the type's plugin is not loaded (unloaded?))")
        lib.nyrt_val_release(v)                             # ignored after unload, never a call into it
    assert lib.nyrt_tb_new(fast_key(f"{prefix}.Counter"), ffi.NULL, 0, value(ffi)) == 3


def test_unloading_twice_or_an_unknown_id_is_refused(loader):
    pid, _ = loader.good()
    assert loader.unload(pid)[0] == 0
    assert loader.unload(pid) == (3, f"plugin {pid} is not loaded")
    assert loader.unload(12345) == (3, "plugin 12345 is not loaded")


def test_a_singleton_held_by_the_registry_does_not_block_unload(loader, tmp_path):
    ffi, lib = loader.ffi, loader.lib
    pid, prefix = loader.good()
    tb = ffi.cast("nyrt_typebox*", lib.nyrt_tb_lookup(fast_key(f"{prefix}.Counter")))
    meta = ffi.new("char[]", b'{"singleton": true}')
    # register a singleton twin under a fresh name, owned by the same plugin
    from abi_helpers import sha, unique
    name = f"{unique()}.Single"
    keep = ffi.new("char[]", name.encode())
    twin = ffi.new("nyrt_typebox*", tb[0])
    twin.name, twin.stable_id, twin.fast_key = keep, list(sha(name)), fast_key(name)
    twin.meta.json, twin.meta.json_len = meta, len(b'{"singleton": true}')
    assert lib.nyrt_tb_register(twin, pid, ffi.NULL, 0) == 0
    one, two = value(ffi), value(ffi)
    assert lib.nyrt_tb_new(twin.fast_key, ffi.NULL, 0, one) == 0
    assert lib.nyrt_tb_new(twin.fast_key, ffi.NULL, 0, two) == 0
    assert one.box_handle == two.box_handle                 # every `new` gives the same instance
    assert lib.nyrt_plugin_live(pid) == 3                   # two references out, one kept by the registry
    assert loader.unload(pid)[0] == 3
    lib.nyrt_val_release(one)
    lib.nyrt_val_release(two)
    assert loader.unload(pid) == (0, "")
    assert lib.nyrt_plugin_live(pid) == 0
