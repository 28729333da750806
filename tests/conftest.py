"""Shared test helpers: running the installed `nyash` command and running source text in-process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from testsupport import ROOT, Result, nyash_command  # noqa: F401  (re-exported for fixtures below)


# Running programs in-process raises the recursion limit (driver.run_deep); raise it once up front so the
# limit is the same for every test and hypothesis does not warn about it changing mid-test.
from nyash_run.driver import RECURSION_LIMIT  # noqa: E402

sys.setrecursionlimit(RECURSION_LIMIT)


@pytest.fixture
def nyash(tmp_path):
    """`nyash(*args, cwd=...)` runs the command as a user would and returns status, stdout, stderr."""
    def run(*args: str, cwd: Path | None = None, timeout: float = 60) -> Result:
        proc = subprocess.run(nyash_command() + list(args), cwd=cwd or tmp_path, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=timeout)
        return Result(proc)
    return run


@pytest.fixture
def program(tmp_path):
    """`program(text, name='main.ny')` writes a source file and returns its path."""
    def write(text: str, name: str = "main.ny") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write
