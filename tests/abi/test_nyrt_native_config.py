"""nyrt_x_load_plugins (abi/nyrt/nyash_toml.c): nyash.toml read in C for native executables, checked against
abi/config.py (the same message for every problem of a file's shape) and abi/plugins.py's load_entry (the same
refusal for every plugin it refuses).

Files whose shape is wrong load nothing, so those run in this process. Loading changes the registry for the
rest of a process (a plugin's types stay registered, a replaced core type stays replaced), so every test that
loads runs nyrt in a subprocess, and the Python side it is compared with in another.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from abi_helpers import HAVE_CC, ROOT
from nyash_run.abi.config import load_config
from nyash_run.abi.errors import PluginError

sys.path.insert(0, str(ROOT / "tests" / "plugins"))
import plugin_build  # noqa: E402

pytestmark = pytest.mark.skipif(not HAVE_CC, reason="no C compiler: nyrt cannot be built")

EXT = plugin_build.EXT
PLUGINS = ROOT / "plugins"


@pytest.fixture(scope="session")
def built_plugins():
    """The example and broken plugins, built once (tests/plugins/plugin_build.py)."""
    if plugin_build.CC is None:
        pytest.skip("no C compiler found")
    return plugin_build.build_all()


# ---- calling nyrt_x_load_plugins ---------------------------------------------------------------------------
# The cffi module's cdef is nyrt.h's; nyrt_exec.h's functions are reached through the same loaded library
# in ABI mode when the module does not declare them.
LOADER = r"""
import json, sys
from nyash_run.abi import binding, build
ffi, lib = binding.get()
try:
    xffi, fn = ffi, lib.nyrt_x_load_plugins
except AttributeError:
    import cffi
    xffi = cffi.FFI()
    xffi.cdef("int32_t nyrt_x_load_plugins(const char *toml_path, char *err, size_t cap);")
    fn = xffi.dlopen(str(build.build())).nyrt_x_load_plugins
"""

CHILD = LOADER + r"""
cap = int(sys.argv[2]) if len(sys.argv) > 2 else 65536
err = xffi.new("char[]", max(cap, 1))
result = fn(sys.argv[1].encode(), err, cap)
types = []
for pid in range(64):
    for i in range(lib.nyrt_plugin_type_count(pid)):
        types.append(ffi.string(lib.nyrt_plugin_type(pid, i).name).decode())
owner = lib.nyrt_tb_owner(lib.nyrt_fast_key(b"nyash.core.Map"))
print(json.dumps({"result": result, "err": xffi.string(err).decode("utf-8", "replace"), "types": types,
                  "map_owner": owner}))
"""

# What `nyash run` says for each enabled entry of a file when a program uses it: load_entry's refusal.
PYTHON_SIDE = r"""
import json, sys
from nyash_run.abi import binding
from nyash_run.abi.config import load_config
from nyash_run.abi.plugins import load_entry
binding.get()
messages, types = [], []
for entry in load_config(sys.argv[1]).enabled():
    result = load_entry(entry)
    if result.ok:
        types.extend(result.reported)
    else:
        messages.append(result.message())
