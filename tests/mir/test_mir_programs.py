"""Every known program builds to MIR that passes the verifier, and `nyash dump mir` shows it.

Programs: the shared conformance suite (skipped when /work/shared/conformance is missing), the samples and
tests/programs. A program whose load fails, or that uses a feature the MIR cannot express yet (lambda,
nowait, await), is skipped: the builder is only ever given programs that loaded for the VM.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from nyash_run import driver
from nyash_run.backends.vm import UNSUPPORTED_FEATURES as MIR_UNSUPPORTED_FEATURES
from nyash_run.mir.passes import fold_constants, remove_dead_code, remove_trivial_params, remove_unreachable
from nyash_run.mir.types import infer_types
from nyash_run.mir import build
from nyash_run.mir.build import build_module
from nyash_run.mir.ir import Module
from nyash_run.mir.verify import verify_module
from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.loader import load_program

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT.parent / "shared" / "conformance"
FOLDERS = {"conformance": CONFORMANCE, "samples": ROOT / "samples", "programs": ROOT / "tests" / "programs"}


def programs() -> list:
    found = []
    for label, folder in FOLDERS.items():
        found.extend(pytest.param(path, id=f"{label}/{path.stem}") for path in sorted(folder.glob("*.ny")))
    return found


@pytest.mark.parametrize("path", programs())
def test_program_builds_to_verified_mir(path: Path):
    try:
        program = load_program(str(path), unsupported=MIR_UNSUPPORTED_FEATURES)
    except NyashSyntaxError as err:
        pytest.skip(f"does not load for the VM: {err.message}")
    module = build_module(program)
    verify_module(module)
    for step in (remove_unreachable, remove_trivial_params, fold_constants, remove_dead_code):
        for fn in module.functions.values():
            step(fn)
        verify_module(module)           # every pass keeps the MIR well formed
    infer_types(module)
    verify_module(module)


def test_conformance_suite_is_checked_when_present():
    if not CONFORMANCE.is_dir():
        pytest.skip("no shared conformance folder on this machine")
    assert any(CONFORMANCE.glob("*.ny"))


# ------------------------------------------------------------------------------------------ nyash dump mir
def test_dump_mir_raw_prints_each_function_as_built(nyash, program):
    program("function twice(x) { return x * 2 }\nprint(twice(4))\n")
    result = nyash("dump", "mir", "--raw", "main.ny")
    assert (result.status, result.stderr) == (0, "")
    assert "function fn:twice(%0) {" in result.stdout
    assert "%2 = binop '*', %0, %1" in result.stdout and "call 'fn:twice'" in result.stdout


def test_dump_mir_shows_types_and_specialisations(nyash, program):
    program("function twice(x) { return x * 2 }\nprint(twice(4))\n")
    result = nyash("dump", "mir", "main.ny")
    assert result.status == 0
    assert "function fn:twice#void,int(%0:int) {" in result.stdout
    assert "%2:int = binop '*', %0:int, %1:int" in result.stdout


def test_dump_mir_rejects_features_the_vm_lacks(nyash, program):
    program("local f = function(x) { return x }\n")
    result = nyash("dump", "mir", "main.ny")
    assert result.status == 1 and result.stdout == ""
    assert "Unsupported feature on this backend: lambda" in result.stderr


def test_dump_mir_reports_malformed_mir_as_an_internal_error(program, monkeypatch, capsys):
    path = program("print(1)\n")

    def broken_build(loaded) -> Module:
        module = build_module(loaded)
        module.functions[module.top].blocks[0].instrs.pop()       # drop the return
        return module

    monkeypatch.setattr(build, "build_module", broken_build)
    assert driver.dump_file(str(path), "mir", raw=True) == driver.EXIT_INTERNAL
    out, err = capsys.readouterr()
    assert "top __top__() {" in out
    assert "internal error: MirError: __top__, bb0, instruction 2 (%1 = const None): block does not end" in err
