"""The benchmark suite and `nyash bench`: every program prints its recorded checksum at the small size in
every available mode, in CPython and in C, and the command reports results as a table or as JSON.

Timings are never asserted (architecture.md §6); only outputs, fields and statuses are.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

import pytest

from testsupport import ROOT, nyash_command
from nyash_run import bench
from nyash_run.modes import available_modes

BENCH_DIR = ROOT / "benchmarks"
SUITE = tomllib.loads((BENCH_DIR / "suite.toml").read_text(encoding="utf-8"))
PROGRAMS = list(SUITE)
CORE_PROGRAMS = [name for name in PROGRAMS if "config" not in SUITE[name]]
PLUGIN_PROGRAMS = [name for name in PROGRAMS if "config" in SUITE[name]]
MODES = [mode.value for mode in available_modes()]
C_COMPILER = bench.find_c_compiler()


def run(command: list[str], env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout,
                          env=dict(os.environ, **(env or {})))


@pytest.fixture
def bench_env(tmp_path):
    """Keeps C builds made by the test in a private cache instead of the user's."""
    return {"XDG_CACHE_HOME": str(tmp_path / "cache")}


@pytest.fixture(scope="module")
def plugins_built():
    if C_COMPILER is None:
        pytest.skip("no C compiler found: the plugins cannot be built")
    proc = run(nyash_command() + ["plugins", "build", str(ROOT / "plugins")], timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_suite_lists_the_seven_programs_each_in_nyash_python_and_c():
    assert CORE_PROGRAMS == ["fib", "int_loop", "chip8", "mandelbrot", "string_build", "array_map", "box_methods"]
    assert PLUGIN_PROGRAMS == ["plugin_calls"]
    for name in PROGRAMS:
        assert {"small", "medium", "large", "small_output"} <= set(SUITE[name])
        assert SUITE[name]["small"] < SUITE[name]["medium"] < SUITE[name]["large"]
        for suffix in (".ny", ".py", ".c"):
            assert (BENCH_DIR / f"{name}{suffix}").is_file()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PROGRAMS)
def test_nyash_program_prints_the_recorded_small_checksum(name, mode, request):
    size = str(SUITE[name]["small"])
    config = []
    if "config" in SUITE[name]:
        request.getfixturevalue("plugins_built")
        config = ["--config", str((BENCH_DIR / SUITE[name]["config"]).resolve())]
    proc = run(nyash_command() + ["run", "--mode", mode, *config, str(BENCH_DIR / f"{name}.ny"), size])
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == SUITE[name]["small_output"]


@pytest.mark.parametrize("name", PROGRAMS)
def test_python_twin_prints_the_same_small_checksum(name):
    proc = run([sys.executable, str(BENCH_DIR / f"{name}.py"), str(SUITE[name]["small"])])
    assert proc.returncode == 0 and proc.stdout == SUITE[name]["small_output"]


@pytest.mark.skipif(C_COMPILER is None, reason="no C compiler found")
@pytest.mark.parametrize("name", PROGRAMS)
def test_c_twin_prints_the_same_small_checksum(name, tmp_path):
    binary = tmp_path / name
    build = run([C_COMPILER, *bench.C_FLAGS, "-Wall", "-Werror", "-o", str(binary),
                 str(BENCH_DIR / f"{name}.c"), "-lm"])
    assert build.returncode == 0, build.stderr
    proc = run([str(binary), str(SUITE[name]["small"])])
    assert proc.returncode == 0 and proc.stdout == SUITE[name]["small_output"]


def test_bench_json_has_a_result_per_runner_with_medians_and_checks(bench_env):
    proc = run(nyash_command() + ["bench", "--size", "small", "--runs", "1", "--programs", "fib", "--json"],
               env=bench_env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["size"], data["runs"], data["modes"], data["ok"]) == ("small", 1, MODES, True)
    [program] = data["programs"]
    assert (program["name"], program["size_arg"]) == ("fib", SUITE["fib"]["small"])
    runners = [result["runner"] for result in program["results"]]
    assert runners == MODES + ["cpython"] + (["c"] if C_COMPILER else [])
    for result in program["results"]:
        assert result["check"] == "ok" and result["output"] == SUITE["fib"]["small_output"]
        assert result["median_run_s"] >= 0 and result["median_wall_s"] > 0 and result["runs"] == 1
        assert (result["median_compile_ms"] is None) == (result["kind"] != "nyash")
        assert result["ratio_to_cpython"] is not None


def test_bench_table_names_every_requested_mode_and_what_was_left_out(bench_env):
    modes = ",".join(MODES)
    proc = run(nyash_command() + ["bench", "--size", "small", "--runs", "1", "--programs", "fib,chip8",
                                  "--modes", modes, "--no-c", "--no-python"], env=bench_env)
    assert proc.returncode == 0, proc.stderr
    for mode in MODES:
        assert f" {mode} " in proc.stdout
    assert "fib(20)" in proc.stdout and "chip8(" in proc.stdout
    assert "C: not measured (--no-c)" in proc.stdout and "CPython: not measured (--no-python)" in proc.stdout
    assert proc.stderr.count("nyash bench: ") == 2 * len(MODES)  # one progress line per program and mode


