"""The driver: the only place that knows the order of the stages.

In: a program path, an ExecutionMode and options from the CLI. Out: the program's output on stdout, errors
rendered on stderr (language.md §8.1), and the exit status (§8.4): 0, Main.main's Int & 255, 1 for any Nyash
error, 2 when the file cannot be read.
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field

from nyash_run.diagnostics import NyashError, SourceMap, render_error
from nyash_run.modes import BACKEND_MODULES, ExecutionMode

# Deep Nyash recursion (10,000 active calls, language.md §3.4) needs far more Python frames and C stack
# than the defaults; programs run on a thread with a large stack instead.
THREAD_STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 1_000_000

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


@dataclass
class RunOptions:
    mode: ExecutionMode
    argv: list[str] = field(default_factory=list)
    stats: bool = False
    debug: bool = False
    timeout: float | None = None
    config: str | None = None            # --config: the nyash.toml to use instead of the one found


@dataclass
class Timings:
    parse_ms: float = 0.0
    compile_ms: float = 0.0
    run_ms: float = 0.0


def backend_module(mode: ExecutionMode):
    """Imported lazily so that one mode never pays for another's imports (llvmlite, wasmtime)."""
    return importlib.import_module(BACKEND_MODULES[mode])


def load(path: str, mode: ExecutionMode):
    """Parse and check `path` for `mode`; raises NyashSyntaxError."""
    from nyash_run.syntax.loader import load_program
    return load_program(path, unsupported=backend_module(mode).UNSUPPORTED_FEATURES)


def exit_status(result) -> int:
    return result & 255 if type(result) is int else EXIT_OK


def run_file(path: str, options: RunOptions) -> int:
    timings = Timings()
    sources: SourceMap | None = None
    try:
        # import first so that the timings below measure the work, not Python's module loading
        from nyash_run.syntax import loader  # noqa: F401
        backend_module(options.mode)
        start = time.perf_counter()
        program = load(path, options.mode)
        sources = program.sources
        timings.parse_ms = _ms_since(start)
        configure_plugins(path, options.config)
        start = time.perf_counter()
        executable = compile_for(options.mode, program)
        timings.compile_ms = _ms_since(start)
        start = time.perf_counter()
        try:
            status = exit_status(run_deep(lambda: executable.run(options.argv), options.timeout))
        finally:
            timings.run_ms = _ms_since(start)
    except NyashError as err:
        status = report_error(err, sources, path, options.debug)
    except TimeoutError as err:
        # the program's thread cannot be stopped from Python: report, then leave the process at once
        status = report_error(err, None, path, options.debug)
        if options.stats:
            _write_stats(options.mode, timings)
        hard_exit(status)
    except Exception as err:  # a bug in nyash_run itself, never the user's program
        status = report_internal(err, options.debug)
    if options.stats:
        _write_stats(options.mode, timings)
    return status


def run_deep(task, timeout: float | None = None):
    """Run `task` on a thread with a big stack; re-raise what it raised; TimeoutError after `timeout`."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = task()
        except BaseException as exc:  # handed back to the calling thread
            outcome["error"] = exc

    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    previous = threading.stack_size(THREAD_STACK_BYTES)
    try:
        worker = threading.Thread(target=target, name="nyash-main", daemon=True)
        worker.start()
    finally:
        threading.stack_size(previous)
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"Program timed out after {timeout:g} seconds")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def report_error(err, sources: SourceMap | None, path: str, debug: bool) -> int:
    """Render a user-facing error after flushing the program's output; the exit status it implies."""
    from nyash_run.runtime import output
    output.flush()
    if isinstance(err, NyashError):
        from nyash_run.syntax.errors import NyashSyntaxError
        message = err.user_message() if hasattr(err, "user_message") else err.message
        text = render_error(message, err.span, sources or getattr(err, "sources", None) or SourceMap(), path)
        # a load error without a position means the program file itself could not be read
        unreadable = isinstance(err, NyashSyntaxError) and err.span is None
        status = EXIT_USAGE if unreadable else EXIT_ERROR
    else:
        text, status = render_error(str(err), None, None, path), EXIT_ERROR
    if debug:
        traceback.print_exception(err, file=sys.stderr)
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
    return status


def report_internal(err: BaseException, debug: bool) -> int:
    from nyash_run.runtime import output
    output.flush()
    if debug:
        traceback.print_exception(err, file=sys.stderr)
    sys.stderr.write(f"nyash: internal error: {type(err).__name__}: {err} (rerun with --debug for details)\n")
    return EXIT_INTERNAL


def check_file(path: str, mode: ExecutionMode) -> int:
    """Report every load error the front end can find; run nothing."""
    from nyash_run.syntax.loader import check_program
    program, errors = check_program(path, unsupported=backend_module(mode).UNSUPPORTED_FEATURES)
    sources = program.sources if program is not None else SourceMap()
    for err in errors:
        sys.stderr.write(render_error(err.message, err.span, getattr(err, "sources", None) or sources, path) + "\n")
    if errors and all(err.span is None for err in errors):
        return EXIT_USAGE
    return EXIT_ERROR if errors else EXIT_OK


def _ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 3)


def _write_stats(mode: ExecutionMode, timings: Timings) -> None:
    record = {"mode": mode.value, "parse_ms": timings.parse_ms, "compile_ms": timings.compile_ms,
              "run_ms": timings.run_ms}
    sys.stderr.write(json.dumps(record) + "\n")


