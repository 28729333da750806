"""Plain helpers shared by tests (importable by name; conftest modules are not, there are several)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def nyash_command() -> list[str]:
    """The installed console script when it sits beside this Python, else `python -m nyash_run`."""
    script = Path(sys.executable).parent / "nyash"
    return [str(script)] if script.exists() else [sys.executable, "-m", "nyash_run"]


class Result:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.status = proc.returncode
        self.stdout = proc.stdout.decode("utf-8")
        self.stderr = proc.stderr.decode("utf-8")
