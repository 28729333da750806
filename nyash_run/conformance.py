"""The conformance runner behind `nyash conformance` and tests/conformance.

In: folders holding `NAME.ny` programs with `NAME.out` (exact stdout), optional `NAME.status` (exit status,
default 0) and `NAME.err` (a substring of stderr); a list of modes. Out: one verdict per (program, mode),
with a diff for each failure, and a summary line `N passed, N failed`.

Each program runs as a user would run it: `python -m nyash_run run --mode M NAME.ny` in a fresh process,
from the program's folder, with empty stdin. The pseudo-mode `native` builds the program with
`nyash build NAME.ny -o EXE` and runs EXE the same way (the build itself must succeed silently).
"""
from __future__ import annotations

import difflib
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nyash_run.modes import ExecutionMode

CASE_TIMEOUT_SECONDS = 120


class PseudoMode:
    """A way of running a program that is not an execution mode of `nyash run` (reported by `value`)."""

    def __init__(self, value: str):
        self.value = value


NATIVE = PseudoMode("native")


@dataclass(frozen=True)
class Case:
    folder: Path
    name: str

    def expected(self, suffix: str) -> str | None:
        path = self.folder / f"{self.name}{suffix}"
        return path.read_text(encoding="utf-8") if path.exists() else None


@dataclass
class Verdict:
    case: Case
    mode: ExecutionMode
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def discover(folder: str | Path) -> list[Case]:
    """Every NAME.ny that has a NAME.out beside it, sorted by name."""
    root = Path(folder)
    return [Case(root, p.stem) for p in sorted(root.glob("*.ny")) if (root / f"{p.stem}.out").exists()]


def run_case(case: Case, mode: ExecutionMode | PseudoMode, extra_args: tuple[str, ...] = ()) -> Verdict:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    if mode is NATIVE:
        return _run_native(case, env)
    command = [sys.executable, "-m", "nyash_run", "run", "--mode", mode.value, *extra_args, f"{case.name}.ny"]
    return _run_command(case, mode, command, env)


def _run_native(case: Case, env: dict) -> Verdict:
    with tempfile.TemporaryDirectory(prefix="nyash-native-") as tmp:
        exe = os.path.join(tmp, case.name)
        build = [sys.executable, "-m", "nyash_run", "build", f"{case.name}.ny", "-o", exe]
        proc = subprocess.run(build, cwd=case.folder, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=CASE_TIMEOUT_SECONDS, env=env)
        if proc.returncode != 0:
            if proc.returncode != 70 and _build_refusal_expected(case, proc):
                return Verdict(case, NATIVE, compare(case, proc.stdout.decode(), proc.stderr.decode(), proc.returncode))
            return Verdict(case, NATIVE, [f"build failed (status {proc.returncode}):\n"
                                          + proc.stderr.decode("utf-8", "replace").rstrip()])
        return _run_command(case, NATIVE, [exe], env)


def _build_refusal_expected(case: Case, proc) -> bool:
    """A program that cannot load (a syntax or declaration error) is refused by the build as by `run`."""
    return (case.expected(".status") or "0").strip() != "0"


def _run_command(case: Case, mode, command: list[str], env: dict) -> Verdict:
    try:
        proc = subprocess.run(command, cwd=case.folder, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=CASE_TIMEOUT_SECONDS, env=env)
    except subprocess.TimeoutExpired:
        return Verdict(case, mode, [f"timed out after {CASE_TIMEOUT_SECONDS} s"])
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    return Verdict(case, mode, compare(case, stdout, stderr, proc.returncode))


def compare(case: Case, stdout: str, stderr: str, status: int) -> list[str]:
    """What differs from the expectation files (empty when the run conforms)."""
    problems = []
    want_out = case.expected(".out") or ""
    if stdout != want_out:
        diff = difflib.unified_diff(want_out.splitlines(keepends=True), stdout.splitlines(keepends=True),
                                    "expected stdout", "actual stdout")
        problems.append("stdout differs:\n" + "".join(diff).rstrip("\n"))
    want_status = int((case.expected(".status") or "0").strip())
    if status != want_status:
        problems.append(f"exit status {status}, expected {want_status}")
    want_err = (case.expected(".err") or "").strip()
    if want_err and want_err not in stderr:
        problems.append(f"stderr lacks {want_err!r}; stderr was:\n{stderr.rstrip()}")
    elif not want_err and want_status == 0 and stderr.strip():
        problems.append(f"unexpected stderr:\n{stderr.rstrip()}")
    return problems


def run_conformance(folders: list[str], modes: list[ExecutionMode], verbose: bool = False,
                    workers: int = 2) -> int:
    """Run every case of `folders` in every mode; print failures with diffs; 0 when all pass."""
    cases = [case for folder in folders for case in _checked_folder(folder)]
    jobs = [(case, mode) for mode in modes for case in cases]
    failed = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for verdict in pool.map(lambda job: run_case(*job), jobs):
            failed += not verdict.passed
            _report(verdict, verbose)
    print(f"{len(jobs) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def _checked_folder(folder: str) -> list[Case]:
    if not Path(folder).is_dir():
        sys.stderr.write(f"nyash: error: conformance folder '{folder}' does not exist\n")
        raise SystemExit(2)
    return discover(folder)


def _report(verdict: Verdict, verbose: bool) -> None:
    label = f"[{verdict.mode.value}] {verdict.case.folder / verdict.case.name}.ny"
    if verdict.passed:
        if verbose:
            print(f"PASS {label}")
        return
    print(f"FAIL {label}")
    for problem in verdict.problems:
        print("  " + problem.replace("\n", "\n  "))
    sys.stdout.flush()
