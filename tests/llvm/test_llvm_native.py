"""`nyash build --target native`, `--emit`, `nyash dump llvm`: an executable prints, fails and exits exactly
as `nyash run --mode llvm` does, with no Python involved."""
from __future__ import annotations

import subprocess

import pytest

pytest.importorskip("llvmlite")

BOXES = """box Counter {
    init { n }
    birth() { me.n = 0 }
    bump(by) { me.n = me.n + by
        return me }
}
static box Main {
    main(args) {
        local c = new Counter()
        c.bump(2).bump(3)
        print("n = " + c.n + ", args = " + args)
        return c.n + args.length()
    }
}
"""

FAILING = """function inner(x) {
    return 10 / x
}
print("before")
try { inner(0) } catch (e) { print("caught: " + e) }
inner(0)
print("never")
"""


def run_native(nyash, tmp_path, text: str, *args: str):
    (tmp_path / "prog.ny").write_text(text, encoding="utf-8")
    built = nyash("build", "prog.ny", "-o", "prog", timeout=300)
    assert (built.status, built.stdout, built.stderr) == (0, "", "")
    return subprocess.run([str(tmp_path / "prog"), *args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("text, args", [(BOXES, ("a", "b")), (FAILING, ())], ids=["boxes", "failing"])
def test_native_executable_matches_llvm_mode(nyash, tmp_path, text, args):
    native = run_native(nyash, tmp_path, text, *args)
    jit = nyash("run", "--mode", "llvm", "prog.ny", *args, timeout=300)
    assert (native.returncode, native.stdout, native.stderr) == (jit.status, jit.stdout, jit.stderr)


def test_native_exit_status_and_uncaught_error_rendering(nyash, tmp_path):
    native = run_native(nyash, tmp_path, FAILING)
    assert native.returncode == 1
    assert native.stdout == "before\ncaught: ErrorBox(Division by zero)\n"
    assert native.stderr == "prog.ny:2:15: error: Division by zero\n    return 10 / x\n              ^\n"
    assert run_native(nyash, tmp_path, BOXES, "x").returncode == 6


@pytest.mark.parametrize("emit, check", [
    ("llvm", lambda data: b"define" in data and b"nyrt_x_native_main" in data),
    ("asm", lambda data: b".text" in data),
    ("obj", lambda data: data[:4] == b"\x7fELF" or data[:4] in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf")),
])
def test_emit_writes_ir_assembly_or_object(nyash, program, tmp_path, emit, check):
    program('print("hi")\n')
    result = nyash("build", "main.ny", "--emit", emit, timeout=300)
    suffix = {"llvm": ".ll", "asm": ".s", "obj": ".o"}[emit]
    assert result.status == 0, result.stderr
    assert check((tmp_path / f"main{suffix}").read_bytes())


def test_dump_llvm_prints_the_module(nyash, program):
    program('print("hi")\n')
    result = nyash("dump", "llvm", "main.ny", timeout=300)
    assert result.status == 0 and "define" in result.stdout and "nyrt_x_print" in result.stdout


def test_build_of_a_program_that_does_not_load_reports_like_run(nyash, program):
    program("print(\n")
    built, ran = nyash("build", "main.ny"), nyash("run", "main.ny")
    assert (built.status, built.stderr) == (ran.status, ran.stderr) and built.status != 0


def test_unknown_target_and_emit_are_usage_errors(nyash, program):
    program('print("hi")\n')
    assert nyash("build", "main.ny", "--target", "wasm32").status == 2
    assert nyash("build", "main.ny", "--emit", "bitcode").status == 2


def test_without_a_c_compiler_the_llvm_mode_says_why_in_one_line(program, tmp_path):
    import os
    import sys
    program('print("hi")\n')
    env = dict(os.environ, CC=str(tmp_path / "no-such-cc"), XDG_CACHE_HOME=str(tmp_path / "fresh-cache"))
    proc = subprocess.run([sys.executable, "-m", "nyash_run", "run", "--mode", "llvm", "main.ny"], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "cannot be built" in proc.stderr and "no C compiler" in proc.stderr
