"""The example plugins' sample programs and the MapBox parity program (abi.md 7.3), run as a user runs them
(`nyash run --mode M --config plugins/NAME/nyash.toml PROGRAM`) in every available mode.

Each sample plugins/NAME/NAME.ny must print plugins/NAME/NAME.out; plugins/map_parity.ny must print
plugins/map_parity.out with the builtin MapBox (no config) and with each of map_c, map_ny and map_unified.
Programs run in a temporary directory (FileBox's sample writes a file there).
"""
from __future__ import annotations

import os
import subprocess

import pytest

from nyash_run.modes import available_modes
from plugin_build import MAPS, PLUGINS, nyash_command

MODES = [mode.value for mode in available_modes()]
SAMPLES = ("counter", "file", "fixture", *MAPS)


def run(args: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run(nyash_command() + args, cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def samples_present():
    return list(SAMPLES)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", samples_present())
def test_sample_program_prints_its_expected_output(name, mode, built_plugins, tmp_path):
    folder = PLUGINS / name
    proc = run(["run", "--mode", mode, "--config", str(folder / "nyash.toml"), str(folder / f"{name}.ny")],
               tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (folder / f"{name}.out").read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", samples_present())
def test_sample_program_finds_the_toml_next_to_it(name, mode, built_plugins, tmp_path):
    folder = PLUGINS / name
    proc = run(["run", "--mode", mode, str(folder / f"{name}.ny")], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (folder / f"{name}.out").read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("supplier", ["builtin", *MAPS])
def test_map_parity_program_prints_the_same_with_every_map(supplier, mode, built_plugins, tmp_path):
    config = [] if supplier == "builtin" else ["--config", str(PLUGINS / supplier / "nyash.toml")]
    proc = run(["run", "--mode", mode, *config, str(PLUGINS / "map_parity.ny")], tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (PLUGINS / "map_parity.out").read_text(encoding="utf-8")


def test_file_sample_leaves_no_file_behind(built_plugins, tmp_path):
    folder = PLUGINS / "file"
    proc = run(["run", "--config", str(folder / "nyash.toml"), str(folder / "file.ny")], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_plugin_thread_logging_while_the_caller_waits_does_not_deadlock(built_plugins, tmp_path):
    """abi.md 7.7: spawnLog(n) blocks in the plugin while its thread calls host->log n times."""
    (tmp_path / "main.ny").write_text("print(new FixtureBox().spawnLog(200))\n", encoding="utf-8")
    for mode in MODES:
        proc = run(["run", "--mode", mode, "--config", str(PLUGINS / "fixture" / "nyash.toml"), "main.ny"], tmp_path)
        assert (proc.returncode, proc.stdout) == (0, "200\n"), proc.stderr
        assert proc.stderr.count("spawnLog ") == 200


@pytest.mark.parametrize("code, name", [(1, "E_ARG"), (2, "E_TYPE"), (3, "E_STATE"), (4, "E_OOM"), (5, "E_ABORT"),
                                        (6, "E_NOT_FOUND")])
def test_an_uncaught_plugin_error_reads_the_same_in_every_mode(code, name, built_plugins, tmp_path):
    """abi.md 7.6: a plugin's error code becomes the same Nyash runtime error, position and status."""
    (tmp_path / "main.ny").write_text(f'local fx = new FixtureBox()\nprint("before")\nfx.fail({code})\n',
                                      encoding="utf-8")
    config = ["--config", str(PLUGINS / "fixture" / "nyash.toml")]
    results = {mode: run(["run", "--mode", mode, *config, "main.ny"], tmp_path) for mode in MODES}
    for proc in results.values():
        assert (proc.returncode, proc.stdout) == (1, "before\n")
        error = [line for line in proc.stderr.splitlines() if ": error: " in line]
        assert error == [f"main.ny:3:4: error: PluginError: FixtureBox.fail failed: {name} (fail({code}) requested)"]
    assert len({proc.stderr for proc in results.values()}) == 1


ARRAY_SHARING = """local m = new MapBox()
local a = new ArrayBox()
m.set("a", a)
a.push(1)
print(m.get("a"))
m.get("a").push(2)
print(a)
"""


@pytest.mark.parametrize("supplier", MAPS)
def test_an_array_stored_in_a_plugin_map_is_the_same_array(supplier, built_plugins, tmp_path):
    (tmp_path / "main.ny").write_text(ARRAY_SHARING, encoding="utf-8")
    proc = run(["run", "--config", str(PLUGINS / supplier / "nyash.toml"), "main.ny"], tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "[1]\n[1, 2]\n"), proc.stderr


NATIVE = pytest.mark.skipif("llvm" not in MODES, reason="native builds need the LLVM backend")


@NATIVE
@pytest.mark.parametrize("supplier", ["builtin", *MAPS])
def test_native_executable_prints_the_same_with_every_map(supplier, built_plugins, tmp_path):
    """A native build loads its plugins at start-up from nyash.toml (NYASH_CONFIG names one explicitly)."""
    exe = tmp_path / "map_parity"
    build = run(["build", str(PLUGINS / "map_parity.ny"), "-o", str(exe)], tmp_path)
    assert build.returncode == 0, build.stderr
    env = dict(os.environ)
    env.pop("NYASH_CONFIG", None)
    if supplier != "builtin":
        env["NYASH_CONFIG"] = str(PLUGINS / supplier / "nyash.toml")
    proc = subprocess.run([str(exe)], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (PLUGINS / "map_parity.out").read_text(encoding="utf-8")


@NATIVE
@pytest.mark.parametrize("name", ["counter", "fixture"])
def test_native_executable_finds_the_toml_next_to_its_program(name, built_plugins, tmp_path):
    folder = PLUGINS / name
    exe = tmp_path / name
    build = run(["build", str(folder / f"{name}.ny"), "-o", str(exe)], tmp_path)
    assert build.returncode == 0, build.stderr
    proc = subprocess.run([str(exe)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (folder / f"{name}.out").read_text(encoding="utf-8")


def test_new_of_a_refused_plugin_type_reads_the_same_in_every_mode(built_plugins, tmp_path):
    """Compiled code creates plugin boxes through nyrt alone; a plugin refused at load time must still be
    reported where the program first uses its box, with the message the other modes give."""
    (tmp_path / "main.ny").write_text('print("before")\nlocal b = new BadTag()\nprint("never")\n', encoding="utf-8")
    config = ["--config", str(PLUGINS / "broken" / "nyash.toml")]
    results = {mode: run(["run", "--mode", mode, *config, "main.ny"], tmp_path) for mode in MODES}
    for proc in results.values():
        assert (proc.returncode, proc.stdout) == (1, "before\n")
        assert "main.ny:2:11: error: PluginError: plugin bad_tag (" in proc.stderr
    assert len({proc.stderr for proc in results.values()}) == 1
