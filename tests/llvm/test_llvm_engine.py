"""The process-wide JIT engine: the object cache (a second process loads instead of compiling), its
robustness, and lazy imports."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("llvmlite")

SCRIPT = r"""
import json, sys
from nyash_run.driver import build_mir
from nyash_run.syntax.loader import load_program
from nyash_run.backends.llvm.jit import compile_functions
from nyash_run.runtime.errors import NyashRuntimeError
module = build_mir(load_program(sys.argv[1]))
functions, jm = compile_functions(module, ["fn:fib#void,int", "fn:dv#void,int,int"])
try:
    functions["fn:dv#void,int,int"](1, 0)
except NyashRuntimeError as err:
    error = [err.message, err.span.line, err.span.col]
print(json.dumps({"hit": jm.cache_hit, "fib": functions["fn:fib#void,int"](20), "error": error,
                  "steps": sorted(jm.timings_ms)}))
"""
PROGRAM = ("function fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }\n"
           "function dv(a, b) {\n  return a / b\n}\nprint(fib(5) + dv(4, 2))\n")


def run_script(path, cache_home) -> dict:
    env = dict(os.environ, NYASH_LLVM_CACHE=str(cache_home / "nyash_run" / "llvm"))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_second_process_loads_the_cached_object(program, tmp_path):
    path = program(PROGRAM)
    cache_home = tmp_path / "xdg"
    first = run_script(path, cache_home)
    objects = list((cache_home / "nyash_run" / "llvm").glob("*.o"))
    second = run_script(path, cache_home)
    assert (first["hit"], second["hit"]) == (False, True)
    assert first["steps"] == ["codegen_ms", "optimize_ms", "parse_ms"] and second["steps"] == ["load_ms"]
    assert len(objects) == 1
    assert first["fib"] == second["fib"] == 6765
    assert first["error"] == second["error"] == ["Division by zero", 3, 12]


def test_a_corrupted_cache_file_is_a_miss(program, tmp_path):
    path = program(PROGRAM)
    cache_home = tmp_path / "xdg"
    run_script(path, cache_home)
    (obj,) = (cache_home / "nyash_run" / "llvm").glob("*.o")
    data = bytearray(obj.read_bytes())
    data[-1] ^= 0xFF
    obj.write_bytes(bytes(data))
    again = run_script(path, cache_home)
    assert again["hit"] is False and again["fib"] == 6765
    assert run_script(path, cache_home)["hit"] is True          # rewritten by the recompile


def test_cache_key_covers_the_optimisation_level():
    from nyash_run.backends.llvm.engine import engine
    jit = engine()
    text = "define i32 @k() {\n  ret i32 0\n}\n"
    keys = {jit.cache_key(text, level) for level in range(4)}
    assert len(keys) == 4 and jit.cache_key(text, 2) != jit.cache_key(text + "\n", 2)


def test_the_backend_package_and_engine_module_do_not_import_llvmlite():
    code = ("import sys\nimport nyash_run.backends.llvm, nyash_run.backends.llvm.engine\n"
            "print('llvmlite' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


PROGRAM_SCRIPT = r"""
import json, sys
from nyash_run.driver import build_mir
from nyash_run.syntax.loader import load_program
from nyash_run.backends.llvm.program import LLVMProgram
from nyash_run.runtime.output import Capture
program = LLVMProgram(build_mir(load_program(sys.argv[1])))
with Capture() as out:
    program.run([])
print(json.dumps({"hit": program.cache_hit, "lowered": "lower_ms" in program.timings, "out": out.text()}))
"""


def test_an_unchanged_program_is_neither_lowered_nor_compiled_again(program, tmp_path):
    path = program("box P {\n init { x }\n}\nlocal p = new P()\np.x = 41\nprint(p.x + 1)\n")
    env = dict(os.environ, NYASH_LLVM_CACHE=str(tmp_path / "llvm"))
    runs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", PROGRAM_SCRIPT, str(path)], capture_output=True, text=True,
                              env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        runs.append(json.loads(proc.stdout))
    assert [(r["hit"], r["lowered"], r["out"]) for r in runs] == [(False, True, "42\n"), (True, False, "42\n")]


def test_cached_positions_follow_the_file_and_its_lines(tmp_path):
    """The same MIR from another file, or moved down a line, must not reuse the cached object's positions."""
    from nyash_run.driver import build_mir
    from nyash_run.runtime.errors import NyashRuntimeError
    from nyash_run.syntax.loader import load_program
    from nyash_run.backends.llvm.program import LLVMProgram
    text = "function f(a) {\n  return 10 / a\n}\nf(0)\n"
    spans = []
    for name, body in (("one.ny", text), ("two.ny", text), ("three.ny", "\n" + text)):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        try:
            LLVMProgram(build_mir(load_program(str(path)))).run([])
        except NyashRuntimeError as err:
            spans.append((err.span.file, err.span.line, err.span.col))
    assert spans == [(str(tmp_path / "one.ny"), 2, 13), (str(tmp_path / "two.ny"), 2, 13),
                     (str(tmp_path / "three.ny"), 3, 13)]


def test_an_edited_program_or_include_is_compiled_anew(tmp_path):
    """The warm path finds code by source text: any edit, in the program or a file it includes, is a miss."""
    env = dict(os.environ, NYASH_LLVM_CACHE=str(tmp_path / "llvm"))
    main, lib = tmp_path / "main.ny", tmp_path / "lib.ny"
    main.write_text('include "lib.ny"\nprint(greet())\n', encoding="utf-8")
    outputs = []
    for word in ("one", "one", "two"):
        lib.write_text(f'function greet() {{ return "{word}" }}\n', encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "nyash_run", "run", "--mode", "llvm", str(main)],
                              capture_output=True, text=True, env=env, timeout=300)
        outputs.append((proc.returncode, proc.stdout))
    assert outputs == [(0, "one\n"), (0, "one\n"), (0, "two\n")]
