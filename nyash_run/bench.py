"""The benchmark runner behind `nyash bench`.

In: a benchmark folder (suite.toml plus NAME.ny, NAME.py and NAME.c for each program), the Nyash modes to
measure, a size name, a run count and which programs. Out: a Report holding, per program, one Result per
runner (each Nyash mode, CPython, C) with every run's timings and an output check; `format_table` and
`to_json` turn it into text. Progress goes to stderr, one line per program and runner.

Every measurement is a fresh process, as a user runs it:
  Nyash   python -m nyash_run run --mode M --stats NAME.ny SIZE   run s = run_ms, compile ms = parse + compile
  CPython python NAME.py SIZE                                       run s = wall time
  C       a cached `cc -O2 -ffp-contract=off` build of NAME.c       run s = wall time
Ratios are of medians measured in the same invocation. Nothing here asserts speed; a wrong checksum is
reported, never raised.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

SIZES = ("small", "medium", "large")
SUITE_FILE = "suite.toml"
C_FLAGS = ("-O2", "-ffp-contract=off")  # no FMA contraction: Float results must match CPython bit for bit
C_COMPILERS = ("cc", "gcc", "clang")
CPYTHON, C = "cpython", "c"


@dataclass(frozen=True)
class Program:
    name: str
    about: str
    sizes: dict[str, int]
    small_output: str
    config: Path | None = None   # the nyash.toml of the plugins the program uses (suite.toml `config`)


@dataclass
class Sample:
    """One process run. `status` None means it timed out."""
    wall_s: float
    status: int | None
    stdout: str
    stderr: str
    stats: dict | None = None

    @property
    def run_s(self) -> float:
        return self.stats["run_ms"] / 1000 if self.stats else self.wall_s

    @property
    def compile_ms(self) -> float | None:
        return self.stats["parse_ms"] + self.stats["compile_ms"] if self.stats else None


@dataclass
class Result:
    """All runs of one program on one runner (a Nyash mode name, "cpython" or "c")."""
    runner: str
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None  # set when the runner failed: build error, non-zero exit, timeout
    timed_out: bool = False
    check: str = "unchecked"  # ok | ref | MISMATCH | FAILED | TIMEOUT | unchecked
    detail: str = ""

    def _median(self, values: list[float | None]) -> float | None:
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    @property
    def run_s(self) -> float | None:
        return self._median([s.run_s for s in self.samples])

    @property
    def compile_ms(self) -> float | None:
        return self._median([s.compile_ms for s in self.samples])

    @property
    def wall_s(self) -> float | None:
        return self._median([s.wall_s for s in self.samples])

    @property
    def output(self) -> str | None:
        return self.samples[0].stdout if self.samples else None


@dataclass
class ProgramReport:
    program: Program
    size_arg: int
    results: list[Result]
    reference: str | None = None  # the output every runner must print

    def result(self, runner: str) -> Result | None:
        return next((r for r in self.results if r.runner == runner and r.samples and not r.error), None)


@dataclass
class Report:
    size: str
    runs: int
    modes: list[str]
    programs: list[ProgramReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        # a timeout says a runner is too slow for this size, not that it is wrong
        return all(r.check in ("ok", "ref", "unchecked", "TIMEOUT") for p in self.programs for r in p.results)


@dataclass
class BenchOptions:
    modes: list[str]
    size: str = "medium"
    runs: int = 3
    programs: list[str] | None = None  # None: every program of the suite
    c: bool = True
    python: bool = True
    timeout: float = 600.0
    folder: Path | None = None


# ---------------------------------------------------------------- the suite

def default_folder() -> Path:
    """The repository's benchmarks/ folder, beside the nyash_run package."""
    return Path(__file__).resolve().parents[1] / "benchmarks"


def load_suite(folder: Path) -> list[Program]:
    """The programs of folder/suite.toml in file order; ValueError when the file is missing or malformed."""
    path = folder / SUITE_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"cannot read benchmark suite {path}: {err}") from None
    programs = []
    for name, table in data.items():
        try:
            sizes = {size: int(table[size]) for size in SIZES}
            config = (folder / table["config"]).resolve() if "config" in table else None
            programs.append(Program(name, table.get("about", ""), sizes, table["small_output"], config))
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"{path}: program '{name}' lacks a valid {err}") from None
    return programs


def select(programs: list[Program], names: list[str] | None) -> list[Program]:
    """The named programs in the order given; ValueError naming an unknown one."""
    if names is None:
        return programs
    by_name = {p.name: p for p in programs}
    for name in names:
        if name not in by_name:
            raise ValueError(f"unknown benchmark '{name}' (choose from {', '.join(by_name)})")
    return [by_name[name] for name in dict.fromkeys(names)]


# ---------------------------------------------------------------- C builds

def cache_dir() -> Path:
    """$XDG_CACHE_HOME/nyash_run/bench, else ~/.cache/nyash_run/bench."""
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "nyash_run" / "bench"


