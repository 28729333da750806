"""Clean-up passes over MIR functions: unreachable blocks, trivial block parameters, constant folding,
dead code.

In: an ir.Function (or Module). Out: the same, simplified in place; `optimize_module` runs them in order.
Constant folding evaluates operators with the runtime's own functions (one meaning per operator) and
never folds an operation that raises: that error must still happen at run time, at its own position.
"""
from __future__ import annotations

from nyash_run.mir.ir import UNBOUND, Block, Function, Instr, Module, Value
from nyash_run.mir.ops import OPS
from nyash_run.runtime import operators
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.values import NULL

FOLDABLE_TYPES = (int, float, str, bool)
MAX_FOLDED_STRING = 1024        # folding `"x" * 10**9` would only move the cost to load time


def optimize_module(module: Module) -> None:
    for fn in module.functions.values():
        optimize_function(fn)


def optimize_function(fn: Function) -> None:
    remove_unreachable(fn)
    remove_trivial_params(fn)
    fold_constants(fn)
    remove_unreachable(fn)
    remove_trivial_params(fn)
    remove_dead_code(fn)


# ---------------------------------------------------------------------------------------------- helpers
def reachable(fn: Function) -> list[Block]:
    seen: dict[int, Block] = {}
    stack = [fn.entry]
    while stack:
        block = stack.pop()
        if block.id in seen:
            continue
        seen[block.id] = block
        stack.extend(block.successors())
    return [b for b in fn.blocks if b.id in seen]


def replace_uses(fn: Function, mapping: dict[int, Value]) -> None:
    """Every use of a value whose id is in `mapping` reads the mapped value instead."""
    def resolve(value):
        while isinstance(value, Value) and value.id in mapping:
            value = mapping[value.id]
        return value
    for block in fn.blocks:
        for instr in block.instrs:
            instr.args = [resolve(a) if isinstance(a, Value) else a for a in instr.args]
            instr.targets = [(t, [resolve(a) for a in args]) for t, args in instr.targets]


def predecessors(fn: Function) -> dict[int, list[Block]]:
    preds: dict[int, list[Block]] = {b.id: [] for b in fn.blocks}
    for block in fn.blocks:
        term = block.terminator
        for target, _ in (term.targets if term is not None else []):
            preds[target.id].append(block)
    return preds


# ------------------------------------------------------------------------------------------------ passes
def remove_unreachable(fn: Function) -> None:
    live = reachable(fn)
    live_ids = {b.id for b in live}
    for block in live:
        if block.loop_exit is not None and block.loop_exit.id not in live_ids:
            block.loop_exit = None
        term = block.terminator
        if term is not None and term.merge is not None and term.merge.id not in live_ids:
            term.merge = None
    fn.blocks = live


def remove_trivial_params(fn: Function) -> None:
    """A block parameter that always receives the same value (or itself) is that value (Braun et al.).
    Each sweep collects every such parameter first and rewrites the uses once."""
    while True:
        preds = predecessors(fn)
        handlers = {b.handler.id for b in fn.blocks if b.handler is not None}
        mapping: dict[int, Value] = {}

        def resolve(value: Value) -> Value:
            while value.id in mapping:
                value = mapping[value.id]
            return value

        for block in fn.blocks:
            if block.id in handlers or block is fn.entry:
                continue
            for index in reversed(range(len(block.params))):
                _drop_if_trivial(block, index, preds[block.id], mapping, resolve)
        if not mapping:
            return
        replace_uses(fn, mapping)


def _drop_if_trivial(block: Block, index: int, preds: list[Block], mapping: dict, resolve) -> None:
    param = block.params[index]
    incoming = set()
    for pred in preds:
        for target, args in pred.terminator.targets:
            if target is block:
                incoming.add(resolve(args[index]))
    others = {v for v in incoming if v is not param}
    if len(others) != 1:
        return
    (replacement,) = others
    for pred in preds:
        for target, args in pred.terminator.targets:
            if target is block:
                del args[index]
    del block.params[index]
    mapping[param.id] = replacement


def fold_constants(fn: Function) -> None:
    consts: dict[int, object] = {}
    for block in fn.blocks:
        for instr in block.instrs:
            if instr.name == "CONST":
                consts[instr.dst.id] = instr.args[0]
            elif instr.name in ("BINOP", "UNOP", "TRUTHY"):
                _fold(instr, consts)
        term = block.terminator
        if term is not None and term.name == "BRANCH":
            _fold_branch(term, consts)


_MISSING = object()


def _operand(value, consts):
    result = consts.get(value.id, _MISSING) if isinstance(value, Value) else _MISSING
    return result if result is _MISSING or result is NULL or result is None or type(result) in FOLDABLE_TYPES \
        else _MISSING


def _fold(instr: Instr, consts: dict) -> None:
    values = [_operand(a, consts) for a in instr.args if isinstance(a, Value)]
    if not values or any(v is _MISSING for v in values):
        return
    try:
        if instr.name == "BINOP":
            result = operators.BINARY_OPS[instr.args[0]](*values)
        elif instr.name == "UNOP":
            result = (operators.neg if instr.args[0] == "-" else operators.not_)(values[0])
        else:
            result = operators.truthy(values[0])
    except NyashRuntimeError:
        return                      # the error belongs to run time
    if type(result) not in FOLDABLE_TYPES or (type(result) is str and len(result) > MAX_FOLDED_STRING):
        return
    instr.name, instr.args = "CONST", [result]
    instr.op = OPS["CONST"]
    consts[instr.dst.id] = result


def _fold_branch(term: Instr, consts: dict) -> None:
    cond = _operand(term.args[0], consts)
    if type(cond) is not bool:
        return
    target = term.targets[0] if cond else term.targets[1]
    term.name, term.op, term.args, term.targets, term.merge = "JUMP", OPS["JUMP"], [], [target], None


def remove_dead_code(fn: Function) -> None:
    """Pure instructions whose result nobody reads."""
    changed = True
    while changed:
        used = set()
        for block in fn.blocks:
            for instr in block.instrs:
                used.update(v.id for v in instr.uses())
        changed = False
        for block in fn.blocks:
            keep = [i for i in block.instrs if not (i.op.pure and i.dst is not None and i.dst.id not in used)]
            if len(keep) != len(block.instrs):
                block.instrs = keep
                changed = True


__all__ = ["optimize_module", "optimize_function", "remove_unreachable", "remove_trivial_params",
           "fold_constants", "remove_dead_code", "replace_uses", "reachable", "predecessors", "UNBOUND"]
