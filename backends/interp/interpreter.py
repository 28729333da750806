"""Running a program with the interpreter.

In: a LoadedProgram and the program's command-line arguments. Out: the value `Main.main` returned (None
when there is no `Main.main`), or a NyashRuntimeError carrying the span of the node that failed. The
driver turns that into output and an exit status.
"""
from __future__ import annotations

from nyash_run.diagnostics import plural
from nyash_run.runtime.values import ArrayBox
from .classes import invoke, singleton
from .compiler import Compiler
from .state import UNBOUND, RunState, fail

# The interpreter implements all of Tier 2 (language.md §0).
UNSUPPORTED_FEATURES: frozenset[str] = frozenset()


class Executable:
    """A compiled program, run once with `run(argv)`."""

    def __init__(self, program):
        self.st = RunState()
        self.compiler = Compiler(program, self.st)
        self.compiler.compile_bodies()
        self.top, self.top_size = self.compiler.compile_top_level()

    def run(self, argv: list[str]):
        frame = [None, None] + [UNBOUND] * (self.top_size - 2)
        self.top(frame)
        return _run_main(self.st, self.compiler.classes.get("Main"), argv)


def compile_program(program) -> Executable:
    return Executable(program)


def _run_main(st: RunState, main_box, argv: list[str]):
    """§3.2 step 2: initialise Main if needed and call its `main` (own or inherited)."""
    if main_box is None or not main_box.is_static or "main" not in main_box.methods:
        return None
    code = main_box.methods["main"]
    me = singleton(st, main_box, code.decl_span)
    if code.nparams > 1:
        raise fail(f"Method main expects {plural(code.nparams, 'argument')}, got 0", code.decl_span)
    args = [ArrayBox(list(argv))] if code.nparams == 1 else []
    return invoke(st, code, args, me, code.decl_span)
