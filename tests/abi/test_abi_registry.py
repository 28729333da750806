"""abi.md §4 and §7.2: every refusal rule, each triggered by a deliberately broken TypeBox, refused with a
message naming the plugin file, the type and the rule; plus the metadata JSON nyrt accepts."""
from __future__ import annotations

import pytest

from abi_helpers import fast_key, requires_cc, sha, unique

pytestmark = requires_cc

# define -> (the type named in the message, the rule's phrase)
RULES = {
    "BREAK_TAG": ("Counter", "wrong tag"),
    "BREAK_SIZE": ("Counter", "size too small"),
    "BREAK_MAJOR": ("Counter", "major version mismatch"),
    "BREAK_MINOR": ("Counter", "minor version too new"),
    "BREAK_NAME_NULL": ("<unnamed>", "name missing"),
    "BREAK_NAME_UTF8": ("<unnamed>", "name not UTF-8"),
    "BREAK_STABLE_ID": ("Counter", "stable_id mismatch"),
    "BREAK_FAST_KEY": ("Counter", "fast_key mismatch"),
    "BREAK_ABI_KIND": ("Counter", "abi_kind mismatch"),
    "BREAK_VTABLE": ("Counter", "vtable incomplete"),
    "BREAK_META": ("Counter", "invalid meta"),
}


@pytest.mark.parametrize("define", sorted(RULES))
def test_each_rule_refuses_the_plugin_naming_file_type_and_rule(loader, define):
    path, prefix = loader.build(define)
    pid, err = loader.load(path)
    assert pid == -1
    type_name, rule = RULES[define]
    expected_type = f"{prefix}.{type_name}" if type_name != "<unnamed>" else type_name
    assert err.startswith(f"{path}: {expected_type}: {rule} ("), err
    # all or nothing: the valid CBox of the same library was not left registered
    assert loader.lib.nyrt_tb_owner(fast_key(f"{prefix}.CBox")) == -2


def test_the_same_name_twice_is_a_duplicate(loader):
    path, prefix = loader.build("DUPLICATE")
    pid, err = loader.load(path)
    assert pid == -1
    assert f"{path}: {prefix}.Counter: duplicate name (already registered by {path})" in err


def test_a_type_another_plugin_registered_is_a_duplicate(loader):
    first, prefix = loader.build()
    second = loader.tmp / "copy.so"                         # another library with the same type names
    second.write_bytes(first.read_bytes())
    pid, err = loader.load(first)
    assert pid >= 0, err
    pid2, err = loader.load(second)
    assert pid2 == -1 and f"{prefix}.Counter: duplicate name (already registered by {first})" in err


def test_a_fast_key_already_taken_by_another_name_is_refused(loader):
    # A 64-bit collision cannot be found in a test: corrupt a registered TypeBox in memory instead, so
    # that the entry under key K now carries another name, then register the real owner of K.
    ffi, lib = loader.ffi, loader.lib
    pid, prefix = loader.good("ONLY_COUNTER")
    original = lib.nyrt_plugin_type(pid, 0)
    other = f"{unique()}.Other"
    name_keep = ffi.new("char[]", other.encode())
    registered = ffi.cast("nyrt_typebox*", original)
    saved = registered.name
    twin = ffi.new("nyrt_typebox*", registered[0])            # a valid copy with the original name
    registered.name = name_keep
    try:
        err = ffi.new("char[]", 512)
        assert lib.nyrt_tb_register(twin, 99, err, 512) != 0
        text = ffi.string(err).decode()
        assert text.startswith(f"{prefix}.Counter: duplicate fast_key (0x{fast_key(prefix + '.Counter'):016x}")
        assert other in text
    finally:
        registered.name = saved


def test_init_failing_refuses_the_plugin_with_its_logged_detail(loader):
    path, _ = loader.build("INIT_FAIL")
    pid, err = loader.load(path)
    assert (pid, err) == (-1, f"{path}: nyash_plugin_init failed: E_STATE (init refuses on purpose)")


def test_a_missing_entry_point_refuses_the_plugin(loader):
    path, _ = loader.build("BOXES_NAME=other_boxes")
    pid, err = loader.load(path)
    assert (pid, err) == (-1, f"{path}: missing symbol nyash_typeboxes")


