"""Building one MIR function: blocks, instructions and SSA variables.

In: calls from mir.build as it walks a body. Out: a finished ir.Function.

Nyash locals become SSA values with the on-the-fly construction of Braun et al. (2013): each block remembers
the current value of each variable; reading a variable in a block with several predecessors adds a block
parameter (a phi) whose arguments are read in the predecessors once the block is sealed (all predecessors
known). In a function that contains `try`, values would have to flow along exception edges, so there every
local is kept in a slot instead (LOCAL_GET / LOCAL_SET), which backends map to plain variables.
"""
from __future__ import annotations

from nyash_run.diagnostics import Span
from nyash_run.mir.ir import UNBOUND, Block, Function, Instr, Value


class FunctionBuilder:
    def __init__(self, function: Function, local_names: list[str], param_names: list[str],
                 use_slots: bool):
        self.fn = function
        self.use_slots = use_slots
        self.local_names = set(local_names)
        self.param_names = set(param_names)
        self.current_def: dict[str, dict[int, Value]] = {}
        self.sealed: set[int] = set()
        self.incomplete: dict[int, dict[str, Value]] = {}
        self.preds: dict[int, list[Block]] = {}
        self.handler: Block | None = None
        self.defs: dict[int, Instr] = {}
        self.block = self.new_block("entry")
        self.seal(self.block)

    # -------------------------------------------------------------------------------------------- blocks
    def new_block(self, label: str = "") -> Block:
        block = self.fn.new_block(label)
        block.handler = self.handler
        self.preds[block.id] = []
        return block

    def set_block(self, block: Block) -> None:
        self.block = block

    @property
    def terminated(self) -> bool:
        return self.block.terminator is not None

    def emit(self, name: str, args: list, span: Span | None = None, result: bool = True,
             hint: str = "") -> Value | None:
        instr = Instr(name, None, args, span)
        if instr.op.has_result and result:
            instr.dst = self.fn.new_value(hint)
            self.defs[instr.dst.id] = instr
        if self.terminated:                    # code after return/break: park it in a dead block
            self.set_block(self.new_block("dead"))
            self.seal(self.block)
        self.block.instrs.append(instr)
        return instr.dst

    def const(self, value, span: Span | None = None) -> Value:
        return self.emit("CONST", [value], span)

    def terminate(self, name: str, args: list, targets: list | None = None, span: Span | None = None) -> Instr:
        if self.terminated:
            self.set_block(self.new_block("dead"))
            self.seal(self.block)
        instr = Instr(name, None, args, span, targets or [])
        self.block.instrs.append(instr)
        for target, _ in instr.targets:
            self.preds[target.id].append(self.block)
        return instr

    def jump(self, target: Block, args: list | None = None) -> None:
        self.terminate("JUMP", [], [(target, list(args or []))])

    def branch(self, cond: Value, then: Block, otherwise: Block, merge: Block | None = None) -> None:
        instr = self.terminate("BRANCH", [cond], [(then, []), (otherwise, [])])
        instr.merge = merge

    # -------------------------------------------------------------------------------------- variables
    def write(self, name: str, value: Value, span: Span | None = None) -> None:
        if self.use_slots:
            self.emit("LOCAL_SET", [self.slot(name), value], span)
        else:
            self.current_def.setdefault(name, {})[self.block.id] = value

    def read(self, name: str, span: Span | None = None) -> Value:
        """The local's value, with a bound check unless it is certainly bound."""
        if self.use_slots:
            value = self.emit("LOCAL_GET", [self.slot(name)], span, hint=name)
            return value if name in self.param_names else self.emit("CHECK_BOUND", [name, value], span)
        value = self.read_ssa(name, self.block)
        if name in self.param_names or self._certainly_bound(value):
            return value
        return self.emit("CHECK_BOUND", [name, value], span, hint=name)

    def read_raw(self, name: str) -> Value:
        """The local's value as is (maybe UNBOUND), for CALL_BARE's look-up of a FunctionBox variable."""
        if self.use_slots:
            return self.emit("LOCAL_GET", [self.slot(name)], hint=name)
        return self.read_ssa(name, self.block)

    def slot(self, name: str) -> int:
        if name not in self.fn.slots:
            self.fn.slots.append(name)
        return self.fn.slots.index(name)

    def _certainly_bound(self, value: Value) -> bool:
        """Defined by an instruction other than `CONST UNBOUND` (block parameters are left to the type
        pass, which removes the checks it can prove needless)."""
        instr = self.defs.get(value.id)
        return instr is not None and not (instr.name == "CONST" and instr.args[0] is UNBOUND)

    def read_ssa(self, name: str, block: Block) -> Value:
        value = self.current_def.get(name, {}).get(block.id)
        if value is not None:
            return value
        return self._read_recursive(name, block)

    def _read_recursive(self, name: str, block: Block) -> Value:
        if block.id not in self.sealed:
            value = self._add_param(block, name)
            self.incomplete.setdefault(block.id, {})[name] = value
        elif len(self.preds[block.id]) == 1:
            value = self.read_ssa(name, self.preds[block.id][0])
        else:
            value = self._add_param(block, name)
            self.current_def.setdefault(name, {})[block.id] = value
            self._fill_param(name, block, value)
        self.current_def.setdefault(name, {})[block.id] = value
        return value

    def _add_param(self, block: Block, name: str) -> Value:
        value = self.fn.new_value(name)
        block.params.append(value)
        return value

    def _fill_param(self, name: str, block: Block, param: Value) -> None:
        index = block.params.index(param)
        for pred in self.preds[block.id]:
            arg = self.read_ssa(name, pred)
            for target, args in pred.terminator.targets:
                if target is block:
                    while len(args) < index:
                        args.append(None)      # filled when the earlier parameter is resolved
                    if len(args) == index:
                        args.append(arg)
                    else:
                        args[index] = arg

    def seal(self, block: Block) -> None:
        if block.id in self.sealed:
            return
        for name, param in self.incomplete.pop(block.id, {}).items():
            self._fill_param(name, block, param)
        self.sealed.add(block.id)

    def define_entry_locals(self, names: list[str], params: dict[str, Value]) -> None:
        """Bind parameters and start every other local as UNBOUND (§3.3)."""
        unbound = None
        for name in names:
            if name in params:
                self.write(name, params[name])
                continue
            if unbound is None:
                unbound = self.const(UNBOUND)
            self.write(name, unbound)
