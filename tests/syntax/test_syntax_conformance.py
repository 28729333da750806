"""Every conformance program loads, except the five that must fail at load time, which fail exactly so.

The conformance suite lives next to the repository (`../shared/conformance`); the test is skipped when it is
not there. Programs are loaded from that folder with their bare file name, as the suite prescribes.
"""
from pathlib import Path

import pytest

from nyash_run.diagnostics import render_error
from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.loader import load_program

CONFORMANCE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance"

# The load-time failures and their full first stderr line. For the syntax-error tests the .err file holds
# that whole line; for the others it holds `error: MESSAGE`, and the position is the keyword at fault.
LOAD_FAILURES = {
    "err_parse_error": "err_parse_error.ny:2:12: error: Invalid statement",
    "err_while_loop": "err_while_loop.ny:3:13: error: Invalid statement",
    "err_break_outside": "err_break_outside.ny:3:9: error: Break outside of loop",
    "err_continue_outside": "err_continue_outside.ny:3:9: error: Continue outside of loop",
    "err_from_grandparent": "err_from_grandparent.ny:10:16: error: Class 'Puppy' does not delegate to "
                            "'Animal'. Use 'box Puppy from Animal' to establish delegation.",
}

PROGRAMS = sorted(p.stem for p in CONFORMANCE.glob("*.ny")) if CONFORMANCE.is_dir() else []
pytestmark = pytest.mark.skipif(not PROGRAMS, reason=f"conformance suite not found at {CONFORMANCE}")


@pytest.mark.parametrize("name", PROGRAMS)
def test_conformance_program_loads_or_fails_as_expected(name, monkeypatch):
    monkeypatch.chdir(CONFORMANCE)
    file = f"{name}.ny"
    if name not in LOAD_FAILURES:
        load_program(file)
        return
    with pytest.raises(NyashSyntaxError) as info:
        load_program(file)
    err = info.value
    first_line = render_error(err.message, err.span).split("\n")[0]
    assert first_line == LOAD_FAILURES[name]
    assert (CONFORMANCE / f"{name}.err").read_text(encoding="utf-8").strip() in first_line
    assert (CONFORMANCE / f"{name}.out").read_text(encoding="utf-8") == ""


def test_every_load_failure_is_present():
    assert set(LOAD_FAILURES) <= set(PROGRAMS)


def test_load_error_carries_sources_for_the_source_line_and_caret(monkeypatch):
    monkeypatch.chdir(CONFORMANCE)
    with pytest.raises(NyashSyntaxError) as info:
        load_program("err_while_loop.ny")
    err = info.value
    assert render_error(err.message, err.span, err.sources).split("\n")[1:] == ["while i < 3 {", " " * 12 + "^"]
