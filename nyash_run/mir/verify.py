"""The MIR verifier: the structural and SSA rules every pass and backend may rely on.

In: an ir.Module (or one ir.Function, with its module when calls should be checked). Out: nothing when the
MIR is well formed; otherwise `MirError` (an internal compiler error, never a Nyash error) for the first
broken rule, or with `verify_errors` the list of every problem found. Each message names the function, the
block and the instruction, e.g. `fn:f, bb2, instruction 3 (%4 = binop '+', %1, %9): %9 is used but never
defined in this function`; module-wide problems (class tables, main) start with `module:`.

Operand rules are derived from the op table in mir/ops.py (`Op.fields`, `result`, `terminator`, `targets`);
the only rule tied to operand names is for calls (CALL, CALL_KNOWN_METHOD): a `$func` operand must name a
function of the module, taking as many parameters as the `args*` beside it.

Dominance is computed on a graph where each block is split in two points, its top (where its parameters are
defined and where its exceptions may leave for its handler, so an exception may be raised before any of its
instructions ran) and its body (where its instructions are). So a block's parameters dominate its handler
when the block dominates it, but its instruction results never do. Unreachable blocks are allowed; uses
inside them are not checked for dominance.
"""
from __future__ import annotations

from typing import Iterator

from nyash_run.mir.ir import Block, Function, Instr, Module, Value
from nyash_run.mir.ops import OPS
from nyash_run.mir.printer import format_instr

KINDS_WITH_SELF = ("method", "constructor", "static_init")
FUNCTION_KINDS = ("function", "top") + KINDS_WITH_SELF


class MirError(Exception):
    """Malformed MIR: a bug in the compiler, not in the Nyash program."""


def verify_module(module: Module) -> None:
    for problem in _module_problems(module):
        raise MirError(problem)


def verify_function(fn: Function, module: Module | None = None) -> None:
    for problem in _FunctionChecker(fn, module).problems():
        raise MirError(problem)


def verify_errors(item: Module | Function, module: Module | None = None) -> list[str]:
    """Every problem found in a module, or in one function (calls checked against `module` if given)."""
    if isinstance(item, Module):
        return list(_module_problems(item))
    return list(_FunctionChecker(item, module).problems())


# ------------------------------------------------------------------------------------------------- module
def _module_problems(module: Module) -> Iterator[str]:
    yield from _module_table_problems(module)
    for fn in module.functions.values():
        yield from _FunctionChecker(fn, module).problems()


def _module_table_problems(module: Module) -> Iterator[str]:
    for key, fn in module.functions.items():
        if fn.name != key:
            yield f"module: function stored under {key!r} is named {fn.name!r}"
    if module.top not in module.functions:
        yield f"module: top-level function {module.top!r} is missing"
    if module.main is not None:
        yield from _function_ref(module, "main", module.main, module.main_arity)
    if getattr(module, "main_entry", None) is not None:
        yield from _function_ref(module, "main entry", module.main_entry, module.main_arity)
    for fn in module.functions.values():
        guarded = getattr(fn, "guarded_entry", None)
        if guarded is not None:
            yield from _function_ref(module, f"{fn.name} guarded entry", guarded[0], len(fn.params))
    for info in module.classes.values():
        owner = f"box {info.name}"
        for mname, fname in info.methods.items():
            yield from _function_ref(module, f"{owner} method {mname!r}", fname, None)
        for arity, fname in info.constructors.items():
            yield from _function_ref(module, f"{owner} constructor/{arity}", fname, arity)
        if info.static_init is not None:
            yield from _function_ref(module, f"{owner} static block", info.static_init, 0)


def _function_ref(module: Module, what: str, fname: str, arity: int | None) -> Iterator[str]:
    fn = module.functions.get(fname)
    if fn is None:
        yield f"module: {what} names unknown function {fname!r}"
    elif arity is not None and len(fn.params) != arity:
        yield f"module: {what} expects {arity} parameters but {fname!r} has {len(fn.params)}"


