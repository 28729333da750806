"""Every example plugin loads through nyrt_plugin_load with the TypeBoxes its nyash.toml fragment declares,
and every plugin in plugins/broken is refused for the one rule of abi.md section 4 it breaks (7.2), with a
message naming the file, the type and the rule."""
from __future__ import annotations

import tomllib

import pytest

from plugin_build import EXAMPLES, PLUGINS

ABI_KINDS = {"c": 1, "nyash": 2, "unified": 3}
FLAG_MAY_BLOCK = 0x8

# broken plugin -> the words its refusal must contain (registry.c's rule phrases, plugin.c's load errors)
REFUSALS = {
    "bad_tag": "broken.BadTag: wrong tag",
    "small_size": "broken.SmallSize: size too small",
    "ver_major": "broken.VerMajor: major version mismatch",
    "ver_minor": "broken.VerMinor: minor version too new",
    "null_name": "<unnamed>: name missing",
    "bad_utf8_name": "<unnamed>: name not UTF-8",
    "wrong_stable_id": "broken.WrongStableId: stable_id mismatch",
    "wrong_fast_key": "broken.WrongFastKey: fast_key mismatch",
    "abi_kind_mismatch": "broken.AbiKindMismatch: abi_kind mismatch",
    "missing_function": "broken.MissingFunction: vtable incomplete",
    "bad_meta": "broken.BadMeta: invalid meta",
    "duplicate_type": "broken.Duplicate: duplicate name",
    "init_fails": "nyash_plugin_init failed: E_STATE (init_fails: refusing to start)",
    "missing_symbol": "missing symbol nyash_typeboxes",
}


@pytest.fixture
def nyrt():
    binding = pytest.importorskip("nyash_run.abi.binding")
    try:
        return binding.get()
    except Exception as err:  # noqa: BLE001 -- nyrt could not be built here
        pytest.skip(f"nyrt is not available: {err}")


def load(ffi, lib, path):
    err = ffi.new("char[]", 8192)
    pid = lib.nyrt_plugin_load(str(path).encode(), ffi.NULL, ffi.NULL, err, 8192)
    return pid, ffi.string(err).decode("utf-8", "replace")


def test_every_broken_plugin_has_a_refusal_listed_and_a_toml_entry():
    sources = {path.stem for path in (PLUGINS / "broken").glob("*.c")}
    entries = tomllib.loads((PLUGINS / "broken" / "nyash.toml").read_text(encoding="utf-8"))["plugins"]
    assert sources == set(REFUSALS) == set(entries)
    assert all(entry["enabled"] for entry in entries.values())


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_plugin_registers_the_types_its_toml_declares(name, nyrt, built_plugins):
    ffi, lib = nyrt
    entry = tomllib.loads((PLUGINS / name / "nyash.toml").read_text(encoding="utf-8"))["plugins"][name]
    replaced = [t for t in entry["types"] if t.startswith("nyash.core.")]
    for core in replaced:                       # a plugin supplying a core type replaces the builtin
        lib.nyrt_tb_unregister(lib.nyrt_fast_key(core.encode()))
    try:
        pid, err = load(ffi, lib, built_plugins[name])
        assert pid >= 0, err
        boxes = [lib.nyrt_plugin_type(pid, i) for i in range(lib.nyrt_plugin_type_count(pid))]
        assert sorted(ffi.string(tb.name).decode() for tb in boxes) == sorted(entry["types"])
        assert {tb.abi_kind for tb in boxes} == {ABI_KINDS[entry["abi"]]}
        if name == "file":
            assert boxes[0].flags & FLAG_MAY_BLOCK
        assert lib.nyrt_plugin_live(pid) == 0
        assert lib.nyrt_plugin_unload(pid, ffi.NULL, 0) == 0
    finally:
        lib.nyrt_tb_restore_core()


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_broken_plugin_is_refused_for_its_rule(name, nyrt, built_plugins):
    ffi, lib = nyrt
    path = built_plugins[name]
    pid, err = load(ffi, lib, path)
    assert pid == -1
    assert str(path) in err and REFUSALS[name] in err, err
    assert lib.nyrt_tb_lookup_name(b"broken.Duplicate") == ffi.NULL   # all or nothing
