"""nyrt_x_native_main (abi/nyrt/native.c) without the compiler: a program written by hand in C (the tables and
entry points the LLVM backend would emit), linked with libnyrt.a (abi/build.py build_static), run as a
process. Checked: stdout, stderr (driver.report_error's text, after the output), the exit status, argv, the
big stack, and the nyash.toml lookup, with the texts and statuses `nyash run` gives for the same situations.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from abi_helpers import CC, HAVE_CC, INCLUDE, ROOT
from testsupport import nyash_command

sys.path.insert(0, str(ROOT / "tests" / "plugins"))
import plugin_build  # noqa: E402

pytestmark = pytest.mark.skipif(not HAVE_CC, reason="no C compiler: nyrt cannot be built")

# MODE picks what the program does; FILE is program->file; ARITY Main.main's parameters; NO_MAIN drops it.
PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nyrt_exec.h"

static const char *mode = "ok";
static int is(const char *m) { return strcmp(mode, m) == 0; }

static int32_t say(const char *text) {
    nyrt_nyash_value s;
    if (nyrt_str_new(text, strlen(text), &s) != NYRT_OK)
        return nyrt_x_fail_nyrt(-1);
    int32_t r = nyrt_x_print(&s);
    nyrt_val_release(&s);
    return r;
}

static volatile int sink;
static int deep(int n) {                 /* about 1 KB of stack per call */
    volatile char pad[1024];
    pad[n % 1024] = (char)n;
    if (n == 0)
        return 0;
    int r = deep(n - 1) + pad[n % 1024];
    sink = r;
    return r;
}

static int32_t top(nyrt_nyash_value *out) {
    nyrt_val_void(out);
    if (is("deep")) {
        deep(200000);                    /* 200 MB: far beyond a default 8 MB stack */
        return say("deep ok");
    }
    if (say("top") != NYRT_X_OK)
        return NYRT_X_FAIL;
    if (is("top_error"))
        return nyrt_x_fail(0, "Division by zero");
    if (is("no_span"))
        return nyrt_x_fail(1, "no span here");
    if (is("no_context"))
        return nyrt_x_fail(2, "no context here");
    if (is("nyrt_error")) {              /* a nyrt call failed: compiled code turns its error into the exception */
        nyrt_nyash_value a, b, r;
        nyrt_val_int(1, &a);
        nyrt_val_null(&b);
        if (nyrt_op_binary(NYRT_OP_SUB, &a, &b, &r) != NYRT_OK)
            return nyrt_x_fail_nyrt(0);
        nyrt_val_release(&r);
    }
    if (is("throw")) {
        nyrt_nyash_value s;
        nyrt_str_new("boom", 4, &s);
        int32_t r = nyrt_x_throw(0, &s);
        nyrt_val_release(&s);
        return r;
    }
    if (is("plugin")) {
        nyrt_nyash_value box;
        uint64_t key = nyrt_fast_key("acme.CounterBox");
        if (nyrt_tb_new(key, NULL, 0, &box) != NYRT_OK)
            return nyrt_x_fail_nyrt(0);
        int32_t r = say("made a CounterBox");
        nyrt_val_release(&box);
        return r;
    }
    return NYRT_X_OK;
}

static int32_t static_init(int64_t depth, const nyrt_nyash_value *me, const nyrt_nyash_value *args,
                           nyrt_nyash_value *out) {
    (void)depth; (void)me; (void)args;
    nyrt_val_void(out);
    if (say("static init") != NYRT_X_OK)
        return NYRT_X_FAIL;
    return is("static_error") ? nyrt_x_fail(0, "Field 'x' not found in Main") : NYRT_X_OK;
}

static int32_t main_fn(const nyrt_nyash_value *me, const nyrt_nyash_value *args, nyrt_nyash_value *out) {
    if (nyrt_x_print(me) != NYRT_X_OK || (args ? nyrt_x_print(args) : say("no args")) != NYRT_X_OK)
        return NYRT_X_FAIL;
    if (is("main_error"))
        return nyrt_x_fail(0, "Undefined variable 'y'");
    if (is("bool"))
        nyrt_val_bool(1, out);
    else if (is("negative"))
        nyrt_val_int(-1, out);
    else if (is("string"))
        nyrt_str_new("7", 1, out);
    else if (is("float"))
        nyrt_val_float(7.0, out);
    else
        nyrt_val_int(300, out);
    return NYRT_X_OK;
}

static int32_t main_entry(int64_t depth, const nyrt_nyash_value *me, const nyrt_nyash_value *args,
                          nyrt_nyash_value *out) {
    (void)depth;
    return main_fn(me, args, out);
}

int main(int argc, char **argv) {
    if (getenv("MODE"))
        mode = getenv("MODE");
    int64_t arity = getenv("ARITY") ? atoll(getenv("ARITY")) : 1;
    static const char *const names[] = {"main"};
    nyrt_x_entry methods[] = {{0, arity, main_entry}};
    nyrt_x_class classes[] = {{"Main", 1, 0, NULL, 1, methods, 0, NULL, static_init}};
    static const nyrt_x_position positions[] = {
        {"prog.ny:3:13", "    local x = 1 / 0\n            ^"},
        {NULL, NULL},
        {"prog.ny:1:1", NULL},
    };
    nyrt_x_program program = {1, classes, 1, names, 3, positions, top, getenv("NO_MAIN") ? NULL : main_fn,
                              0, arity, 2, getenv("FILE") ? getenv("FILE") : "prog.ny"};
    return nyrt_x_native_main(&program, argc, argv);
}
"""


