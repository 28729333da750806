"""Liveness of MIR values, and the points where each value dies.

In: an ir.Function and a predicate choosing the values to track (a backend tracks the values it owns a
reference to). Out: `Deaths`, telling a backend where to drop each tracked value: after the instruction
that uses it last, on entry to a block it is not live into, or when an instruction of a block raises.

Exception edges count as edges from the whole block: a value live into a block's handler is live through the
whole block, since any instruction of it may raise. Releasing a value at a point where it is not live is
always safe for a backend whose dropped values read as empty (the case of the LLVM backend's zeroed slots),
so the sets below may be generous at merges, never early.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from nyash_run.mir.ir import Block, Function, Value

Tracked = Callable[[Value], bool]


@dataclass
class Deaths:
    live_in: dict[int, frozenset[int]]
    live_out: dict[int, frozenset[int]]
    on_entry: dict[int, list[int]]          # block id -> values dead on entry that a predecessor held
    after: dict[int, list[list[int]]]       # block id -> per instruction, the values dead after it
    on_raise: dict[int, list[int]]          # block id -> values it may hold that die if it raises


def analyse(fn: Function, tracked: Tracked) -> Deaths:
    live_in, live_out = _solve(fn, tracked)
    after = {b.id: _deaths_inside(b, live_out[b.id], tracked) for b in fn.blocks}
    return Deaths(live_in, live_out, _deaths_on_entry(fn, live_in, live_out, tracked), after,
                  _deaths_on_raise(fn, live_in, tracked))


def _uses(instr, tracked: Tracked) -> set[int]:
    return {v.id for v in instr.uses() if tracked(v)}


def _gen_kill(block: Block, tracked: Tracked) -> tuple[set[int], set[int]]:
    gen: set[int] = set()
    kill = {p.id for p in block.params if tracked(p)}
    for instr in block.instrs:
        gen |= _uses(instr, tracked) - kill
        if instr.dst is not None and tracked(instr.dst):
            kill.add(instr.dst.id)
    return gen, kill


def _solve(fn: Function, tracked: Tracked):
    facts = {b.id: _gen_kill(b, tracked) for b in fn.blocks}
    succs = {b.id: [s.id for s in b.successors()] for b in fn.blocks}
    live_in = {b.id: frozenset() for b in fn.blocks}
    live_out = dict(live_in)
    changed = True
    while changed:
        changed = False
        for block in reversed(fn.blocks):
            out = frozenset().union(*(live_in.get(s, frozenset()) for s in succs[block.id]))
            gen, kill = facts[block.id]
            new_in = frozenset(gen | (out - kill))
            if new_in != live_in[block.id] or out != live_out[block.id]:
                live_in[block.id], live_out[block.id], changed = new_in, out, True
    return live_in, live_out


def _deaths_inside(block: Block, live_out: frozenset[int], tracked: Tracked) -> list[list[int]]:
    """Per instruction, the tracked values it uses (or defines) for the last time. The terminator's own
    uses die on the edges it takes (see `_deaths_on_entry`), so its list stays empty."""
    live = set(live_out)
    if block.instrs:
        live |= _uses(block.instrs[-1], tracked)
    result: list[list[int]] = [[] for _ in block.instrs]
    for index in range(len(block.instrs) - 2, -1, -1):
        instr = block.instrs[index]
        dying = set()
        if instr.dst is not None and tracked(instr.dst) and instr.dst.id not in live:
            dying.add(instr.dst.id)
        live.discard(instr.dst.id if instr.dst is not None else None)
        for used in _uses(instr, tracked):
            if used not in live:
                dying.add(used)
                live.add(used)
        result[index] = sorted(dying)
    return result


def _deaths_on_entry(fn: Function, live_in, live_out, tracked: Tracked) -> dict[int, list[int]]:
    """Values a predecessor still held at its terminator that are not live into the block (its own
    parameters excluded: the jump that writes them has dropped their earlier values), and the block's
    parameters that nothing reads."""
    result: dict[int, set[int]] = {}
    for block in fn.blocks:
        read = set(live_out[block.id]).union(*(_uses(i, tracked) for i in block.instrs))
        result[block.id] = {p.id for p in block.params if tracked(p) and p.id not in read}
    for block in fn.blocks:
        term = block.instrs[-1] if block.instrs else None
        if term is None:
            continue
        held = live_out[block.id] | _uses(term, tracked)
        for target, _args in term.targets:
            params = {p.id for p in target.params}
            result[target.id] |= held - live_in[target.id] - params
    return {block_id: sorted(values) for block_id, values in result.items()}


def _deaths_on_raise(fn: Function, live_in, tracked: Tracked) -> dict[int, list[int]]:
    """For each block: every tracked value it may hold at an instruction that raises (its live-in values,
    parameters and results), except those live into its handler and the handler's exception parameter."""
    result: dict[int, list[int]] = {}
    for block in fn.blocks:
        held = set(live_in[block.id]) | {p.id for p in block.params if tracked(p)}
        held |= {i.dst.id for i in block.instrs if i.dst is not None and tracked(i.dst)}
        handler = block.handler
        if handler is not None:
            held -= live_in[handler.id] | {p.id for p in handler.params}
        result[block.id] = sorted(held)
    return result