def find_c_compiler() -> str | None:
    """$CC when set, else the first of cc, gcc, clang on PATH."""
    if os.environ.get("CC"):
        return shutil.which(os.environ["CC"])
    return next((path for path in map(shutil.which, C_COMPILERS) if path), None)


def build_c(source: Path, compiler: str, timeout: float) -> Path:
    """The executable for `source`, compiled once and cached by a hash of the source, compiler and flags.

    Raises RuntimeError with the compiler's message when the build fails.
    """
    key = hashlib.sha256(source.read_bytes() + "\0".join((compiler,) + C_FLAGS).encode()).hexdigest()[:16]
    target = cache_dir() / f"{source.stem}-{key}"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # build under a private name, then rename: a concurrent `nyash bench` never runs a half-written file
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    proc = subprocess.run([compiler, *C_FLAGS, "-o", str(partial), str(source), "-lm"],
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        partial.unlink(missing_ok=True)
        message = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[0]
        raise RuntimeError(f"{source.name} did not compile: {message}")
    os.replace(partial, target)
    return target


# ---------------------------------------------------------------- running

def nyash_command(mode: str, source: Path, size_arg: int, config: Path | None = None) -> list[str]:
    extra = ["--config", str(config)] if config is not None else []
    return [sys.executable, "-m", "nyash_run", "run", "--mode", mode, "--stats", *extra, str(source), str(size_arg)]


def parse_stats(stderr: str) -> dict | None:
    """The --stats record: JSON on the last non-empty stderr line, or None."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    try:
        record = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        return None
    wanted = ("parse_ms", "compile_ms", "run_ms")
    return record if isinstance(record, dict) and all(k in record for k in wanted) else None


def run_once(command: list[str], timeout: float, with_stats: bool) -> Sample:
    start = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Sample(time.perf_counter() - start, None, "", "")
    wall = time.perf_counter() - start
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    return Sample(wall, proc.returncode, stdout, stderr, parse_stats(stderr) if with_stats else None)


def describe_status(status: int) -> str:
    """`exit status N`, or the signal's name for a process killed by one (negative status)."""
    if status >= 0:
        return f"exit status {status}"
    try:
        return f"killed by {signal.Signals(-status).name}"
    except ValueError:
        return f"killed by signal {-status}"


def failure_line(stderr: str) -> str:
    """The line of a failed run's stderr worth showing: the first `error:` line, else the last line."""
    lines = [line for line in stderr.splitlines() if line.strip() and parse_stats(line) is None]
    return next((line for line in lines if "error:" in line), lines[-1] if lines else "(no message)")


def measure(runner: str, command: list[str], options: BenchOptions) -> Result:
    """`options.runs` runs of `command`; stops at the first failed run (repeating a failure tells nothing)."""
    result = Result(runner)
    for _ in range(options.runs):
        sample = run_once(command, options.timeout, with_stats=runner not in (CPYTHON, C))
        result.samples.append(sample)
        if sample.status is None:
            result.error, result.timed_out = f"timed out after {options.timeout:g} s", True
        elif sample.status != 0:
            result.error = f"{describe_status(sample.status)}: {failure_line(sample.stderr)}"
        if result.error:
            break
    return result


def measure_program(program: Program, options: BenchOptions, folder: Path, compiler: str | None,
                    progress: Callable[[str], None]) -> ProgramReport:
    size_arg = program.sizes[options.size]
    results = []
    for mode in options.modes:
        progress(f"{program.name}({size_arg}): {mode}, {options.runs} run(s)")
        results.append(measure(mode, nyash_command(mode, folder / f"{program.name}.ny", size_arg, program.config), options))
    if options.python:
        progress(f"{program.name}({size_arg}): CPython, {options.runs} run(s)")
        results.append(measure(CPYTHON, [sys.executable, str(folder / f"{program.name}.py"), str(size_arg)],
                               options))
    if options.c and compiler:
        progress(f"{program.name}({size_arg}): C, {options.runs} run(s)")
        try:
            binary = build_c(folder / f"{program.name}.c", compiler, options.timeout)
            results.append(measure(C, [str(binary), str(size_arg)], options))
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as err:
            results.append(Result(C, error=str(err)))
    report = ProgramReport(program, size_arg, results)
    check_outputs(report, options.size)
    return report


def check_outputs(report: ProgramReport, size: str) -> None:
    """Compare every run's stdout with the reference: the suite's output at `small`, else CPython's, else C's."""
    reference_runner = None
    if size == "small":
        report.reference = report.program.small_output
    else:
        for runner in (CPYTHON, C):
            found = report.result(runner)
            if found is not None:
                report.reference, reference_runner = found.output, runner
                break
    for result in report.results:
        if result.error:
            result.check, result.detail = "TIMEOUT" if result.timed_out else "FAILED", result.error
        elif report.reference is None:
            result.check = "unchecked"
        elif result.runner == reference_runner:
            result.check = "ref"
        else:
            wrong = next((s.stdout for s in result.samples if s.stdout != report.reference), None)
            result.check = "ok" if wrong is None else "MISMATCH"
            if wrong is not None:
                result.detail = f"printed {wrong.strip()!r}, expected {report.reference.strip()!r}"


def run_suite(options: BenchOptions, progress: TextIO | None = None) -> Report:
    """Measure every selected program on every runner. ValueError for a bad suite or program name."""
    folder = options.folder or default_folder()
    programs = select(load_suite(folder), options.programs)
    report = Report(options.size, options.runs, list(options.modes))
    compiler = find_c_compiler() if options.c else None
    if not options.c:
        report.notes.append("C: not measured (--no-c)")
    elif compiler is None:
        report.notes.append("C: not available (no C compiler found)")
    if not options.python:
        report.notes.append("CPython: not measured (--no-python)")

    def say(line: str) -> None:
        if progress is not None:
            progress.write(f"nyash bench: {line}\n")
            progress.flush()

    for program in programs:
        report.programs.append(measure_program(program, options, folder, compiler, say))
    if any(entry.reference is None for entry in report.programs):
        report.notes.append("output not checked: no CPython or C output to compare with")
    return report


# ---------------------------------------------------------------- output

def ratio(result: Result, base: Result | None) -> float | None:
    if base is None or result.error or result.run_s is None or not base.run_s:
        return None
    return result.run_s / base.run_s


def _fmt(value: float | None, spec: str, suffix: str = "") -> str:
    return "-" if value is None else format(value, spec) + suffix


def table_rows(report: Report) -> list[list[str]]:
    rows = []
    for entry in report.programs:
        c_result, py_result = entry.result(C), entry.result(CPYTHON)
        label = f"{entry.program.name}({entry.size_arg})"
        for result in entry.results:
            # a failed runner's timings measure the failure, not the program: show none
            times = [None] * 3 if result.error else [result.run_s, result.compile_ms, result.wall_s]
            rows.append([label, result.runner, _fmt(times[0], ".3f"), _fmt(times[1], ".1f"),
                         _fmt(times[2], ".3f"), _fmt(ratio(result, c_result), ".2f", "x"),
                         _fmt(ratio(result, py_result), ".2f", "x"), result.check])
            label = ""
    return rows


def format_table(report: Report) -> str:
    """A fixed-width table, then the notes, then one line per failure or wrong checksum."""
    header = ["program", "runner", "run s", "compile ms", "wall s", "vs C", "vs CPython", "output"]
    rows = [header] + table_rows(report)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    left = {0, 1, 7}  # text columns; the numbers are right-aligned
    lines = [f"nyash bench: size {report.size}, median of {report.runs} run(s); run s is the Nyash run phase "
             "(--stats run_ms), or wall time for CPython and C", ""]
    for row in rows:
        cells = [cell.ljust(w) if i in left else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    lines += [""] + report.notes if report.notes else []
    problems = [f"{entry.program.name} on {r.runner}: {r.check}: {r.detail}"
                for entry in report.programs for r in entry.results if r.check in ("MISMATCH", "FAILED")]
    slow = [f"{entry.program.name} on {r.runner}: {r.detail}"
            for entry in report.programs for r in entry.results if r.check == "TIMEOUT"]
    lines += ["", "Timed out (use --timeout, or a smaller --size):"] + slow if slow else []
    if problems:
        lines += ["", "!!! WRONG OR FAILED RUNS !!!"] + problems
    return "\n".join(lines) + "\n"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def result_json(result: Result, entry: ProgramReport) -> dict:
    return {
        "runner": result.runner,
        "kind": result.runner if result.runner in (CPYTHON, C) else "nyash",
        "runs": len(result.samples),
        "run_s": [round(s.run_s, 6) for s in result.samples],
        "compile_ms": [s.compile_ms for s in result.samples],
        "wall_s": [round(s.wall_s, 6) for s in result.samples],
        "median_run_s": _round(result.run_s),
        "median_compile_ms": _round(result.compile_ms),
        "median_wall_s": _round(result.wall_s),
        "ratio_to_c": _round(ratio(result, entry.result(C))),
        "ratio_to_cpython": _round(ratio(result, entry.result(CPYTHON))),
        "check": result.check,
        "detail": result.detail,
        "output": result.output,
    }


def to_json(report: Report) -> str:
    data = {
        "size": report.size,
        "runs": report.runs,
        "modes": report.modes,
        "ok": report.ok,
        "notes": report.notes,
        "programs": [{"name": e.program.name, "size_arg": e.size_arg, "expected_output": e.reference,
                      "results": [result_json(r, e) for r in e.results]} for e in report.programs],
    }
    return json.dumps(data, indent=2) + "\n"
