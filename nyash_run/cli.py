"""The `nyash` command: argv -> options -> driver.

In: the command line. Out: an exit status (0 success, Main.main's Int & 255, 1 Nyash error, 2 usage error).
Every command's work lives elsewhere (driver, syntax, tests.conformance runner); this module only parses
options and reports usage errors in one line.
"""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

from nyash_run import __version__
from nyash_run.modes import DEFAULT_MODE, ExecutionMode, available_modes, parse_mode

app = typer.Typer(
    name="nyash",
    help="Run, check and inspect Nyash programs on the interpreter, the VM, WebAssembly or LLVM.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
dump_app = typer.Typer(help="Show the output of one compiler stage.", no_args_is_help=True)
app.add_typer(dump_app, name="dump")
plugins_app = typer.Typer(help="Inspect, check and build the plugins nyash.toml loads.", no_args_is_help=True)
app.add_typer(plugins_app, name="plugins")

EXIT_USAGE = 2


def usage_error(message: str) -> "typer.Exit":
    sys.stderr.write(f"nyash: error: {message}\n")
    return typer.Exit(EXIT_USAGE)


def _mode_or_exit(name: Optional[str]) -> ExecutionMode:
    if name is None:
        return DEFAULT_MODE
    try:
        return parse_mode(name)
    except ValueError as err:
        raise usage_error(str(err))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nyash_run {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Nyash: everything is a box."""


@app.command(context_settings={"allow_interspersed_args": False})
def run(
    file: str = typer.Argument(..., help="The .ny program to run."),
    args: Optional[List[str]] = typer.Argument(None, help="Arguments passed to Main.main(args)."),
    mode: Optional[str] = typer.Option(None, "--mode", "-m",
                                       help="interp | vm | wasm | llvm | adaptive (default: interp)."),
    stats: bool = typer.Option(False, "--stats", help="Write one JSON line of timings to stderr."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Stop the program after SECONDS."),
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks for errors."),
    config: Optional[str] = typer.Option(None, "--config", help="The nyash.toml to use for plugins."),
) -> None:
    """Run a Nyash program."""
    from nyash_run.driver import RunOptions, run_file
    options = RunOptions(mode=_mode_or_exit(mode), argv=list(args or []), stats=stats, debug=debug,
                         timeout=timeout, config=config)
    raise typer.Exit(run_file(file, options))


@app.command()
def check(
    file: str = typer.Argument(..., help="The .ny program to check."),
    mode: Optional[str] = typer.Option(None, "--mode", "-m", help="Check against this mode's features."),
) -> None:
    """Parse and check a program, report every error found, run nothing."""
    from nyash_run.driver import check_file
    raise typer.Exit(check_file(file, _mode_or_exit(mode)))


@dump_app.command("ast")
def dump_ast(file: str = typer.Argument(..., help="The .ny program.")) -> None:
    """Print the abstract syntax tree."""
    from nyash_run.driver import dump_file
    raise typer.Exit(dump_file(file, "ast"))


@dump_app.command("mir")
def dump_mir(
    file: str = typer.Argument(..., help="The .ny program."),
    raw: bool = typer.Option(False, "--raw", help="As built from the AST, before passes and types."),
) -> None:
    """Print the verified mid-level IR, with inferred types, as the VM runs it."""
    from nyash_run.driver import dump_file
    raise typer.Exit(dump_file(file, "mir", raw=raw))


@dump_app.command("llvm")
def dump_llvm(
    file: str = typer.Argument(..., help="The .ny program."),
    optimized: bool = typer.Option(False, "--optimized", "-O", help="After LLVM's optimisation passes."),
) -> None:
    """Print the LLVM IR the llvm mode and native builds compile."""
    from nyash_run.driver import dump_file
    raise typer.Exit(dump_file(file, "llvm-opt" if optimized else "llvm"))


@app.command()
def build(
    file: str = typer.Argument(..., help="The .ny program to compile."),
    output: Optional[str] = typer.Option(None, "--output", "-o",
                                         help="Where to write (default: FILE without .ny, plus .o/.s/.ll)."),
    target: str = typer.Option("native", "--target", help="native (an executable linked with nyrt)."),
    emit: str = typer.Option("exe", "--emit", help="exe | obj | asm | llvm (what to write)."),
) -> None:
    """Compile a program ahead of time into a standalone executable (or its object, assembly or IR)."""
    from nyash_run.driver import build_file
    if target != "native":
        raise usage_error(f"unknown target '{target}' (available: native)")
    if emit not in ("exe", "obj", "asm", "llvm"):
        raise usage_error(f"unknown --emit '{emit}' (choose from exe, obj, asm, llvm)")
    raise typer.Exit(build_file(file, output, emit))


@app.command()
def conformance(
    dirs: List[str] = typer.Argument(..., help="Folders of NAME.ny programs with NAME.out expectations."),
    modes: Optional[str] = typer.Option(None, "--modes",
                                        help="Comma-separated modes, or native (default: all available)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every test, not only failures."),
) -> None:
    """Run conformance programs and compare stdout, exit status and stderr with expectations (`native`:
    build each program with `nyash build` and run the executable)."""
    from nyash_run.conformance import NATIVE, run_conformance
    names = [name.strip() for name in modes.split(",")] if modes else [m.value for m in available_modes()]
    chosen = [NATIVE if name == NATIVE.value else _mode_or_exit(name) for name in names]
    raise typer.Exit(run_conformance(dirs, chosen, verbose=verbose))


@app.command()
def bench(
    modes: Optional[str] = typer.Option(None, "--modes", help="Comma-separated modes (default: all available)."),
    size: str = typer.Option("medium", "--size",
                             help="small (a fraction of a second), medium (~1 s in CPython), large (~1 s in C)."),
    runs: int = typer.Option(3, "--runs", help="Runs per program and runner; the table shows medians."),
    programs: Optional[str] = typer.Option(None, "--programs",
                                           help="Comma-separated benchmark names (default: all)."),
    json_output: bool = typer.Option(False, "--json", help="Print the results as JSON instead of a table."),
    no_c: bool = typer.Option(False, "--no-c", help="Do not compile and time the C versions."),
    no_python: bool = typer.Option(False, "--no-python", help="Do not time the CPython versions."),
    timeout: float = typer.Option(600.0, "--timeout", help="Give up on a run after SECONDS."),
    folder: Optional[str] = typer.Option(None, "--dir", help="Benchmark folder (default: the repository's)."),
) -> None:
    """Run the benchmark suite in each mode, CPython and C; print times and ratios side by side."""
    from pathlib import Path

    from nyash_run import bench as benchmarks
    chosen = [_mode_or_exit(name.strip()) for name in modes.split(",")] if modes else available_modes()
    if size not in benchmarks.SIZES:
        raise usage_error(f"unknown size '{size}' (choose from {', '.join(benchmarks.SIZES)})")
    if runs < 1 or timeout <= 0:
        raise usage_error("--runs and --timeout must be positive")
    options = benchmarks.BenchOptions(
        modes=list(dict.fromkeys(mode.value for mode in chosen)), size=size, runs=runs,
        programs=[name.strip() for name in programs.split(",")] if programs else None,
        c=not no_c, python=not no_python, timeout=timeout, folder=Path(folder) if folder else None)
    try:
        report = benchmarks.run_suite(options, progress=sys.stderr)
    except ValueError as err:
        raise usage_error(str(err))
    sys.stdout.write(benchmarks.to_json(report) if json_output else benchmarks.format_table(report))
    raise typer.Exit(0 if report.ok else 1)


CONFIG_HELP = "The nyash.toml to use (default: the one in the current directory)."


@plugins_app.command("list")
def plugins_list(config: Optional[str] = typer.Option(None, "--config", help=CONFIG_HELP)) -> None:
    """Show what the config loads: name, path, abi, types, enabled."""
    from nyash_run.abi.commands import list_plugins
    raise typer.Exit(list_plugins(config))


@plugins_app.command("verify")
def plugins_verify(config: Optional[str] = typer.Option(None, "--config", help=CONFIG_HELP)) -> None:
    """Load every plugin entry and run every check; one line per plugin and type."""
    from nyash_run.abi.commands import verify_plugins
    raise typer.Exit(verify_plugins(config))


@plugins_app.command("build")
def plugins_build(
    folder: Optional[str] = typer.Argument(None, help="Folder of plugin folders (default: the project's plugins/)."),
    config: Optional[str] = typer.Option(None, "--config", help="Build the library of every entry of this nyash.toml."),
) -> None:
    """Compile each plugin folder's C sources into lib<NAME>.<ext> with the system C compiler."""
    from nyash_run.abi.commands import build_plugins
    raise typer.Exit(build_plugins(folder, config))


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(encoding="utf-8", newline="\n")
    try:
        app(prog_name="nyash")
    except KeyboardInterrupt:
        sys.stderr.write("nyash: interrupted\n")
        sys.exit(130)