# ----------------------------------------------------------------------------------------------- function
class _FunctionChecker:
    def __init__(self, fn: Function, module: Module | None):
        self.fn = fn
        self.module = module
        self.block_ids = {id(block) for block in fn.blocks}
        self.defs: dict[int, tuple[Value, Block | None, int]] = {}   # value id -> (value, block, index)

    def problems(self) -> Iterator[str]:
        if not self.fn.blocks:
            yield f"{self.fn.name}: function has no blocks"
            return
        yield from self._signature()
        yield from self._block_ids()
        for block in self.fn.blocks:
            yield from self._block(block)
        yield from self._entry()
        yield from self._definitions()
        yield from self._calls()
        yield from _DominanceChecker(self).problems()

    # -------------------------------------------------------------------------------- messages
    def at(self, block: Block, index: int | None = None, instr: Instr | None = None) -> str:
        where = f"{self.fn.name}, bb{block.id}"
        if instr is not None:
            where += f", instruction {index} ({_describe(instr)})"
        return where

    def owns(self, block) -> bool:
        return isinstance(block, Block) and id(block) in self.block_ids

    # -------------------------------------------------------------------------------- structure
    def _signature(self) -> Iterator[str]:
        fn = self.fn
        if fn.kind not in FUNCTION_KINDS:
            yield f"{fn.name}: unknown function kind {fn.kind!r}"
        elif (fn.self_value is not None) != (fn.kind in KINDS_WITH_SELF):
            having = "has" if fn.self_value is not None else "lacks"
            yield f"{fn.name}: a {fn.kind} {having} a `me` value (self_value)"

    def _block_ids(self) -> Iterator[str]:
        seen: set[int] = set()
        for block in self.fn.blocks:
            if block.id in seen:
                yield f"{self.at(block)}: block id used by two blocks"
            seen.add(block.id)

    def _block(self, block: Block) -> Iterator[str]:
        if not block.instrs:
            yield f"{self.at(block)}: block is empty"
        for index, instr in enumerate(block.instrs):
            last = index == len(block.instrs) - 1
            if instr.op.terminator and not last:
                yield f"{self.at(block, index, instr)}: terminator before the end of the block"
            elif last and not instr.op.terminator:
                yield f"{self.at(block, index, instr)}: block does not end with a terminator"
            for problem in _instr_problems(instr, self.owns):
                yield f"{self.at(block, index, instr)}: {problem}"
        yield from self._block_hints(block)

    def _block_hints(self, block: Block) -> Iterator[str]:
        handler = block.handler
        if handler is not None:
            if not self.owns(handler):
                yield f"{self.at(block)}: handler {_name(handler)} is not a block of this function"
            elif len(handler.params) != 1:
                yield (f"{self.at(block)}: handler bb{handler.id} has {len(handler.params)} parameters, "
                       f"expected 1 (the exception)")
        if block.loop_exit is not None and not self.owns(block.loop_exit):
            yield f"{self.at(block)}: loop exit {_name(block.loop_exit)} is not a block of this function"

    def _entry(self) -> Iterator[str]:
        entry = self.fn.entry
        if entry.params:
            yield f"{self.at(entry)}: the entry block has parameters"
        for block in self.fn.blocks:
            if entry in block.successors():
                yield f"{self.at(entry)}: the entry block has a predecessor, bb{block.id}"

    # -------------------------------------------------------------------------------- definitions
    def _definitions(self) -> Iterator[str]:
        fn = self.fn
        entry_values = ([fn.self_value] if fn.self_value is not None else []) + list(fn.params)
        for value in entry_values:
            yield from self._define(value, None, -1, f"{fn.name}: parameter")
        for block in fn.blocks:
            for value in block.params:
                yield from self._define(value, block, -1, f"{self.at(block)}: block parameter")
            for index, instr in enumerate(block.instrs):
                if isinstance(instr.dst, Value):
                    yield from self._define(instr.dst, block, index, self.at(block, index, instr) + ":")

    def _define(self, value, block: Block | None, index: int, where: str) -> Iterator[str]:
        if not isinstance(value, Value):
            yield f"{where} {value!r} is not a Value"
        elif value.id in self.defs:
            yield f"{where} %{value.id} is defined twice (also {self.def_site(value.id)})"
        else:
            self.defs[value.id] = (value, block, index)

    def def_site(self, value_id: int) -> str:
        _, block, index = self.defs[value_id]
        if block is None:
            return "as a function parameter"
        return f"as a parameter of bb{block.id}" if index < 0 else f"by instruction {index} of bb{block.id}"

    def defined(self, value) -> bool:
        entry = self.defs.get(value.id) if isinstance(value, Value) else None
        return entry is not None and entry[0] is value

    def _calls(self) -> Iterator[str]:
        if self.module is None:
            return
        for block in self.fn.blocks:
            for index, instr in enumerate(block.instrs):
                if ("func", "imm") in instr.op.fields and not _shape_problems(instr):
                    for problem in _call_problems(instr, self.module):
                        yield f"{self.at(block, index, instr)}: {problem}"


