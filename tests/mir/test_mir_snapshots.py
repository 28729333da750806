"""Snapshot tests of the MIR builder: tests/mir/snapshots/NAME.ny must print as NAME.mir.

A snapshot is checked-in, reviewed output of `format_module`. After a deliberate change to the builder or the
printer, regenerate them with `NYASH_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/mir` (or
`nyash dump mir NAME.ny`) and read the diff before committing it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from nyash_run.backends.vm import UNSUPPORTED_FEATURES as MIR_UNSUPPORTED_FEATURES
from nyash_run.mir.build import build_module
from nyash_run.mir.printer import format_module
from nyash_run.mir.verify import verify_module
from nyash_run.syntax.loader import load_program

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("NYASH_UPDATE_SNAPSHOTS") == "1"


def mir_text(program: Path) -> str:
    module = build_module(load_program(str(program), unsupported=MIR_UNSUPPORTED_FEATURES))
    verify_module(module)
    return format_module(module) + "\n"


@pytest.mark.parametrize("name", sorted(path.stem for path in SNAPSHOTS.glob("*.ny")))
def test_mir_matches_the_reviewed_snapshot(name):
    actual = mir_text(SNAPSHOTS / f"{name}.ny")
    snapshot = SNAPSHOTS / f"{name}.mir"
    if UPDATE:
        snapshot.write_text(actual, encoding="utf-8")
    if not snapshot.exists():
        pytest.fail(f"no snapshot {snapshot.name}: run with NYASH_UPDATE_SNAPSHOTS=1, then review it")
    assert actual == snapshot.read_text(encoding="utf-8")


def test_every_snapshot_has_its_program():
    orphans = [p.name for p in SNAPSHOTS.glob("*.mir") if not p.with_suffix(".ny").exists()]
    assert orphans == []