def test_entry_point_names_can_be_overridden(loader):
    path, prefix = loader.build("BOXES_NAME=other_boxes", "INIT_NAME=other_init")
    pid, err = loader.load(path, init="other_init", boxes="other_boxes")
    assert pid >= 0, err
    assert loader.lib.nyrt_plugin_type_count(pid) == 2


def test_a_library_that_cannot_be_opened_is_refused(loader, tmp_path):
    pid, err = loader.load(tmp_path / "nothing.so")
    assert pid == -1 and err.startswith(f"{tmp_path / 'nothing.so'}: cannot load: ")


def test_short_names(loader):
    ffi, lib = loader.ffi, loader.lib
    pid, prefix = loader.good()
    name = lib.nyrt_tb_short_name_of(fast_key(f"{prefix}.Counter"))
    assert ffi.string(name) == b"Counter"
    assert ffi.string(lib.nyrt_tb_short_name_of(fast_key("nyash.core.Map"))) == b"MapBox"


# ---- metadata ------------------------------------------------------------------------------------------------
def register_with_meta(loader, meta: bytes | None):
    """Register a copy of a loaded TypeBox under a fresh name with `meta`; (code, message)."""
    ffi, lib = loader.ffi, loader.lib
    pid, _ = loader.good("ONLY_COUNTER")
    tb = ffi.new("nyrt_typebox*", lib.nyrt_plugin_type(pid, 0)[0])
    name = f"{unique()}.Meta"
    keep = [ffi.new("char[]", name.encode()), ffi.new("char[]", meta) if meta is not None else ffi.NULL]
    tb.name = keep[0]
    tb.stable_id = list(sha(name))
    tb.fast_key = fast_key(name)
    tb.meta.json = keep[1]
    tb.meta.json_len = len(meta) if meta is not None else 0
    err = ffi.new("char[]", 512)
    code = lib.nyrt_tb_register(tb, pid, err, 512)
    if code == 0:
        lib.nyrt_tb_unregister(tb.fast_key)
    return code, ffi.string(err).decode()


@pytest.mark.parametrize("meta", [
    None, b"{}", b' {"methods": {"a/0": {}, "b/12": {"ret": "x.Y", "other": [1, 2.5e3, null]}}} ',
    b'{"birth_arity": [0, 2], "singleton": true, "doc": "\\u00e9\\ud83d\\ude00 \\"q\\""}',
    b'{"methods": {}}\x00',                        # a counted trailing NUL is tolerated
    b'{"methods": {"set/2": {"args": ["nyash.core.Any", "x.Y"], "ret": null}, "f/0": {"args": []}}}',
])
def test_valid_metadata_is_accepted(loader, meta):
    assert register_with_meta(loader, meta) == (0, "")


@pytest.mark.parametrize("meta, why", [
    (b"{", "expected a string at byte 1"), (b"[]", "the top level must be an object"),
    (b"{} x", "text after the object"),
    (b'{"a": 01}', "expected ',' or '}'"), (b'{"a": "\\x"}', "bad escape"), (b'{"a": tru}', "unexpected character"),
    (b'{"methods": {"get": {}}}', "is not NAME/ARITY"), (b'{"methods": {"get/01": {}}}', "is not NAME/ARITY"),
    (b'{"methods": {"get/0": {"ret": 3}}}', '"ret" must be a type name string'),
    (b'{"birth_arity": [-1]}', "non-negative integers"), (b'{"singleton": 1}', "must be a boolean"),
    (b'{"methods": {"f/1": {"args": "nyash.core.Any"}}}', '"args" must be an array of type names'),
    (b'{"methods": {"f/1": {"args": [1]}}}', '"args" must be an array of type names'),
    (b'{"a": "\\ud800"}', "unpaired surrogate"), (b"[" * 100, "the top level must be an object"),
    (b'{"a":' + b"[" * 100 + b"]" * 100 + b"}", "nested too deeply"),
])
def test_invalid_metadata_is_refused_with_the_reason(loader, meta, why):
    code, message = register_with_meta(loader, meta)
    assert code != 0
    assert ": invalid meta (" in message and why in message, message
