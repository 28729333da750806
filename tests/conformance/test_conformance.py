"""Every conformance program (samples/, tests/programs/, ../shared/conformance/) in every available mode.

Each case runs `nyash run` in a fresh process exactly as a user would and must match NAME.out byte for
byte, NAME.status (default 0) and contain NAME.err on stderr.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from nyash_run.conformance import NATIVE, discover, run_case
from nyash_run.modes import ExecutionMode, available_modes

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "samples", ROOT / "tests" / "programs", ROOT.parent / "shared" / "conformance"]

CASES = [case for folder in FOLDERS if folder.is_dir() for case in discover(folder)]
# Native executables come from the LLVM backend: where it is available, every program is also built and run.
RUNNERS = available_modes() + ([NATIVE] if ExecutionMode.LLVM in available_modes() else [])


@pytest.mark.parametrize("mode", RUNNERS, ids=lambda m: m.value)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.folder.name}/{c.name}")
def test_program_conforms(case, mode):
    verdict = run_case(case, mode)
    assert verdict.passed, "\n".join(verdict.problems)


def test_shared_conformance_suite_is_present_or_reported():
    # The shared suite lives beside the repository; when it is missing the suite above silently shrinks,
    # so say so loudly instead.
    shared = ROOT.parent / "shared" / "conformance"
    if not shared.is_dir():
        pytest.skip(f"{shared} not found: only the project's own programs were checked")
    assert len(discover(shared)) >= 100