print(json.dumps({"messages": messages, "types": types}))
"""


def run_child(script: str, *args: str, cwd: Path | None = None) -> dict:
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def c_load(toml: Path | str, cap: int | None = None, cwd: Path | None = None) -> dict:
    return run_child(CHILD, str(toml), *([str(cap)] if cap is not None else []), cwd=cwd)


def python_load(toml: Path) -> dict:
    return run_child(PYTHON_SIDE, str(toml))


@pytest.fixture(scope="module")
def load_here():
    """nyrt_x_load_plugins in this process (only for files that load nothing): path -> (result, err)."""
    namespace: dict = {}
    exec(LOADER, namespace)
    xffi, fn = namespace["xffi"], namespace["fn"]

    def call(path) -> tuple[int, str]:
        err = xffi.new("char[]", 65536)
        result = fn(str(path).encode(), err, 65536)
        return result, xffi.string(err).decode("utf-8", "replace")
    return call


def write(folder: Path, text: str, name: str = "nyash.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def config_error(path: Path) -> str | None:
    try:
        load_config(path)
    except PluginError as err:
        return err.message
    return None


# ---- the file's shape: the same message as config.py ----------------------------------------------------------
ENTRY = "[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = ['a.A']\n"
SHAPE_ERRORS = [
    "plugins = 3\n",
    "plugins = 'x'\n",
    "[[plugins]]\npath = 'x'\n",
    "[plugins]\na = 3\n",
    "[[plugins.a]]\npath = 'x'\nabi = 'c'\ntypes = ['a.A']\n",
    "plugins.a = [1]\n",
    "[plugins.a]\nabi = 'c'\ntypes = ['a.A']\n",
    "[plugins.a]\npath = ''\nabi = 'c'\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 3\nabi = 'c'\ntypes = ['a.A']\n",
    "[plugins.a]\npath = true\nabi = 'c'\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 'x'\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 'x'\nabi = ''\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 'x'\nabi = ['c']\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 'x'\nabi = 'rust'\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 'x'\nabi = 'C'\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 'x'\nabi = \"c\\u0041\"\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 'x'\nabi = \"\"\"\nrust\"\"\"\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = []\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = 'a.A'\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = ['a.A', '']\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = ['a.A', 3]\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = [['a.A']]\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = {a = 'a.A'}\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = ['a.A', 'a.B', 'a.A']\n",
    ENTRY + "enabled = 'no'\n",
    ENTRY + "enabled = 1\n",
    ENTRY + "enabled = 1.5\n",
    ENTRY + "enabled = -inf\n",
    ENTRY + "enabled = [true]\n",
    ENTRY + "enable = false\n",
    ENTRY + "zeta = 1\nalpha = 2\nZulu = 3\n",
    ENTRY + "\"\u00fc\" = 1\nz = 2\n",
    ENTRY + "symbols.start = 'f'\n",
    ENTRY + "symbols = 'f'\n",
    ENTRY + "symbols = ['f']\n",
    ENTRY + "symbols = { init = '' }\n",
    ENTRY + "symbols = { boxes = 3 }\n",
    ENTRY + "symbols = { init = 'f', boxes = '' }\n",
    ENTRY + "symbols = { init = 'f', zz = 'g', aa = 'h' }\n",
    ENTRY + "[plugins.a.symbols]\ninit = 'f'\nextra = 1\n",
    ENTRY + "[[plugins.a.symbols]]\ninit = 'f'\n",
    # the first problem in config.py's order wins
    "[plugins.a]\nbogus = 1\nabi = 'rust'\n",
    "[plugins.a]\nabi = 'rust'\n",
    "[plugins.a]\npath = 'x'\nabi = 'rust'\nenabled = 'no'\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\nenabled = 'no'\nsymbols = 1\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\nsymbols = 1\ntypes = []\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\nsymbols = {init = 3}\ntypes = []\n",
    # entries in file order; names as written, quoted or not
    ENTRY + "[plugins.b]\npath = 'x'\nabi = 'c'\ntypes = ['b.B']\nenabled = 'no'\n",
    "[plugins.\"my plugin\"]\npath = 'x'\nabi = 'rust'\ntypes = ['a.A']\n",
    "[plugins.'caf\u00e9']\npath = 'x'\nabi = 'rust'\ntypes = ['a.A']\n",
    "[plugins.a-b_c]\npath = 'x'\nabi = 'nyash '\ntypes = ['a.A']\n",
    # other spellings of the same tables
    "plugins = { a = { path = 'x', abi = 'c', types = ['a.A'], enabled = 'x' } }\n",
    "plugins.a.path = 'x'\nplugins.a.abi = 'unified'\nplugins.a.types = ['a.A']\nplugins.a.symbols.init = ''\n",
    "[plugins]\na.path = 'x'\na.abi = 'c'\na.types = ['a.A']\na.enabled = 0x1\n",
    "[ plugins . a ]\n  path = 'x' # comment\n  abi = 'c'\n  types = [\n    'a.A', # one\n    'a.A', # two\n  ]\n",
    "[plugins.a]\r\npath = 'x'\r\nabi = 'cc'\r\ntypes = ['a.A']\r\n",
]


@pytest.mark.parametrize("text", SHAPE_ERRORS)
def test_shape_errors_are_config_py_messages(tmp_path, load_here, text):
    toml = write(tmp_path / "proj", text)
    expected = config_error(toml)
    assert expected is not None and "invalid TOML" not in expected, expected
    assert load_here(toml) == (-1, expected)


# Valid TOML around valid entries (all disabled, so nothing loads): both sides accept it.
VALID = [
    "",
    "# only a comment\n\n   \n",
    "[package]\nname = \"demo\"\n",
    ENTRY + "enabled = false\n",
    ENTRY.replace("'x'", "\"x\\t\\\"y\\\"\\\\ \\u00e9\\U0001F600\"") + "enabled = false\n",
    ENTRY + "enabled = false\nsymbols = { init = \"my_init\", boxes = \"my_boxes\" }\n",
    ENTRY + "enabled = false\nsymbols.init = 'i'\nsymbols.boxes = 'b'\n",
    ENTRY + "enabled = false\n[plugins.a.symbols]\ninit = 'i'\n",
    ENTRY + "enabled = false\n\n[plugins.b]\npath = '''b\\lib'''\nabi = 'unified'\ntypes = [\n  'b.B',\n  'b.C',\n]\nenabled = false\n",
    "[other]\nx = +1_000\ny = 0xDEAD_beef\nz = 0o17\nw = 0b101\nf = 6.02e+23\ng = -0.5\nh = inf\ni = nan\nj = 1E5\n"
    + ENTRY + "enabled = false\n",
    "[[things]]\nx = 1\n[[things]]\nx = 2\n[things.sub]\ny = 1\n" + ENTRY + "enabled = false\n",
    "a = \"\"\"\nline one\nline \\\n    two \"\"\"\nb = '''x''y'''\nc = \"\"\"q\"\"\"\"\"\n" + ENTRY + "enabled = false\n",
    "x = { }\ny = { a.b = 1, c = [ { d = 2 } ] }\nz = [[1, 2], ['a'], []]\n" + ENTRY + "enabled = false\n",
    "[plugins.a]\ntypes = ['a.A']\nabi = 'c'\npath = 'x'\nenabled = false # off\n",
    "\n\n[plugins.a]\t# tab before the comment\npath\t=\t'x'\nabi = 'nyash'\ntypes = [ 'a.A' , 'a.B' ]\nenabled = false",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_files_load_their_enabled_entries_only(tmp_path, load_here, text):
    toml = write(tmp_path, text)
    assert config_error(toml) is None
    assert load_here(toml) == (0, "")


# Not TOML (or not the subset): both sides refuse the file. tomllib's wording differs from ours; the line is ours.
INVALID = [
    ("[plugins.a\n", 1),
    ("a = \n", 1),
    ("a = 1\na = 2\n", 2),
    ("[x]\n[x]\n", 2),
    (ENTRY + "path = 'y'\n", 5),
    ("a = \"unterminated\n", 1),
    ("a = 'unterminated\n", 1),
    ("a = \"\\q\"\n", 1),
    ("a = \"\\uD800\"\n", 1),
    ("a = \"\\u12\"\n", 1),
    ("\n\na = [1, 2\n", 3),
    ("a = [1 2]\n", 1),
    ("a = {x = 1,}\n", 1),
    ("a = {x = 1\n}\n", 1),
    ("a = 01\n", 1),
    ("a = 1__0\n", 1),
    ("a = _1\n", 1),
    ("a = 1.\n", 1),
    ("a = tru\n", 1),
    ("a = True\n", 1),
    ("a = \"x\" b = 1\n", 1),
    ("a = \"x\u0001\"\n", 1),
    ("# bad \u0007 comment\n", 1),
    ("[a]\nb.c = 1\n[a.b]\n", 3),
    ("a = {b = 1}\n[a]\n", 2),
    ("a = {b = 1}\na.c = 2\n", 2),
    ("[[a]]\n[a]\n", 2),
    ("a = [1]\n[[a]]\n", 2),
    ("a.b = 1\na = 2\n", 2),
    ("a = 1\na.b = 2\n", 2),
    ("[a]\nb = 1\n[a.b]\n", 3),
    ("[a.b]\nx = 1\n[a]\nb.y = 2\n", 4),
    ("= 1\n", 1),
    ("a b = 1\n", 1),
    ("[]\n", 1),
    ("[a]]\n", 1),
    ("a = \"\"\"x\"\"\"\"\"\"\n", 1),
    ("a = '''x\n", 1),
    ("a = '\"\"\"' \"\n", 1),
    ("a = 1\r\r\nb = 2\n", 1),
    ("[plugins.a.symbols]\n[plugins]\na.b = 1\n[plugins.a]\n", 4),   # a dotted key made 'a' a table
]


@pytest.mark.parametrize("text, line", INVALID)
def test_invalid_toml(tmp_path, load_here, text, line):
    toml = write(tmp_path, text)
    assert "invalid TOML" in (config_error(toml) or "")
    result, err = load_here(toml)
    assert result == -1 and err.startswith(f"{toml.resolve()}: invalid TOML: line {line}: "), err
    assert "\n" not in err


def test_not_utf8_is_invalid(tmp_path, load_here):
    toml = write(tmp_path, b"# ok\n[plugins.\xff]\n")
    result, err = load_here(toml)
    assert (result, err) == (-1, f"{toml}: invalid TOML: line 2: the file is not valid UTF-8")


def test_unreadable_files(tmp_path, load_here, monkeypatch):
    missing = tmp_path / "missing.toml"
    assert load_here(missing) == (-1, config_error(missing))
    assert config_error(missing) == f"{missing}: cannot read: No such file or directory"
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    assert load_here(folder) == (-1, config_error(folder))
    monkeypatch.chdir(tmp_path)                  # a relative path is resolved against the current directory
    assert load_here("missing.toml") == (-1, config_error(missing))


def test_the_path_in_messages_is_resolved(tmp_path, load_here):
    """Path.resolve(): symbolic links followed, '..' and '.' gone, relative to the current directory."""
    real = write(tmp_path / "real" / "deep", "[plugins.a]\npath = 'x'\nabi = 'rust'\ntypes = ['a.A']\n")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    through = tmp_path / "link" / "deep" / ".." / "deep" / "." / "nyash.toml"
    result, err = load_here(through)
    assert (result, err) == (-1, config_error(through))
    assert err.startswith(f"{real}: [plugins.a]: ")


def test_error_buffer_limits(tmp_path):
    toml = write(tmp_path, "[plugins.a]\npath = 'x'\nabi = 'rust'\ntypes = ['a.A']\n")
    whole = c_load(toml)["err"]
    assert c_load(toml, cap=20)["err"] == whole[:19]
    assert c_load(toml, cap=1)["err"] == "" and c_load(toml, cap=0)["err"] == ""


# ---- loading: the same plugins and refusals as plugins.py -------------------------------------------------------
def test_the_project_config_loads_its_enabled_plugins(built_plugins):
    got = c_load(ROOT / "nyash.toml")
    assert got == {"result": 3, "err": "", "types": ["acme.CounterBox", "acme.FileBox", "acme.FixtureBox"],
                   "map_owner": -1}               # the three MapBox plugins are disabled: nyrt keeps MapBox


@pytest.mark.parametrize("name", ["counter", "file", "fixture", "map_c", "map_ny", "map_unified"])
def test_each_example_config(built_plugins, name):
    toml = PLUGINS / name / "nyash.toml"
    got, expected = c_load(toml), python_load(toml)
    assert got["result"] == 1 and got["err"] == "" and got["types"] == expected["types"]
    assert (got["map_owner"] >= 0) == name.startswith("map_")     # the plugin replaced nyrt's MapBox


def test_refusals_of_the_broken_plugins_are_plugins_py_messages(built_plugins):
    toml = PLUGINS / "broken" / "nyash.toml"
    got, expected = c_load(toml), python_load(toml)
    assert len(expected["messages"]) == 14
    assert got["result"] == -1 and got["err"].split("\n") == expected["messages"]
    assert got["types"] == expected["types"] == []


def lib(name: str) -> str:
    return str(PLUGINS / name / f"lib{name}.so")


def test_entry_checks_after_loading(built_plugins, tmp_path):
    """Relative paths with {ext}, explicit symbols, and each check load_entry makes; good entries still load."""
    here = tmp_path / "proj"
    rel = os.path.relpath(PLUGINS, here)
    toml = write(here, textwrap.dedent(f"""\
        [plugins.counter]
        path = "{rel}/counter/libcounter.{{ext}}"
        abi = "c"
        types = ["acme.CounterBox"]
        symbols = {{ init = "nyash_plugin_init", boxes = "nyash_typeboxes" }}

        [plugins.wrong_types]
        path = "{rel}/file/libfile.{{ext}}"
        abi = "c"
        types = ["acme.Other", "acme.FileBox"]

        [plugins.wrong_abi]
        path = "{rel}/fixture/libfixture.{{ext}}"
        abi = "c"
        types = ["acme.FixtureBox"]

        [plugins.core]
        path = "{rel}/map_c/libmap_c.{{ext}}"
        abi = "c"
        types = ["nyash.core.String", "nyash.core.Map", "nyash.core.Array"]

        [plugins.missing]
        path = "nowhere/libmissing.{{ext}}"
        abi = "c"
        types = ["acme.Missing"]

        [plugins.bad_symbol]
        path = "{lib('map_ny')}"
        abi = "nyash"
        types = ["nyash.core.Map"]
        symbols.init = "no_such_init"

        [plugins.off]
        path = "nowhere/libmissing.{{ext}}"
        abi = "c"
        types = ["acme.Off"]
        enabled = false

        [plugins.map]
        path = "{rel}/map_unified/libmap_unified.{{ext}}"
        abi = "unified"
        types = ["nyash.core.Map"]
        """))
    got, expected = c_load(toml), python_load(toml)
    assert got["err"].split("\n") == expected["messages"]
    assert got["result"] == -1 and got["types"] == expected["types"] == ["acme.CounterBox", "nyash.core.Map"]
    assert got["map_owner"] >= 0
    messages = "\n".join(expected["messages"])
    for fragment in ("types mismatch: nyash.toml lists [acme.FileBox, acme.Other], the library reports [acme.FileBox]",
                     "acme.FixtureBox: abi mismatch (nyash.toml says c, the TypeBox is nyash)",
                     "nyash.core.String: a plugin cannot supply this core type (nyrt makes its values itself); "
                     "nyash.core.Array: a plugin cannot supply this core type",
                     f"plugin missing ({here}/nowhere/libmissing.{EXT}) refused: cannot load: ",
                     "missing symbol no_such_init"):
        assert fragment in messages


def test_a_refused_core_replacement_gives_the_type_back(built_plugins, tmp_path):
    toml = write(tmp_path, f'[plugins.m]\npath = "{lib("map_c")}"\nabi = "nyash"\ntypes = ["nyash.core.Map"]\n')
    got, expected = c_load(toml), python_load(toml)
    assert got["err"] == expected["messages"][0] and got["result"] == -1
    assert got["map_owner"] == -1                  # nyrt's own MapBox again


def test_paths_relative_to_the_toml_not_the_current_directory(built_plugins, tmp_path):
    folder = tmp_path / "a" / "b"
    rel = os.path.relpath(PLUGINS / "counter", folder)
    toml = write(folder, f'[plugins.c]\npath = "{rel}/libcounter.{{ext}}"\nabi = "c"\ntypes = ["acme.CounterBox"]\n')
    got = c_load(Path("b") / "nyash.toml", cwd=tmp_path / "a")
    assert got["result"] == 1 and got["types"] == ["acme.CounterBox"], got
    assert c_load(toml, cwd=PLUGINS)["result"] == 1


def test_library_paths_are_resolved_like_path_resolve(built_plugins, tmp_path):
    """The path in a refusal: '..' applied after following a link, as Path.resolve() does."""
    (tmp_path / "target" / "inner").mkdir(parents=True)
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "link").symlink_to(tmp_path / "target" / "inner")
    toml = write(tmp_path / "proj", '[plugins.x]\npath = "link/../libx.{ext}"\nabi = "c"\ntypes = ["x.X"]\n')
    got, expected = c_load(toml), python_load(toml)
    assert got["err"] == expected["messages"][0]
    assert f"({tmp_path}/target/libx.{EXT})" in got["err"]
