"""Structured emission: a MIR function without exception handlers -> Python with if/else and while loops.

In: an ir.Function whose branches carry join hints and whose loop headers carry exit hints (mir.build
leaves them), an OpLowering, the Source to append to. Out: the function's body lines, or StructureError
when some edge cannot be written as fall-through, `break` or `continue` of the innermost loop (the caller
then uses dispatch.py).
"""
from __future__ import annotations

from nyash_run.mir.ir import Block, Function
from .codegen import OpLowering, Source, StructureError, assignments, value_name

MAX_NESTING = 90          # CPython refuses more than 100 levels of indentation


class StructuredEmitter:
    def __init__(self, fn: Function, lowering: OpLowering, src: Source):
        self.fn = fn
        self.low = lowering
        self.src = src
        self.emitted: set[int] = set()

    def emit(self) -> None:
        self.run(self.fn.entry, None, [], 1)

    def run(self, block: Block, stop: Block | None, loops: list, indent: int) -> bool:
        """Emit `block` and what follows it until `stop`; False when every path left by return/raise,
        break or continue (nothing falls through to `stop`)."""
        if indent > MAX_NESTING:
            raise StructureError("nesting too deep")
        while block is not stop:
            if block.loop_exit is not None and not (loops and loops[-1][0] is block):
                self.src.add(indent, "while True:")
                self.run(block, None, loops + [(block, block.loop_exit)], indent + 1)
                block = block.loop_exit
                continue
            if block.id in self.emitted and not (loops and loops[-1][0] is block):
                raise StructureError(f"bb{block.id} would be emitted twice")
            self.emitted.add(block.id)
            self.body(block, indent)
            term = block.terminator
            if term.name == "JUMP":
                target, args = term.targets[0]
                exit_kind = self.edge(target, args, stop, loops, indent)
                if exit_kind is not None:
                    return exit_kind == "stop"
                block = target
                continue
            if term.name == "BRANCH":
                following, falls = self.branch(term, stop, loops, indent)
                if following is None:
                    return falls
                block = following
                continue
            return False
        return True

    def body(self, block: Block, indent: int) -> None:
        for instr in block.instrs:
            span = instr.span if instr.op.may_raise else None
            for line in self.low.lines(instr):
                self.src.add(indent, line, span)

    def edge(self, target: Block, args, stop, loops, indent: int) -> str | None:
        """Write the jump to `target`; None when the caller should go on emitting `target` inline."""
        for line in assignments(target, args, self.low.v):
            self.src.add(indent, line)
        if loops and target is loops[-1][0]:
            self.src.add(indent, "continue")
            return "continue"
        if loops and target is loops[-1][1]:
            self.src.add(indent, "break")
            return "break"
        if target is stop:
            return "stop"
        if any(target is header or target is exit_ for header, exit_ in loops[:-1]):
            raise StructureError("jump to an outer loop")
        return None

    def branch(self, term, stop, loops, indent: int) -> tuple[Block | None, bool]:
        """if/else. Returns the block to go on with at this level (the join, when an arm reaches it) and
        whether control can fall through to the end."""
        cond = self.low.v(term.args[0])
        (then, then_args), (other, other_args) = term.targets
        merge = term.merge
        inner_stop = merge if merge is not None else stop
        if self._is_loop_edge(other, loops) and not other_args:
            # `if not c: break` keeps the loop body at this level instead of nesting it in an else
            self.src.add(indent, f"if not {cond}:")
            self.edge(other, other_args, inner_stop, loops, indent + 1)
            falls = self.arm(then, then_args, inner_stop, loops, indent, allow_empty=True)
        else:
            self.src.add(indent, f"if {cond}:")
            falls_then = self.arm(then, then_args, inner_stop, loops, indent + 1)
            self.src.add(indent, "else:")
            mark = len(self.src.lines)
            falls = self.arm(other, other_args, inner_stop, loops, indent + 1) or falls_then
            if self.src.lines[mark:] == ["    " * (indent + 1) + "pass"]:
                del self.src.lines[mark - 1:]          # an empty else says nothing
        if merge is None or merge is stop:
            return None, falls
        return (merge if falls else None), falls

    def arm(self, target: Block, args, stop, loops, indent: int, allow_empty: bool = False) -> bool:
        start = len(self.src.lines)
        kind = self.edge(target, args, stop, loops, indent)
        falls = kind == "stop" if kind is not None else self.run(target, stop, loops, indent)
        if len(self.src.lines) == start and not allow_empty:
            self.src.add(indent, "pass")
        return falls

    @staticmethod
    def _is_loop_edge(target: Block, loops) -> bool:
        return bool(loops) and (target is loops[-1][0] or target is loops[-1][1])