def hard_exit(status: int) -> None:
    """Leave at once, even with a runaway program thread still running (after --timeout)."""
    from nyash_run.runtime import output
    output.flush()
    sys.stderr.flush()
    os._exit(status)


CONFIG_NAME = "nyash.toml"


def configure_plugins(path: str, config: str | None) -> None:
    """Offer the boxes of the nyash.toml that applies (abi.md §6) to `new`. Nothing is built or loaded
    until the program creates one of them, and without a nyash.toml the abi package is never imported."""
    from nyash_run.runtime.external import set_external_boxes
    beside = os.path.join(os.path.dirname(os.path.abspath(path)), CONFIG_NAME)
    if config is None and not os.path.isfile(beside) and not os.path.isfile(CONFIG_NAME):
        set_external_boxes((), None)
        return
    from nyash_run.abi.config import config_for
    from nyash_run.abi.plugins import PluginHost
    found = config_for(path, config)
    if found is None or not found.enabled():
        set_external_boxes((), None)
        return
    host = PluginHost(found)
    set_external_boxes(host.box_names(), host.new, host.load_all)


def build_mir(program, optimize: bool = True):
    """AST -> MIR -> clean-up passes -> types and specialisation -> clean-up again."""
    from nyash_run.mir.build import build_module
    from nyash_run.mir.passes import optimize_module
    from nyash_run.mir.types import infer_types
    module = build_module(program)
    if optimize:
        from nyash_run.runtime.external import external_names
        optimize_module(module)
        infer_types(module, external_names())
        optimize_module(module)
    return module


def compile_for(mode: ExecutionMode, program):
    """A backend that consumes MIR (`compile_module`) gets the MIR; the interpreter gets the AST."""
    backend = backend_module(mode)
    if hasattr(backend, "compile_loaded"):        # builds the MIR itself, only when it has no cached code
        return backend.compile_loaded(program, build_mir)
    if hasattr(backend, "compile_module"):
        return backend.compile_module(build_mir(program))
    return backend.compile_program(program)


def dump_file(path: str, stage: str, raw: bool = False) -> int:
    """Print one stage's output for `path`: `ast` (the parsed items) or `mir` (as the VM runs it, or as
    built when `raw`), verified after printing so a malformed module is still shown."""
    from nyash_run.syntax.loader import load_program
    unsupported = frozenset()
    if stage == "mir":
        unsupported = backend_module(ExecutionMode.VM).UNSUPPORTED_FEATURES
    elif stage.startswith("llvm"):
        unsupported = backend_module(ExecutionMode.LLVM).UNSUPPORTED_FEATURES
    try:
        program = load_program(path, unsupported=unsupported)
    except NyashError as err:
        return report_error(err, None, path, False)
    if stage == "mir":
        return _dump_mir(program, raw)
    if stage.startswith("llvm"):
        return _dump_llvm(program, optimized=stage == "llvm-opt")
    from nyash_run.syntax.dump import dump
    for item in program.items:
        sys.stdout.write(dump(item) + "\n")
    return EXIT_OK


def _dump_llvm(program, optimized: bool) -> int:
    try:
        from nyash_run.backends.llvm.native import compile_ir
        from nyash_run.backends.llvm.lower import lower_program
        module = build_mir(program)
        text = compile_ir(module, "llvm") if optimized else lower_program(module, native=True).ir_text
    except Exception as err:  # a lowering failure is a bug in nyash_run, never in the program
        return report_internal(err, False)
    sys.stdout.write(text)
    return EXIT_OK


BUILD_SUFFIXES = {"exe": "", "obj": ".o", "asm": ".s", "llvm": ".ll"}


def build_file(path: str, out: str | None, emit: str = "exe") -> int:
    """`nyash build`: the program compiled ahead of time into `out` (an executable, or obj/asm/IR)."""
    from nyash_run.syntax.loader import load_program
    try:
        program = load_program(path, unsupported=backend_module(ExecutionMode.LLVM).UNSUPPORTED_FEATURES)
    except NyashError as err:
        return report_error(err, getattr(err, "sources", None), path, False)
    if out is None:
        stem = path[:-3] if path.endswith(".ny") else path + ".out"
        out = stem + BUILD_SUFFIXES[emit]
    from nyash_run.backends.llvm import native
    try:
        module = build_mir(program)
        if emit == "exe":
            native.build_executable(module, out)
        else:
            data = native.compile_ir(module, emit)
            with open(out, "wb") as handle:
                handle.write(data if isinstance(data, bytes) else data.encode())
    except (native.NativeBuildError, OSError) as err:
        sys.stderr.write(f"nyash: error: {err}\n")
        return EXIT_ERROR
    except Exception as err:
        from nyash_run.abi.build import NyrtBuildError
        if isinstance(err, NyrtBuildError):
            sys.stderr.write(f"nyash: error: {err}\n")
            return EXIT_ERROR
        return report_internal(err, False)
    return EXIT_OK


def _dump_mir(program, raw: bool) -> int:
    from nyash_run.mir.printer import format_module
    from nyash_run.mir.verify import verify_module
    try:
        module = build_mir(program, optimize=not raw)
        sys.stdout.write(format_module(module) + "\n")
        sys.stdout.flush()
        verify_module(module)
    except Exception as err:  # MirError or a builder crash: a bug in nyash_run, never in the program
        return report_internal(err, False)
    return EXIT_OK