def test_bench_says_so_when_no_c_compiler_is_found(bench_env):
    env = dict(bench_env, CC="no-such-compiler")
    proc = run(nyash_command() + ["bench", "--size", "small", "--runs", "1", "--programs", "fib",
                                  "--modes", MODES[0], "--no-python"], env=env)
    assert proc.returncode == 0 and "C: not available (no C compiler found)" in proc.stdout


@pytest.mark.parametrize("bad", ["turbo", "llvm", "adaptive"])
def test_bench_rejects_a_mode_with_the_same_usage_error_as_run(bad, tmp_path):
    if bad in MODES:
        pytest.skip(f"{bad} is available in this build")
    (tmp_path / "main.ny").write_text('print("x")\n')
    from_run = run(nyash_command() + ["run", "--mode", bad, str(tmp_path / "main.ny")])
    from_bench = run(nyash_command() + ["bench", "--modes", f"{MODES[0]},{bad}"])
    assert (from_bench.returncode, from_bench.stdout) == (2, "")
    assert from_bench.stderr == from_run.stderr and len(from_bench.stderr.splitlines()) == 1


def test_bench_rejects_unknown_programs_and_sizes():
    assert run(nyash_command() + ["bench", "--programs", "nope"]).returncode == 2
    assert run(nyash_command() + ["bench", "--size", "huge"]).returncode == 2


def test_wrong_checksum_is_flagged_in_the_table_and_the_status_without_aborting(tmp_path, bench_env):
    (tmp_path / "suite.toml").write_text(
        '[wrong]\nsmall = 1\nmedium = 2\nlarge = 3\nsmall_output = "expected\\n"\n'
        '[right]\nsmall = 1\nmedium = 2\nlarge = 3\nsmall_output = "fine\\n"\n')
    (tmp_path / "wrong.ny").write_text('print("actual")\n')
    (tmp_path / "right.ny").write_text('print("fine")\n')
    proc = run(nyash_command() + ["bench", "--dir", str(tmp_path), "--size", "small", "--runs", "1",
                                  "--modes", MODES[0], "--no-c", "--no-python"], env=bench_env)
    assert proc.returncode == 1
    assert "MISMATCH" in proc.stdout and "printed 'actual', expected 'expected'" in proc.stdout
    assert "right(1)" in proc.stdout


def test_medium_and_large_outputs_are_checked_against_cpython():
    program = bench.Program("p", "", {"small": 1, "medium": 2, "large": 3}, "unused\n")
    results = [bench.Result(MODES[0], [bench.Sample(0.1, 0, "42\n", "")]),
               bench.Result("cpython", [bench.Sample(0.1, 0, "41\n", "")])]
    entry = bench.ProgramReport(program, 2, results)
    bench.check_outputs(entry, "medium")
    assert entry.reference == "41\n"
    assert [r.check for r in results] == ["MISMATCH", "ref"]


def test_stats_are_read_from_the_last_stderr_line():
    stderr = 'main.ny:1:1: error: boom\n{"mode": "interp", "parse_ms": 1.5, "compile_ms": 0.5, "run_ms": 20}\n'
    sample = bench.Sample(0.3, 1, "", stderr, bench.parse_stats(stderr))
    assert (sample.run_s, sample.compile_ms) == (0.02, 2.0)
    assert bench.parse_stats("no json here\n") is None
    assert bench.failure_line(stderr) == "main.ny:1:1: error: boom"


def test_c_builds_are_cached_by_source_hash_under_the_user_cache_dir(tmp_path, monkeypatch):
    if C_COMPILER is None:
        pytest.skip("no C compiler found")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "hello.c"
    source.write_text('#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n')
    first = bench.build_c(source, C_COMPILER, timeout=60)
    assert first.parent == tmp_path / "cache" / "nyash_run" / "bench"
    assert bench.build_c(source, C_COMPILER, timeout=60) == first
    source.write_text('#include <stdio.h>\nint main(void) { puts("ho"); return 0; }\n')
    assert bench.build_c(source, C_COMPILER, timeout=60) != first


def test_a_run_that_times_out_is_reported_without_failing_the_suite(tmp_path, bench_env):
    (tmp_path / "suite.toml").write_text('[spin]\nsmall = 1\nmedium = 2\nlarge = 3\nsmall_output = "x\\n"\n')
    (tmp_path / "spin.ny").write_text("loop { }\n")
    proc = run(nyash_command() + ["bench", "--dir", str(tmp_path), "--size", "small", "--runs", "3",
                                  "--timeout", "1", "--modes", MODES[0], "--no-c", "--no-python"], env=bench_env)
    assert proc.returncode == 0
    assert "TIMEOUT" in proc.stdout and "spin on " + MODES[0] + ": timed out after 1 s" in proc.stdout
