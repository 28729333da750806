"""nyash.toml v3 (abi.md §6): where it is found, how entries are read, and the name checks. No C needed."""
from __future__ import annotations

import pytest

from nyash_run.abi.config import (Config, config_for, find_config, load_config, name_table,
                                  shared_library_suffix, short_name)
from nyash_run.abi.errors import PluginError

SPEC_EXAMPLE = """
[plugins.map_simple]
path = "plugins/map_c/libmap_c.{ext}"
abi = "c"                     # "c" | "nyash" | "unified"
types = ["nyash.core.Map"]

[plugins.map_hybrid]
path = "plugins/map_unified/libmap_unified.{ext}"
abi = "unified"               # both vtables; Nyash ABI preferred
types = ["nyash.core.Map", "nyash.core.Array"]
symbols.boxes = "nyash_typeboxes"
symbols.init = "nyash_plugin_init"
enabled = false               # present but not loaded
"""


def write(folder, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nyash.toml").write_text(text)
    return folder / "nyash.toml"


def test_the_spec_example(tmp_path):
    config = load_config(write(tmp_path, SPEC_EXAMPLE))
    simple, hybrid = config.plugins
    assert simple.name == "map_simple" and simple.abi == "c" and simple.enabled
    assert simple.path == tmp_path / "plugins" / "map_c" / f"libmap_c.{shared_library_suffix()}"
    assert simple.written_path == "plugins/map_c/libmap_c.{ext}"
    assert (simple.init_symbol, simple.boxes_symbol) == (None, None)
    assert hybrid.types == ("nyash.core.Map", "nyash.core.Array") and not hybrid.enabled
    assert (hybrid.init_symbol, hybrid.boxes_symbol) == ("nyash_plugin_init", "nyash_typeboxes")
    assert config.enabled() == [simple]


@pytest.mark.parametrize("platform, ext", [("linux", "so"), ("darwin", "dylib"), ("win32", "dll")])
def test_ext_per_platform(platform, ext):
    assert shared_library_suffix(platform) == ext


def test_found_next_to_the_program_before_the_current_directory(tmp_path):
    program_dir, cwd = tmp_path / "app", tmp_path / "cwd"
    beside = write(program_dir, "")
    in_cwd = write(cwd, "")
    assert find_config(program_dir / "main.ny", None, cwd) == beside
    (program_dir / "nyash.toml").unlink()
    assert find_config(program_dir / "main.ny", None, cwd) == in_cwd
    (cwd / "nyash.toml").unlink()
    assert find_config(program_dir / "main.ny", None, cwd) is None


def test_config_option_overrides(tmp_path, monkeypatch):
    write(tmp_path, '[plugins.a]\npath = "x"\nabi = "c"\ntypes = ["a.B"]\n')
    other = write(tmp_path / "other", '[plugins.z]\npath = "lib.{ext}"\nabi = "nyash"\ntypes = ["z.Z"]\n')
    monkeypatch.chdir(tmp_path)
    assert config_for(tmp_path / "main.ny", other).plugins[0].name == "z"
    assert config_for(tmp_path / "main.ny").plugins[0].name == "a"
    assert config_for(None, None).plugins[0].name == "a"          # cwd
    with pytest.raises(PluginError, match="missing.toml: config file not found"):
        config_for(tmp_path / "main.ny", tmp_path / "missing.toml")


def test_paths_are_relative_to_the_toml_not_the_cwd(tmp_path, monkeypatch):
    toml = write(tmp_path / "proj", '[plugins.a]\npath = "../libs/liba.{ext}"\nabi = "c"\ntypes = ["a.A"]\n')
    monkeypatch.chdir(tmp_path / "proj")
    monkeypatch.chdir(tmp_path)
    assert load_config(toml).plugins[0].path == tmp_path / "libs" / f"liba.{shared_library_suffix()}"


@pytest.mark.parametrize("body, message", [
    ("[plugins.a\n", "invalid TOML"),
    ("plugins = 3\n", "'plugins' must be a table"),
    ("[plugins.a]\nabi = 'c'\ntypes = ['a.A']\n", "[plugins.a]: path must be a non-empty string"),
    ("[plugins.a]\npath = 'x'\nabi = 'rust'\ntypes = ['a.A']\n", "abi must be one of c, nyash, unified, not 'rust'"),
    ("[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = []\n", "types must be a non-empty list"),
    ("[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = ['a.A', 'a.A']\n", "types lists a name twice"),
    ("[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = ['a.A']\nenabled = 'no'\n", "enabled must be true or false"),
    ("[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = ['a.A']\nenable = false\n", "unknown key 'enable'"),
    ("[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = ['a.A']\nsymbols.start = 'f'\n", "unknown key 'symbols.start'"),
])
def test_malformed_entries_are_errors_naming_file_and_entry(tmp_path, body, message):
    toml = write(tmp_path, body)
    with pytest.raises(PluginError) as info:
        load_config(toml)
    assert str(toml) in info.value.message and message in info.value.message


def test_enabled_false_entries_provide_no_names(tmp_path):
    config = load_config(write(tmp_path, SPEC_EXAMPLE.replace("enabled = false", "enabled = true")
                               .replace('types = ["nyash.core.Map"]\n', 'types = ["acme.Other"]\n', 1)))
    names, problems = name_table(config)
    assert set(names) == {"Other", "MapBox", "ArrayBox"} and problems == {}
    config = load_config(write(tmp_path, SPEC_EXAMPLE))
    names, problems = name_table(config)
    assert set(names) == {"MapBox"} and names["MapBox"][0].name == "map_simple"


def test_ambiguous_short_names_and_builtin_clashes(tmp_path):
    config = load_config(write(tmp_path, """
[plugins.a]
path = "a"
abi = "c"
types = ["acme.FileBox", "acme.MapBox"]
[plugins.b]
path = "b"
abi = "c"
types = ["other.FileBox"]
"""))
    names, problems = name_table(config)
    assert set(names) == {"FileBox", "MapBox"}
    assert problems["FileBox"] == (f"FileBox is ambiguous in {config.file}: acme.FileBox (plugin a) and "
                                   "other.FileBox (plugin b)")
    assert problems["MapBox"] == "acme.MapBox (plugin a) would hide the builtin MapBox"


def test_core_types_nyrt_makes_itself_are_not_replaceable():
    from nyash_run.abi.config import replaceable
    assert [replaceable(f"nyash.core.{t}") for t in ("Map", "Console", "Math", "Array", "String", "Integer")] == [
        True, True, True, False, False, False]
    assert replaceable("acme.Array") and replaceable("nyash.core.sub.Array")


def test_short_names():
    assert short_name("nyash.core.Map") == "MapBox" and short_name("nyash.core.Array") == "ArrayBox"
    assert short_name("acme.FileBox") == "FileBox" and short_name("acme.io.FileBox") == "FileBox"
    assert short_name("nyash.core.x.Y") == "Y" and short_name("Plain") == "Plain"


def test_no_config_means_no_plugins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config_for(tmp_path / "main.ny") is None
    assert isinstance(load_config(write(tmp_path, "")), Config)