# ------------------------------------------------------------------------------------------- instructions
def _instr_problems(instr: Instr, owns) -> Iterator[str]:
    if OPS.get(instr.name) is not instr.op:
        yield f"op {instr.name!r} does not match its descriptor"
        return
    yield from _shape_problems(instr)
    yield from _result_problems(instr)
    yield from _target_problems(instr, owns)


def _shape_problems(instr: Instr) -> list[str]:
    """Operand count and kinds, from the op's fields."""
    fields = instr.op.fields
    fixed = [f for f in fields if f[1] != "values"]
    variadic = len(fixed) < len(fields)
    count = len(instr.args)
    if count < len(fixed) or (count > len(fixed) and not variadic):
        expected = f"at least {len(fixed)}" if variadic else str(len(fixed))
        return [f"expects {expected} operands ({instr.op.operands or 'none'}), got {count}"]
    problems = []
    for index, arg in enumerate(instr.args):
        name, kind = fields[min(index, len(fields) - 1)]
        if kind == "imm" and isinstance(arg, Value):
            problems.append(f"operand {index} ({name}) must be an immediate, got {arg!r}")
        elif kind != "imm" and not isinstance(arg, Value):
            problems.append(f"operand {index} ({name}) must be a value, got {arg!r}")
    return problems


def _result_problems(instr: Instr) -> Iterator[str]:
    if instr.op.has_result and instr.dst is None:
        yield "the op has a result but the instruction defines none"
    elif not instr.op.has_result and instr.dst is not None:
        yield f"the op has no result but the instruction defines {instr.dst!r}"
    elif instr.dst is not None and not isinstance(instr.dst, Value):
        yield f"result {instr.dst!r} is not a Value"


def _target_problems(instr: Instr, owns) -> Iterator[str]:
    if len(instr.targets) != instr.op.targets:
        yield f"expects {instr.op.targets} targets, got {len(instr.targets)}"
    for target, args in instr.targets:
        if not owns(target):
            yield f"target {_name(target)} is not a block of this function"
            continue
        if len(args) != len(target.params):
            yield f"passes {len(args)} arguments to bb{target.id}, which has {len(target.params)} parameters"
        for position, arg in enumerate(args):
            if not isinstance(arg, Value):
                yield f"argument {position} passed to bb{target.id} is not a value: {arg!r}"
    if instr.merge is not None and not owns(instr.merge):
        yield f"join hint {_name(instr.merge)} is not a block of this function"


def _call_problems(instr: Instr, module: Module) -> Iterator[str]:
    """A `$func` operand names a function of the module; `args*` next to it are its parameters."""
    fname = instr.field("func")
    args = instr.field("args") if ("args", "values") in instr.op.fields else None
    callee = module.functions.get(fname) if isinstance(fname, str) else None
    if callee is None:
        yield f"calls {fname!r}, which is not a function of the module"
    elif args is not None and len(args) != len(callee.params):
        yield f"passes {len(args)} arguments to {fname!r}, which has {len(callee.params)} parameters"


def _name(block) -> str:
    return f"bb{block.id}" if isinstance(block, Block) else repr(block)


def _describe(instr: Instr) -> str:
    try:
        return format_instr(instr)
    except Exception:                          # malformed operands the printer cannot show
        return f"{instr.name.lower()} {instr.args!r}"


