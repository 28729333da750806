"""The `nyash` command as a user runs it: exit statuses, error format, options."""
from __future__ import annotations

import json

import pytest


def test_run_prints_program_output_and_exits_zero(nyash, program):
    program('print("hi")\n')
    result = nyash("run", "main.ny")
    assert (result.status, result.stdout, result.stderr) == (0, "hi\n", "")


def test_main_return_value_becomes_exit_status_masked_to_a_byte(nyash, program):
    program("static box Main {\n main() { return 300 }\n}\n")
    assert nyash("run", "main.ny").status == 300 & 255


def test_words_after_the_file_are_passed_to_main(nyash, program):
    program("static box Main {\n main(args) { print(args) }\n}\n")
    result = nyash("run", "main.ny", "a", "--b", "c d")
    assert result.stdout == "[a, --b, c d]\n"


def test_version_option_prints_version(nyash):
    result = nyash("--version")
    assert result.status == 0 and result.stdout.startswith("nyash_run ")


def test_help_lists_every_command(nyash):
    result = nyash("--help")
    assert result.status == 0
    for command in ("run", "check", "dump", "build", "conformance"):
        assert command in result.stdout


def test_mode_not_in_this_build_is_a_usage_error(nyash, program):
    program('print("x")\n')
    result = nyash("run", "--mode", "wasm", "main.ny")
    assert result.status == 2
    assert result.stderr.strip() == "nyash: error: mode 'wasm' is not available in this build"
    assert result.stdout == ""


def test_unknown_mode_is_a_usage_error(nyash, program):
    program('print("x")\n')
    result = nyash("run", "--mode", "turbo", "main.ny")
    assert result.status == 2 and "unknown mode 'turbo'" in result.stderr


def test_explicit_interp_mode_runs(nyash, program):
    program('print(1 + 2)\n')
    assert nyash("run", "--mode", "interp", "main.ny").stdout == "3\n"


@pytest.mark.parametrize("setup", ["missing", "directory", "latin1"])
def test_unreadable_program_file_gives_one_line_and_status_2(nyash, tmp_path, setup):
    if setup == "directory":
        (tmp_path / "main.ny").mkdir()
    elif setup == "latin1":
        (tmp_path / "main.ny").write_bytes("print(\"caf\xe9\")\n".encode("latin-1"))
    result = nyash("run", "main.ny")
    assert result.status == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("main.ny: error: ")
    assert "Traceback" not in result.stderr


def test_syntax_error_has_file_line_column_source_and_caret(nyash, program):
    program('print("ok")\nlocal a = 1, b = 2\n')
    result = nyash("run", "main.ny")
    assert result.status == 1 and result.stdout == ""
    assert result.stderr == "main.ny:2:12: error: Invalid statement\nlocal a = 1, b = 2\n           ^\n"


def test_runtime_error_keeps_earlier_output_and_points_at_the_operator(nyash, program):
    program('print("before")\nlocal x = 10\nprint(x / (x - 10))\nprint("never")\n')
    result = nyash("run", "main.ny")
    assert (result.status, result.stdout) == (1, "before\n")
    assert result.stderr == "main.ny:3:9: error: Division by zero\nprint(x / (x - 10))\n        ^\n"


def test_caret_line_keeps_tabs_of_the_source_line(nyash, program):
    program('\tprint(1 / 0)\n')
    result = nyash("run", "main.ny")
    assert result.stderr.splitlines()[2] == "\t        ^"


def test_debug_option_adds_a_traceback_only_when_asked(nyash, program):
    program('print(1 / 0)\n')
    assert "Traceback" not in nyash("run", "main.ny").stderr
    assert "Traceback" in nyash("run", "--debug", "main.ny").stderr


def test_stats_writes_one_json_line_with_timings(nyash, program):
    program('print("x")\n')
    result = nyash("run", "--stats", "main.ny")
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["mode"] == "interp"
    assert {"parse_ms", "compile_ms", "run_ms"} <= set(record)


def test_timeout_stops_a_runaway_program(nyash, program):
    program("loop { }\n")
    result = nyash("run", "--timeout", "0.5", "main.ny", timeout=30)
    assert result.status == 1 and "timed out" in result.stderr


def test_check_reports_every_error_and_runs_nothing(nyash, program):
    program('print("must not run")\nlocal a = 1, b = 2\nlocal c = 3, d = 4\n')
    result = nyash("check", "main.ny")
    assert result.status == 1 and result.stdout == ""
    assert result.stderr.count("error: Invalid statement") == 2


def test_check_of_a_good_program_is_silent(nyash, program):
    program('print("x")\n')
    result = nyash("check", "main.ny")
    assert (result.status, result.stdout, result.stderr) == (0, "", "")


def test_dump_ast_shows_nodes_with_positions(nyash, program):
    program("print(1 + 2)\n")
    result = nyash("dump", "ast", "main.ny")
    assert result.status == 0
    assert "Print @1:1" in result.stdout and "Binary @1:9 op='+'" in result.stdout


def test_python_dash_m_is_the_same_command(program, tmp_path):
    import subprocess
    import sys
    program('print("via -m")\n')
    proc = subprocess.run([sys.executable, "-m", "nyash_run", "run", "main.ny"], cwd=tmp_path,
                          capture_output=True)
    assert proc.stdout == b"via -m\n"


def test_conformance_command_reports_pass_and_fail_with_a_diff(nyash, tmp_path):
    (tmp_path / "good.ny").write_text('print("a")\n')
    (tmp_path / "good.out").write_text("a\n")
    (tmp_path / "bad.ny").write_text('print("b")\n')
    (tmp_path / "bad.out").write_text("c\n")
    result = nyash("conformance", str(tmp_path), "--modes", "interp")
    assert result.status == 1
    assert "FAIL [interp]" in result.stdout and "-c" in result.stdout and "+b" in result.stdout
    assert "1 passed, 1 failed" in result.stdout
