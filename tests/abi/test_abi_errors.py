"""abi.md §7.6: every NYRT_E_* code from a plugin surfaces as the same error, `PluginError: TYPE.METHOD
failed: E_CODE (DETAIL)`, through nyrt and through the Python PluginBox (a catchable NyashRuntimeError)."""
from __future__ import annotations

import pytest

from abi_helpers import call, fast_key, int_value, last_message, requires_cc, value

pytestmark = requires_cc

CODES = {1: "E_ARG", 2: "E_TYPE", 3: "E_STATE", 4: "E_OOM", 5: "E_ABORT", 6: "E_NOT_FOUND"}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_of_a_nyash_abi_plugin(loader, code):
    ffi, lib = loader.ffi, loader.lib
    pid, prefix = loader.good()
    c = value(ffi)
    assert lib.nyrt_tb_new(fast_key(f"{prefix}.Counter"), ffi.NULL, 0, c) == 0
    got, ret = call(ffi, lib, c, "fail", int_value(ffi, lib, code))
    assert got == code and lib.nyrt_last_error_kind() == 2
    detail = f"failing with {code} on purpose"                 # the line the plugin logged
    assert last_message(ffi, lib) == f"PluginError: Counter.fail failed: {CODES[code]} ({detail})"
    assert ffi.string(lib.nyrt_last_error()).decode() == detail
    got, _ = call(ffi, lib, c, "failQuiet", int_value(ffi, lib, code))
    assert last_message(ffi, lib) == f"PluginError: Counter.failQuiet failed: {CODES[code]} (" + (
        "unknown method failQuiet/1)" if code == 6 else "no detail)")
    lib.nyrt_val_release(c)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_of_a_c_abi_plugin(loader, code):
    ffi, lib = loader.ffi, loader.lib
    pid, prefix = loader.good()
    b = value(ffi)
    assert lib.nyrt_tb_new(fast_key(f"{prefix}.CBox"), ffi.NULL, 0, b) == 0
    got, _ = call(ffi, lib, b, "fail", int_value(ffi, lib, code))
    assert got == code
    assert last_message(ffi, lib) == f"PluginError: CBox.fail failed: {CODES[code]} (cbox says no)"
    lib.nyrt_val_release(b)


def test_an_error_line_of_a_successful_call_is_still_logged(loader):
    from nyash_run.abi import binding
    ffi, lib = loader.ffi, loader.lib
    lines = []
    binding.set_log(lambda level, text: lines.append((level, text)))
    try:
        pid, prefix = loader.good()
        c = value(ffi)
        lib.nyrt_tb_new(fast_key(f"{prefix}.Counter"), ffi.NULL, 0, c)
        call(ffi, lib, c, "fail", int_value(ffi, lib, 0))      # logs an ERROR line, then returns OK
        call(ffi, lib, c, "fail", int_value(ffi, lib, 2))      # the detail of a failure: not logged
        lib.nyrt_val_release(c)
    finally:
        binding.set_log(None)
    assert lines == [(3, "failing with 0 on purpose")]


def test_the_python_side_raises_the_same_message(tmp_path, loader):
    from nyash_run.abi.config import load_config
    from nyash_run.abi.plugins import PluginHost
    from nyash_run.runtime.errors import NyashRuntimeError
    path, prefix = loader.build("ONLY_COUNTER")
    (tmp_path / "nyash.toml").write_text(
        f'[plugins.t]\npath = "{path}"\nabi = "nyash"\ntypes = ["{prefix}.Counter"]\n')
    host = PluginHost(load_config(tmp_path / "nyash.toml"))
    counter = host.new("Counter", [])
    for code, name in CODES.items():
        with pytest.raises(NyashRuntimeError) as info:
            counter.__nyash_call__("fail", [code])
        assert info.value.message == f"PluginError: Counter.fail failed: {name} (failing with {code} on purpose)"
    del counter, info
    import gc
    gc.collect()
    host.unload(host.config.plugins[0])


def test_e_not_found_from_a_listed_method_does_not_run_it_again_by_name(loader):
    """fail/1 is in the Counter's metadata: its E_NOT_FOUND is its own result, so the by-name fallback (for
    ids a plugin does not know) must not run it a second time -- one log line, which became the detail."""
    from nyash_run.abi import binding
    ffi, lib = loader.ffi, loader.lib
    lines = []
    binding.set_log(lambda level, text: lines.append(text))
    try:
        pid, prefix = loader.good()
        c = value(ffi)
        lib.nyrt_tb_new(fast_key(f"{prefix}.Counter"), ffi.NULL, 0, c)
        code, _ = call(ffi, lib, c, "fail", int_value(ffi, lib, 6))
        assert code == 6 and lines == []
        assert last_message(ffi, lib) == "PluginError: Counter.fail failed: E_NOT_FOUND (failing with 6 on purpose)"
        code, _ = call(ffi, lib, c, "echo", c)                   # unlisted: found only by name
        assert code == 0
        lib.nyrt_val_release(_)
        lib.nyrt_val_release(c)
    finally:
        binding.set_log(None)