# ---------------------------------------------------------------------------------------------- dominance
class _DominanceChecker:
    """Every use dominated by its definition, on the split (top, body) graph described above."""

    def __init__(self, checker: _FunctionChecker):
        self.checker = checker
        self.fn = checker.fn
        self.index = {id(block): position for position, block in enumerate(self.fn.blocks)}
        self.pre: dict[int, int] = {}
        self.post: dict[int, int] = {}
        self._number(self._immediate_dominators())

    def problems(self) -> Iterator[str]:
        for block in self.fn.blocks:
            reachable = self._body(block) in self.pre
            for index, instr in enumerate(block.instrs):
                for value in _values_used(instr):
                    problem = self._use_problem(value, block, index, reachable)
                    if problem:
                        yield f"{self.checker.at(block, index, instr)}: {problem}"

    def _use_problem(self, value: Value, block: Block, index: int, reachable: bool) -> str:
        if not self.checker.defined(value):
            return f"{value!r} is used but never defined in this function"
        if not reachable:
            return ""
        _, def_block, def_index = self.checker.defs[value.id]
        if def_block is None or self._dominates(def_block, def_index, block, index):
            return ""
        return f"{value!r} is used where its definition ({self.checker.def_site(value.id)}) does not dominate"

    def _dominates(self, def_block: Block, def_index: int, block: Block, index: int) -> bool:
        if def_block is block:
            return def_index < index
        node = self._top(def_block) if def_index < 0 else self._body(def_block)
        use = self._body(block)
        return node in self.pre and self.pre[node] <= self.pre[use] and self.post[use] <= self.post[node]

    # --------------------------------------------------------------------------------- the graph
    def _top(self, block: Block) -> int:
        return 2 * self.index[id(block)]

    def _body(self, block: Block) -> int:
        return 2 * self.index[id(block)] + 1

    def _graph_successors(self, node: int) -> list[int]:
        block = self.fn.blocks[node // 2]
        if node % 2 == 0:
            handler = block.handler
            return [self._body(block)] + ([self._top(handler)] if self.checker.owns(handler) else [])
        targets = [target for target, _ in block.terminator.targets] if block.terminator else []
        return [self._top(target) for target in targets if self.checker.owns(target)]

    def _reverse_postorder(self) -> list[int]:
        order, seen = [], {0}
        stack = [(0, iter(self._graph_successors(0)))]
        while stack:
            node, succs = stack[-1]
            nxt = next((s for s in succs if s not in seen), None)
            if nxt is None:
                stack.pop()
                order.append(node)
            else:
                seen.add(nxt)
                stack.append((nxt, iter(self._graph_successors(nxt))))
        return order[::-1]

    def _immediate_dominators(self) -> dict[int, int]:
        """Cooper, Harvey and Kennedy's iterative algorithm over the reachable nodes."""
        order = self._reverse_postorder()
        rank = {node: position for position, node in enumerate(order)}
        preds: dict[int, list[int]] = {node: [] for node in order}
        for node in order:
            for succ in self._graph_successors(node):
                preds[succ].append(node)
        idom = {order[0]: order[0]}
        changed = True
        while changed:
            changed = False
            for node in order[1:]:
                done = [p for p in preds[node] if p in idom]
                new = done[0]
                for pred in done[1:]:
                    new = _intersect(pred, new, idom, rank)
                if idom.get(node) != new:
                    idom[node], changed = new, True
        return idom

    def _number(self, idom: dict[int, int]) -> None:
        """Pre- and post-order numbers of the dominator tree: a dominates b iff b's interval nests in a's."""
        children: dict[int, list[int]] = {node: [] for node in idom}
        for node, parent in idom.items():
            if node != parent:
                children[parent].append(node)
        counter = 0
        stack = [(0, False)]
        while stack:
            node, leaving = stack.pop()
            counter += 1
            if leaving:
                self.post[node] = counter
                continue
            self.pre[node] = counter
            stack.append((node, True))
            stack.extend((child, False) for child in children[node])


def _intersect(a: int, b: int, idom: dict[int, int], rank: dict[int, int]) -> int:
    while a != b:
        while rank[a] > rank[b]:
            a = idom[a]
        while rank[b] > rank[a]:
            b = idom[b]
    return a


def _values_used(instr: Instr) -> list[Value]:
    """The Values an instruction reads, skipping malformed operands (reported by the shape checks)."""
    used = [arg for arg in instr.args if isinstance(arg, Value)]
    for _, args in instr.targets:
        used.extend(arg for arg in args if isinstance(arg, Value))
    return used
