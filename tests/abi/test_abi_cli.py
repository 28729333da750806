"""`nyash plugins list | verify | build`, run as a user would."""
from __future__ import annotations

from abi_helpers import CC, compile_plugin, requires_cc, unique


def good_and_broken(tmp_path):
    prefix = unique()
    good = compile_plugin(tmp_path, prefix=prefix)
    meta = compile_plugin(tmp_path, "BREAK_META", prefix=prefix + "m")
    failing = compile_plugin(tmp_path, "INIT_FAIL", prefix=prefix + "i")
    return prefix, good, meta, failing


def toml_entry(name: str, path, abi: str, types, enabled: bool = True) -> str:
    listed = ", ".join(f'"{t}"' for t in types)
    return f'[plugins.{name}]\npath = "{path}"\nabi = "{abi}"\ntypes = [{listed}]\nenabled = {str(enabled).lower()}\n'


def test_list_shows_every_entry(nyash, tmp_path):
    (tmp_path / "nyash.toml").write_text(toml_entry("a", "libs/liba.{ext}", "c", ["acme.A"]) +
                                         toml_entry("b", "libb.{ext}", "nyash", ["acme.B", "acme.C"], False))
    result = nyash("plugins", "list", cwd=tmp_path)
    assert result.status == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"config: {tmp_path / 'nyash.toml'}"
    assert lines[1].startswith("a  path=libs/liba.{ext} (") and lines[1].endswith("abi=c  types=acme.A  enabled")
    assert lines[2].endswith("abi=nyash  types=acme.B,acme.C  disabled")


def test_list_without_a_config_is_an_error(nyash, tmp_path):
    result = nyash("plugins", "list", cwd=tmp_path)
    assert result.status == 1
    assert result.stderr == "nyash: error: no nyash.toml in the current directory (use --config FILE)\n"


@requires_cc
def test_verify_a_good_config(nyash, tmp_path):
    prefix, good, _, _ = good_and_broken(tmp_path)
    config = tmp_path / "elsewhere.toml"
    counter = compile_plugin(tmp_path, "ONLY_COUNTER", prefix=prefix + "c")
    cbox = compile_plugin(tmp_path, "ONLY_CBOX", prefix=prefix + "c")
    config.write_text(toml_entry("counter", counter, "nyash", [f"{prefix}c.Counter"]) +
                      toml_entry("cbox", cbox, "c", [f"{prefix}c.CBox"]))
    result = nyash("plugins", "verify", "--config", str(config))
    assert result.status == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"plugin counter ({counter}): OK", f"  type {prefix}c.Counter as Counter: OK",
        f"plugin cbox ({cbox}): OK", f"  type {prefix}c.CBox as CBox: OK"]


@requires_cc
def test_verify_a_broken_config(nyash, tmp_path):
    prefix, good, meta, failing = good_and_broken(tmp_path)
    (tmp_path / "nyash.toml").write_text(
        toml_entry("meta", meta, "nyash", [f"{prefix}m.Counter", f"{prefix}m.CBox"]) +
        toml_entry("init", failing, "c", ["other.Thing"]) +
        toml_entry("missing", tmp_path / "nope.so", "c", ["x.Y"]) +
        toml_entry("off", failing, "c", [f"{prefix}i.CBox"], enabled=False))
    result = nyash("plugins", "verify", cwd=tmp_path)
    assert result.status == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"plugin meta ({meta}): REFUSED"
    assert lines[1].startswith(f"  type {prefix}m.Counter as Counter: REFUSED: invalid meta (")
    assert lines[2] == f"  type {prefix}m.CBox as CBox: not registered (the plugin was refused)"
    assert lines[3] == (f"plugin init ({failing}): REFUSED: nyash_plugin_init failed: E_STATE "
                        "(init refuses on purpose)")
    assert lines[4] == "  type other.Thing as Thing: not checked"
    assert lines[5].startswith(f"plugin missing ({tmp_path / 'nope.so'}): REFUSED: cannot load: ")
    assert lines[7].startswith(f"plugin off ({failing}) (disabled): REFUSED: nyash_plugin_init failed")
    assert len(lines) == 9


@requires_cc
def test_verify_types_mismatch_and_ambiguity(nyash, tmp_path):
    prefix = unique()
    counter = compile_plugin(tmp_path, "ONLY_COUNTER", prefix=prefix)
    twin = compile_plugin(tmp_path, "ONLY_COUNTER", prefix=prefix + "t")
    (tmp_path / "nyash.toml").write_text(
        toml_entry("wrong", counter, "nyash", [f"{prefix}.Counter", f"{prefix}.Other"]) +
        toml_entry("twin", twin, "nyash", [f"{prefix}t.Counter"]))
    result = nyash("plugins", "verify", cwd=tmp_path)
    assert result.status == 1
    ambiguous = (f"REFUSED: Counter is ambiguous in {tmp_path / 'nyash.toml'}: {prefix}.Counter (plugin wrong) "
                 f"and {prefix}t.Counter (plugin twin)")
    assert result.stdout.splitlines() == [
        f"plugin wrong ({counter}): REFUSED: types mismatch: nyash.toml lists [{prefix}.Counter, {prefix}.Other], "
        f"the library reports [{prefix}.Counter]",
        f"  type {prefix}.Counter as Counter: {ambiguous}",
        f"  type {prefix}.Other as Other: REFUSED: the library does not report it",
        f"plugin twin ({twin}): REFUSED",
        f"  type {prefix}t.Counter as Counter: {ambiguous}"]


@requires_cc
def test_verify_exits_0_when_only_disabled_entries_are_refused(nyash, tmp_path):
    _, _, _, failing = good_and_broken(tmp_path)
    (tmp_path / "nyash.toml").write_text(toml_entry("off", failing, "c", ["a.B"], enabled=False))
    result = nyash("plugins", "verify", cwd=tmp_path)
    assert result.status == 0 and "REFUSED" in result.stdout


@requires_cc
def test_build_compiles_each_folder_once(nyash, tmp_path):
    plugins = tmp_path / "plugins"
    (plugins / "hello").mkdir(parents=True)
    (plugins / "hello" / "hello.c").write_text('#include "nyrt_typebox.h"\nint hello_answer(void) { return 42; }\n')
    (plugins / "broken").mkdir()
    (plugins / "broken" / "broken.c").write_text("this is not C\n")
    (plugins / "empty").mkdir()
    result = nyash("plugins", "build", cwd=tmp_path)
    assert result.status == 1
    library = plugins / "hello" / "libhello.so"
    assert f"built {library}" in result.stdout and library.exists()
    assert f"nyash: error: building {plugins / 'broken' / 'libbroken.so'} failed:" in result.stderr
    (plugins / "broken" / "broken.c").unlink()
    result = nyash("plugins", "build", str(plugins), cwd=tmp_path / "plugins")
    assert result.status == 0 and result.stdout == f"up to date: {library}\n"


def test_build_without_a_compiler_says_so(nyash, tmp_path, monkeypatch):
    (tmp_path / "plugins").mkdir()
    monkeypatch.setenv("CC", "no-such-compiler-here")
    result = nyash("plugins", "build", cwd=tmp_path)
    assert result.status == 1 and "no C compiler found ('no-such-compiler-here'; set CC)" in result.stderr
    assert CC
