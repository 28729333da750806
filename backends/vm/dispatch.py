"""Block-dispatch emission: any MIR function -> a Python loop that jumps between blocks by number.

In: an ir.Function (used for functions with exception handlers, or when structured emission gives up).
Out: the function's body lines. A `try` around the dispatch loop sends an exception to the handler of the
block that raised it (`bb` still names that block), binding the handler's parameter to the exception.
"""
from __future__ import annotations

from nyash_run.mir.ir import Function
from .codegen import OpLowering, Source, assignments, value_name


def emit_dispatch(fn: Function, lowering: OpLowering, src: Source) -> None:
    handled = [b for b in fn.blocks if b.handler is not None]
    src.add(1, f"bb = {fn.entry.id}")
    src.add(1, "while True:")
    base = 2
    if handled:
        src.add(2, "try:")
        base = 3
    src.add(base, "while True:")
    for block in fn.blocks:
        src.add(base + 1, f"if bb == {block.id}:")
        _block(block, lowering, src, base + 2)
    if handled:
        _handlers(fn, src)


def _block(block, lowering: OpLowering, src: Source, indent: int) -> None:
    for instr in block.instrs:
        span = instr.span if instr.op.may_raise else None
        for line in lowering.lines(instr):
            src.add(indent, line, span)
    term = block.terminator
    if term is None:
        src.add(indent, "raise AssertionError('block without terminator')")
    elif term.name == "JUMP":
        _goto(src, indent, *term.targets[0], lowering)
    elif term.name == "BRANCH":
        (then, then_args), (other, other_args) = term.targets
        src.add(indent, f"if {lowering.v(term.args[0])}:")
        _goto(src, indent + 1, then, then_args, lowering)
        _goto(src, indent, other, other_args, lowering)


def _goto(src: Source, indent: int, target, args, lowering: OpLowering) -> None:
    for line in assignments(target, args, lowering.v):
        src.add(indent, line)
    src.add(indent, f"bb = {target.id}")
    src.add(indent, "continue")


def _handlers(fn: Function, src: Source) -> None:
    src.add(2, "except NyashRuntimeError as exc:")
    src.add(3, "locate(exc)")
    by_handler: dict[int, list[int]] = {}
    for block in fn.blocks:
        if block.handler is not None:
            by_handler.setdefault(block.handler.id, []).append(block.id)
    keyword = "if"
    for handler_id, sources in by_handler.items():
        handler = next(b for b in fn.blocks if b.id == handler_id)
        src.add(3, f"{keyword} bb in {tuple(sources)!r}:")
        src.add(4, f"{value_name(handler.params[0])} = exc")
        src.add(4, f"bb = {handler_id}")
        keyword = "elif"
    src.add(3, "else:")
    src.add(4, "raise")