@pytest.fixture(scope="module")
def exe(tmp_path_factory) -> Path:
    from nyash_run.abi.build import NyrtBuildError, build_static
    out = tmp_path_factory.mktemp("native")
    try:
        library = build_static(out / "lib")
    except NyrtBuildError as err:
        pytest.fail(f"{err}\n{err.log}")
    (out / "prog.c").write_text(PROGRAM)
    binary = out / "prog"
    proc = subprocess.run([CC, "-std=c11", "-O0", "-Wall", "-Wextra", f"-I{INCLUDE}", str(out / "prog.c"),
                           str(library), "-lm", "-ldl", "-lpthread", "-o", str(binary)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    return binary


@pytest.fixture(scope="module")
def built_plugins():
    if plugin_build.CC is None:
        pytest.skip("no C compiler found")
    return plugin_build.build_all()


class Run:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.status, self.stdout, self.stderr = proc.returncode, proc.stdout, proc.stderr


def run(exe: Path, *args: str, cwd: Path, merged: bool = False, **env: str) -> Run:
    environ = {k: v for k, v in os.environ.items() if k not in ("NYASH_CONFIG", "MODE", "FILE", "ARITY")}
    environ.update(env)
    proc = subprocess.run([str(exe), *args], cwd=cwd, env=environ, capture_output=not merged, text=True,
                          timeout=120, **({"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT} if merged else {}))
    return Run(proc)


def nyash_run(*args: str, cwd: Path) -> Run:
    environ = {k: v for k, v in os.environ.items() if k != "NYASH_CONFIG"}
    return Run(subprocess.run(nyash_command() + ["run", *args], cwd=cwd, env=environ, capture_output=True,
                              text=True, timeout=120))


# ---- the run and its exit status --------------------------------------------------------------------------
def test_top_level_then_static_init_then_main_with_args(exe, tmp_path):
    got = run(exe, "a", "b c", cwd=tmp_path)
    assert (got.stdout, got.stderr, got.status) == (
        "top\nstatic init\n<Main_singleton instance #1>\n[a, b c]\n", "", 300 & 255)


@pytest.mark.parametrize("mode, status", [("bool", 0), ("negative", 255), ("string", 0), ("float", 0), ("ok", 44)])
def test_exit_status_is_mains_integer_and_255(exe, tmp_path, mode, status):
    assert run(exe, cwd=tmp_path, MODE=mode).status == status


def test_main_without_parameters_gets_no_args(exe, tmp_path):
    got = run(exe, "ignored", cwd=tmp_path, ARITY="0")
    assert got.stdout == "top\nstatic init\n<Main_singleton instance #1>\nno args\n" and got.status == 44


def test_no_main_runs_the_top_level_only(exe, tmp_path):
    got = run(exe, cwd=tmp_path, NO_MAIN="1")
    assert (got.stdout, got.stderr, got.status) == ("top\n", "", 0)


def test_main_with_two_parameters_is_an_error_at_its_position(exe, tmp_path):
    got = run(exe, cwd=tmp_path, ARITY="2")
    assert got.stdout == "top\nstatic init\n"         # the singleton first, then the check (interp and VM)
    assert got.stderr == "prog.ny:1:1: error: Method main expects 2 arguments, got 0\n" and got.status == 1


def test_deep_recursion_has_a_big_stack(exe, tmp_path):
    got = run(exe, cwd=tmp_path, MODE="deep", NO_MAIN="1")
    assert (got.stdout, got.status) == ("deep ok\n", 0), got.stderr


# ---- uncaught errors: render_error's text after the output --------------------------------------------------
@pytest.mark.parametrize("mode, stderr", [
    ("top_error", "prog.ny:3:13: error: Division by zero\n    local x = 1 / 0\n            ^\n"),
    ("nyrt_error", "prog.ny:3:13: error: Cannot subtract null from 1\n    local x = 1 / 0\n            ^\n"),
    ("throw", "prog.ny:3:13: error: Uncaught exception: boom\n    local x = 1 / 0\n            ^\n"),
    ("no_span", "prog.ny: error: no span here\n"),
    ("no_context", "prog.ny:1:1: error: no context here\n"),
])
def test_errors_in_the_top_level(exe, tmp_path, mode, stderr):
    got = run(exe, cwd=tmp_path, MODE=mode)
    if mode == "nyrt_error":                           # nyrt's own message for 1 - null, whatever it is
        from nyash_run.abi import binding
        ffi, lib = binding.get()
        a, b, out = (ffi.new("nyrt_nyash_value*") for _ in range(3))
        lib.nyrt_val_int(1, a)
        lib.nyrt_val_null(b)
        assert lib.nyrt_op_binary(lib.NYRT_OP_SUB, a, b, out) != 0
        stderr = stderr.replace("Cannot subtract null from 1", ffi.string(lib.nyrt_last_error_message()).decode())
    assert (got.stdout, got.stderr, got.status) == ("top\n", stderr, 1)


def test_errors_in_the_static_block_and_in_main(exe, tmp_path):
    got = run(exe, cwd=tmp_path, MODE="static_error")
    assert got.stdout == "top\nstatic init\n" and got.status == 1
    assert got.stderr.startswith("prog.ny:3:13: error: Field 'x' not found in Main\n")
    got = run(exe, cwd=tmp_path, MODE="main_error")
    assert got.stdout == "top\nstatic init\n<Main_singleton instance #1>\n[]\n" and got.status == 1
    assert got.stderr.startswith("prog.ny:3:13: error: Undefined variable 'y'\n")


def test_a_span_less_error_names_the_program_file_as_compiled(exe, tmp_path):
    got = run(exe, cwd=tmp_path, MODE="no_span", FILE="/some/where/app.ny")
    assert got.stderr == "/some/where/app.ny: error: no span here\n"
    assert run(exe, cwd=tmp_path, MODE="no_span", FILE="").stderr == "error: no span here\n"


def test_output_is_flushed_before_the_error(exe, tmp_path):
    got = run(exe, "x", cwd=tmp_path, merged=True, MODE="main_error")
    assert got.stdout.startswith("top\nstatic init\n<Main_singleton instance #1>\n[x]\nprog.ny:3:13: error: ")


# ---- nyash.toml ---------------------------------------------------------------------------------------------
COUNTER = f'[plugins.counter]\npath = "{ROOT}/plugins/counter/libcounter.{{ext}}"\nabi = "c"\ntypes = ["acme.CounterBox"]\n'


def test_plugins_from_nyash_config(exe, tmp_path, built_plugins):
    got = run(exe, cwd=tmp_path, MODE="plugin", NO_MAIN="1",
              NYASH_CONFIG=str(ROOT / "plugins" / "counter" / "nyash.toml"))
    assert (got.stdout, got.stderr, got.status) == ("top\nmade a CounterBox\n", "", 0)
    got = run(exe, cwd=tmp_path, MODE="plugin", NO_MAIN="1")      # no config: the type is unknown
    assert got.status == 1 and got.stdout == "top\n"


def test_the_config_beside_the_program_comes_before_the_current_directory(exe, tmp_path, built_plugins):
    app, cwd = tmp_path / "app", tmp_path / "cwd"
    app.mkdir()
    cwd.mkdir()
    (app / "nyash.toml").write_text(COUNTER)
    (cwd / "nyash.toml").write_text("[plugins.x]\npath = 'x'\nabi = 'rust'\ntypes = ['x.X']\n")
    got = run(exe, cwd=cwd, MODE="plugin", NO_MAIN="1", FILE=str(app / "prog.ny"))
    assert (got.stdout, got.stderr, got.status) == ("top\nmade a CounterBox\n", "", 0)
    (app / "nyash.toml").unlink()                                  # now the current directory's (broken) one
    got = run(exe, cwd=cwd, MODE="plugin", NO_MAIN="1", FILE=str(app / "prog.ny"))
    assert got.stdout == "" and got.status == 1
    assert got.stderr == (f"{app}/prog.ny: error: {cwd}/nyash.toml: [plugins.x]: abi must be one of c, nyash, "
                          "unified, not 'rust'\n")


def test_the_program_file_is_followed_through_links(exe, tmp_path, built_plugins):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "nyash.toml").write_text(COUNTER)
    (tmp_path / "real" / "prog.ny").write_text("")
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "prog.ny").symlink_to(tmp_path / "real" / "prog.ny")
    got = run(exe, cwd=tmp_path, MODE="plugin", NO_MAIN="1", FILE=str(tmp_path / "links" / "prog.ny"))
    assert (got.stdout, got.status) == ("top\nmade a CounterBox\n", 0), got.stderr


NYASH_PROGRAM = 'print("top")\n'


@pytest.mark.parametrize("toml", [
    "[plugins.a]\npath = 'x'\nabi = 'rust'\ntypes = ['a.A']\n",
    "[plugins.a]\npath = 'x'\nabi = 'c'\ntypes = ['a.A']\nsymbols.start = 'f'\n",
    "plugins = 3\n",
])
def test_config_errors_read_as_nyash_run_reports_them(exe, tmp_path, toml):
    (tmp_path / "prog.ny").write_text(NYASH_PROGRAM)
    (tmp_path / "nyash.toml").write_text(toml)
    got, expected = run(exe, cwd=tmp_path, NO_MAIN="1"), nyash_run("prog.ny", cwd=tmp_path)
    assert (got.stdout, got.stderr, got.status) == (expected.stdout, expected.stderr, expected.status)
    assert expected.status == 1 and expected.stdout == ""


def test_a_missing_nyash_config_reads_as_a_missing_config_option(exe, tmp_path):
    (tmp_path / "prog.ny").write_text(NYASH_PROGRAM)
    got = run(exe, cwd=tmp_path, NO_MAIN="1", NYASH_CONFIG="nope.toml")
    expected = nyash_run("--config", "nope.toml", "prog.ny", cwd=tmp_path)
    assert (got.stdout, got.stderr, got.status) == (expected.stdout, expected.stderr, expected.status)
    assert got.stderr == "prog.ny: error: nope.toml: config file not found\n" and got.status == 1


def test_a_refused_plugin_stops_the_run_with_its_refusal(exe, tmp_path, built_plugins):
    """`nyash run` refuses a plugin when the program first uses it ("FILE:L:C: error: PluginError: ..."); a
    native executable loads every enabled plugin first and reports the same message without a position."""
    (tmp_path / "prog.ny").write_text("local c = new CounterBox()\n")
    (tmp_path / "nyash.toml").write_text(COUNTER.replace('abi = "c"', 'abi = "nyash"'))
    got, expected = run(exe, cwd=tmp_path, NO_MAIN="1"), nyash_run("prog.ny", cwd=tmp_path)
    message = expected.stderr.splitlines()[0].split(": error: ", 1)[1]
    assert message.startswith("PluginError: plugin counter (")
    assert (got.stdout, got.stderr, got.status) == ("", f"prog.ny: error: {message}\n", 1)
