"""One MIR function's LLVM frame: where each value lives, conversions, failure paths, calls.

In: an ir.Function (typed MIR) and the program-wide facts of lower.py (signatures, positions, constants).
Out: nothing by itself; `ops.py` builds on it, one method per MIR op.

Where values live. A value labelled `int`, `float` or `bool` is an LLVM SSA value (i64, double, i1); any
other value has a slot: a 24-byte nyrt value in its own `alloca`. Parameters of those kinds are borrowed
pointers. Block parameters are allocas too, so no phi is written by hand and a jump is a parallel copy.
A slot's address never leaves the function: nyrt and callees get a copy in a temporary (a borrowed value),
and write results into a temporary that is then moved into the slot. So SROA turns every slot into three
SSA registers, and the type and metadata tests of one value fold along the paths that fixed them.

Ownership. A slot owns one reference to the value in it. Every owned slot starts zeroed (type_id 0, which
also stands for UNBOUND) and is released, and zeroed again, where its value dies (mir/liveness.py: after
its last use, on entry to a block it is not live into, on entry to a handler), so it is empty whenever its
instruction runs again in a loop; whatever is left is released when the function leaves, normally or by
failure. Retain and release test the value's metadata inline: inline kinds (Int, Float, Bool, void, null)
never reach nyrt.

Failure. A failing instruction records where it failed (`nyrt_x_fail_nyrt(pos)`, or its own message
through `nyrt_x_fail`) and then goes to its block's handler, which takes the exception with
`nyrt_x_catch`, or to the function's unwind block, which releases the owned slots and returns status 1.
"""
from __future__ import annotations

from llvmlite import ir

from nyash_run.mir import liveness
from nyash_run.mir.ir import Block, Function, Instr, Value

from .nyrt_api import F64, I1, I32, I64, META_INLINE, PTR, TID, VALUE, box, boxed, declare, signed, unbox, value_field

TYPED = {"int": I64, "float": F64, "bool": I1}
INLINE_KINDS = frozenset({"int", "float", "bool", "void", "null"})
ERROR_WEIGHTS = [1, 1000]                 # failure branches are cold
MAX_CALL_DEPTH = 10_000                   # language.md §3.4
ZERO_VALUE = ir.Constant(VALUE, None)


def blocks_in_cycles(fn: Function) -> set[int]:
    """Ids of the blocks on some cycle of the CFG (handler edges included): the blocks that may run twice."""
    succs = {b.id: [s.id for s in b.successors()] for b in fn.blocks}
    result = set()
    for start in succs:
        stack, seen = list(succs[start]), set()
        while stack:
            node = stack.pop()
            if node == start:
                result.add(start)
                break
            if node not in seen:
                seen.add(node)
                stack.extend(succs.get(node, ()))
    return result


def label_of(value: Value) -> str:
    """`int`, `float`, `bool` for values kept unboxed, else `dyn`."""
    return value.type if value.type in TYPED else "dyn"


class FunctionFrame:
    """State and helpers shared by every op lowering of one function."""

    def __init__(self, program, fn: Function, llfn: ir.Function):
        self.program = program            # lower.ProgramLowering
        self.ir = program.ir
        self.fn = fn
        self.llfn = llfn
        self.sig = program.signatures[fn.name]
        self.values: dict[int, object] = {}
        self.blocks: dict[int, ir.Block] = {}
        self.param_slots: dict[int, object] = {}
        self.local_slots: list = []
        self.mir_block: Block | None = None
        self.unwind_block: ir.Block | None = None       # the quiet convention's one failure block
        self.unwind_blocks: dict = {}                     # MIR block id -> its failure block
        self.catch_blocks: dict[int, ir.Block] = {}
        self.fail_blocks: dict[tuple, tuple] = {}
        self.in_cycle = blocks_in_cycles(fn)
        self.used_values = {v.id for b in fn.blocks for i in b.instrs for v in i.uses()}
        entry = llfn.append_basic_block("entry")
        self.entry = ir.IRBuilder(entry)
        self.builder = self.entry
        self.owned_slots: list = []                 # every owned alloca, released when the function leaves
        self.owned: dict[int, object] = {}          # tracked value id -> its slot
        self.borrowed = {id(p) for p in fn.params} | ({id(fn.self_value)} if fn.self_value is not None else set())
        self.temps: list = []
        self.temps_used = 0
        self.dying: set[int] = set()              # values dying at the current instruction, not yet dropped
        self.deaths = liveness.analyse(fn, self.tracked)
        self.exit_block: ir.Block | None = None
        self.exit_phis: tuple = ()

    # ---- slots ---------------------------------------------------------------------------------------
    def alloca(self, ty=VALUE, name: str = ""):
        return self.entry.alloca(ty, name=name)

    def tracked(self, value: Value) -> bool:
        """A value whose death must release it: a dynamic instruction result or block parameter that may
        be a box (one whose kinds are all inline is never released, so its slot may keep it)."""
        if label_of(value) != "dyn" or id(value) in self.borrowed:
            return False
        return not (value.kinds and value.kinds <= INLINE_KINDS)

    def owned_slot(self, name: str = ""):
        slot = self.entry.alloca(VALUE, name=name)
        self.owned_slots.append(slot)
        return slot

    def slot_of(self, value: Value):
        slot = self.owned.get(value.id)
        if slot is None:
            slot = self.owned[value.id] = self.owned_slot(f"v{value.id}")
        return slot

    def finish_slots(self) -> None:
        """Zero the owned slots on entry (the stores go before the entry block's branch)."""
        for slot in self.owned_slots:
            self.entry.store(ZERO_VALUE, slot)

    def dst_slot(self, instr: Instr):
        """The slot `instr` writes its result into (empty: the value an earlier run left died before)."""
        slot = self.slot_of(instr.dst)
        self.values[instr.dst.id] = slot
        return slot

    def drop(self, value_ids, cold: bool = False) -> None:
        """Release the values that die here and empty their slots. `cold`: on a failure path, where a
        plain call per value is smaller code than the inline test."""
        for value_id in value_ids:
            slot = self.owned.get(value_id)
            if slot is None:
                continue
            if cold:
                self.builder.call(declare(self.ir, "nyrt_x_release_v"),
                                  [self.builder.extract_value(self.builder.load(slot, typ=VALUE), k) for k in range(3)])
                self.builder.store(ZERO_VALUE, slot)
            else:
                self.clear(slot)

    def consumed_here(self, values) -> list:
        """Those of `values` that die at the current instruction, which takes over dropping them: an op
        with an Int fast path empties them there without a test and releases them on its slow path."""
        result = []
        for value in values:
            if value.id in self.dying and value.id in self.owned and value not in result:
                result.append(value)
                self.dying.discard(value.id)
        return result

    def empty(self, values) -> None:
        """The fast path's drop of values it proved inline: nothing to release."""
        for value in values:
            self.builder.store(ZERO_VALUE, self.owned[value.id])

    def clear(self, slot) -> None:
        self.release(slot)
        self.builder.store(ZERO_VALUE, slot)

    def reset_temps(self) -> None:
        """Temporaries live within one instruction's code, so each instruction reuses the same few."""
        self.temps_used = 0

    def temp_slot(self, name: str = "t"):
        """An unowned slot for one call: a borrowed copy of a value, or where nyrt writes a result."""
        if self.temps_used == len(self.temps):
            self.temps.append(self.alloca(VALUE, f"t{len(self.temps)}"))
        self.temps_used += 1
        return self.temps[self.temps_used - 1]

    def scratch(self):
        """An owned-for-a-moment slot: the caller moves or releases what lands in it."""
        slot = self.temp_slot("scratch")
        self.builder.store(ZERO_VALUE, slot)
        return slot

    # ---- reference counts (inline helpers of lower.py: test the metadata, call nyrt only for boxes) ---
    def retain(self, slot) -> None:
        self.retain_value(self.builder.load(slot, typ=VALUE))

    def retain_value(self, value) -> None:
        self.builder.call(self.program.retain_fn, [value])

    def release(self, slot) -> None:
        self.builder.call(self.program.release_fn, [self.builder.load(slot, typ=VALUE)])

    def copy(self, src, dst, retain: bool = True) -> None:
        value = self.builder.load(src, typ=VALUE)
        self.builder.store(value, dst)
        if retain:
            self.retain_value(value)

    def move(self, src, dst) -> None:
        self.builder.store(self.builder.load(src, typ=VALUE), dst)

    # ---- conversions ----------------------------------------------------------------------------------
    def v(self, value: Value):
        return self.values[value.id]

    def dyn(self, value: Value):
        """A pointer to `value` as a nyrt value, for a call: a borrowed copy in a temporary (typed values
        are boxed into it); a borrowed parameter is passed on as it is."""
        label = label_of(value)
        if label == "dyn":
            if id(value) in self.borrowed:
                return self.v(value)
            slot = self.temp_slot()
            self.move(self.v(value), slot)
            return slot
        slot = self.temp_slot()
        self.box_into(self.v(value), label, slot)
        return slot

    def value_of(self, value: Value):
        """`value` as a VALUE aggregate in registers (loaded from its slot, or boxed), for a store or a copy."""
        label = label_of(value)
        if label == "dyn":
            return self.builder.load(self.v(value), typ=VALUE)
        return boxed(self.builder, self.v(value), label)

    def box_into(self, llvalue, label: str, slot) -> None:
        box(self.builder, llvalue, label, slot)

    def unbox(self, slot, label: str):
        """The payload of a slot the type pass proved holds an Int, Float or Bool."""
        return unbox(self.builder, slot, label)

    def as_label(self, value: Value, label: str):
        """`value` converted to the representation `label` (int/float/bool/dyn)."""
        have = label_of(value)
        if have == label:
            return self.v(value)
        if label == "dyn":
            return self.dyn(value)
        if have == "dyn":
            return self.unbox(self.v(value), label)
        if have == "int" and label == "float":
            return self.builder.sitofp(self.v(value), F64)
        raise AssertionError(f"{self.fn.name}: %{value.id} is {have}, wanted {label}")

    def define(self, instr: Instr, llvalue, label: str) -> None:
        """Record the result of `instr`, computed as `label`, in the representation its dst needs."""
        want = label_of(instr.dst)
        if want == label:
            if label == "dyn":
                raise AssertionError("dyn results are written into dst_slot")
            self.values[instr.dst.id] = llvalue
        elif want == "dyn":
            self.box_into(llvalue, label, self.dst_slot(instr))
        elif label == "int" and want == "float":
            self.values[instr.dst.id] = self.builder.sitofp(llvalue, F64)
        else:
            raise AssertionError(f"{self.fn.name}: %{instr.dst.id} computed as {label}, labelled {want}")

    def result_slot(self, instr: Instr):
        """Where a nyrt call writes `instr`'s result (+1): a zeroed temporary, for `finish_result`."""
        return self.scratch()

    def result_place(self, instr: Instr):
        """Where an op with an inline fast path puts its result: a dynamic dst's own slot (so the fast
        path stays in registers; a slow path moves a call's result in), else a temporary."""
        if instr.dst is not None and label_of(instr.dst) == "dyn":
            return self.dst_slot(instr)
        return self.scratch()

    def finish_place(self, instr: Instr, place) -> None:
        if instr.dst is None:
            self.release(place)
        elif label_of(instr.dst) != "dyn":
            self.values[instr.dst.id] = self.unbox(place, label_of(instr.dst))

    def call_into_place(self, place, emit_call):
        """Run `emit_call(out)` with a temporary `out`, then move its result into `place`; the status."""
        out = self.scratch()
        status = emit_call(out)
        self.move(out, place)
        return status

    def finish_result(self, instr: Instr, slot) -> None:
        """The result in `slot` becomes instr's: moved into its slot, unboxed, or released if unused."""
        if instr.dst is None:
            self.release(slot)
        elif label_of(instr.dst) == "dyn":
            self.move(slot, self.dst_slot(instr))
        else:
            self.values[instr.dst.id] = self.unbox(slot, label_of(instr.dst))

    def args_array(self, values: list[Value]):
        """A contiguous array of borrowed nyrt values (NULL for none)."""
        if not values:
            return ir.Constant(PTR, None)
        array = self.entry.alloca(VALUE, size=len(values), name="args")
        for index, value in enumerate(values):
            item = self.builder.gep(array, [ir.Constant(I32, index)], source_etype=VALUE)
            if label_of(value) == "dyn":
                self.builder.store(self.builder.load(self.v(value), typ=VALUE), item)
            else:
                self.box_into(self.v(value), label_of(value), item)
        return array

    # ---- failure ------------------------------------------------------------------------------------------
    def position(self, instr: Instr) -> ir.Constant:
        return ir.Constant(I32, self.program.position(instr.span))

    def poll_failed(self) -> None:
        """Quiet convention: return at once while the module's failure flag is set."""
        if not self.sig.flagged:
            return
        flag = self.builder.load(self.program.failed_flag, typ=I32)
        with self.builder.if_then(self.builder.icmp_signed("!=", flag, ir.Constant(I32, 0)), likely=False):
            self.builder.ret(ir.Constant(TYPED[self.sig.ret], 0))

    def check_status(self, status, instr: Instr, pending: bool = False) -> None:
        """Fail at `instr` unless `status` (a nyrt or nyrt_x status, or a callee's) is 0. `pending`: the
        failure is already recorded (a compiled callee, a throw)."""
        failed = self.builder.icmp_signed("!=", status, ir.Constant(status.type, 0))
        self.fail_if(failed, instr, None if pending else "nyrt")

    def fail_if(self, condition, instr: Instr, how) -> None:
        """If `condition`: record the failure (`how`: "nyrt", a message, or None when already recorded)
        and go to the handler or unwind; the builder continues on the other path. Failures of one kind
        share one block per destination, which takes the position (and message) through phis."""
        cont = self.llfn.append_basic_block("ok")
        here = self.builder.block
        if how is None:
            target = self.failure_target()
        else:
            target, phis = self.shared_failure("nyrt" if how == "nyrt" else "message")
            phis[0].add_incoming(self.position(instr), here)
            if how != "nyrt":
                phis[1].add_incoming(self.program.cstring(how), here)
        self.builder.cbranch(condition, target, cont).set_weights(ERROR_WEIGHTS)
        self.builder.position_at_end(cont)

    def shared_failure(self, kind: str):
        key = (kind, self.mir_block.id if self.mir_block is not None else None)
        found = self.fail_blocks.get(key)
        if found is None:
            block = self.llfn.append_basic_block(f"fail.{kind}")
            bld = ir.IRBuilder(block)
            if kind == "nyrt":
                phis = (bld.phi(I32, "pos"),)
                bld.call(declare(self.ir, "nyrt_x_fail_nyrt"), list(phis))
            else:
                phis = (bld.phi(I32, "pos"), bld.phi(PTR, "message"))
                bld.call(declare(self.ir, "nyrt_x_fail"), list(phis))
            bld.branch(self.failure_target())
            found = self.fail_blocks[key] = (block, phis)
        return found

    def fail_now(self, instr: Instr, how) -> None:
        """Fail unconditionally (a terminator: throw, rethrow, raise)."""
        self.record_failure(instr, how)
        self.builder.branch(self.failure_target())

    def record_failure(self, instr: Instr, how) -> None:
        if how == "nyrt":
            self.builder.call(declare(self.ir, "nyrt_x_fail_nyrt"), [self.position(instr)])
        elif how is not None:
            self.builder.call(declare(self.ir, "nyrt_x_fail"), [self.position(instr), self.program.cstring(how)])

    def failure_target(self) -> ir.Block:
        """Where the current MIR block goes when an instruction fails: a block of its own that drops what
        it holds (and its handler does not use), then enters the handler or leaves with status 1. One per
        MIR block, so no value is merged across the function on its way to a release (which made LLVM's
        register allocation of big functions slow)."""
        if self.sig.flagged:
            return self.flag_failure_block()
        block_id = self.mir_block.id if self.mir_block is not None else None
        target = self.unwind_blocks.get(block_id)
        if target is None:
            target = self.unwind_blocks[block_id] = self.llfn.append_basic_block(f"unwind{block_id}")
            saved, self.builder = self.builder, ir.IRBuilder(target)
            if self.mir_block is not None:
                self.drop(self.deaths.on_raise[block_id], cold=True)
            handler = self.mir_block.handler if self.mir_block is not None else None
            if handler is not None:
                self.builder.branch(self.catch_block(handler))
            else:
                self.leave(ir.Constant(I32, 1))
            self.builder = saved
        return target

    def flag_failure_block(self) -> ir.Block:
        if self.unwind_block is None:
            self.unwind_block = self.llfn.append_basic_block("failed")
            bld = ir.IRBuilder(self.unwind_block)
            bld.store(ir.Constant(I32, 1), self.program.failed_flag)
            bld.ret(ir.Constant(TYPED[self.sig.ret], 0))
        return self.unwind_block

    def catch_block(self, handler: Block) -> ir.Block:
        """A block taking the pending exception into the handler's parameter, then entering the handler."""
        block = self.catch_blocks.get(handler.id)
        if block is None:
            block = self.catch_blocks[handler.id] = self.llfn.append_basic_block(f"catch{handler.id}")
            saved = self.builder
            self.builder = ir.IRBuilder(block)
            caught = self.scratch()
            self.builder.call(declare(self.ir, "nyrt_x_catch"), [caught])
            if handler.params:
                param = self.param_slots[handler.params[0].id]
                self.clear(param)
                self.move(caught, param)
            else:
                self.release(caught)
            self.builder.branch(self.blocks[handler.id])
            self.builder = saved
        return block

    # ---- leaving --------------------------------------------------------------------------------------------
    def release_owned(self) -> None:
        """On the way out: the slot-backed locals (every other value was dropped where it died)."""
        for slot in self.local_slots:
            self.release(slot)

    def leave(self, status, result=None) -> None:
        """Go to the function's one exit, which releases the owned slots and returns `status` (and the
        typed `result`)."""
        if self.sig.flagged:
            self.release_owned()
            self.builder.ret(result if result is not None else ir.Constant(TYPED[self.sig.ret], 0))
            return
        if self.exit_block is None:
            self.exit_block = self.llfn.append_basic_block("exit")
            bld = ir.IRBuilder(self.exit_block)
            rtype = TYPED.get(self.sig.ret)
            self.exit_phis = (bld.phi(I32, "status"), bld.phi(rtype, "result") if rtype is not None else None)
        here = self.builder.block
        self.exit_phis[0].add_incoming(status, here)
        if self.exit_phis[1] is not None:
            rtype = TYPED[self.sig.ret]
            self.exit_phis[1].add_incoming(result if result is not None else ir.Constant(rtype, 0), here)
        self.builder.branch(self.exit_block)

    def emit_exit(self) -> None:
        if self.exit_block is None:
            return
        self.builder = ir.IRBuilder(self.exit_block)
        self.release_owned()
        status, result = self.exit_phis
        if result is None:
            self.builder.ret(status)
            return
        pair = ir.Constant(ir.LiteralStructType([result.type, I32]), ir.Undefined)
        pair = self.builder.insert_value(pair, result, 0)
        self.builder.ret(self.builder.insert_value(pair, status, 1))

    # ---- calls of compiled functions -----------------------------------------------------------------------
    def check_depth(self, instr: Instr, depth) -> None:
        too_deep = self.builder.icmp_signed(">=", depth, ir.Constant(I64, MAX_CALL_DEPTH))
        self.fail_if(too_deep, instr, "Maximum call depth exceeded")

    def call_compiled(self, instr: Instr, name: str, me, args: list[Value]) -> None:
        """A direct call of MIR function `name` (depth-checked) defining instr.dst (if any)."""
        self.check_depth(instr, self.depth)
        callee = self.program.signatures[name]
        params = [self.as_label(a, p) for a, p in zip(args, callee.params)]
        out = self.result_slot(instr) if callee.ret == "dyn" else None
        value, status = self.program.emit_call(self.builder, name, self.builder.add(self.depth, ir.Constant(I64, 1)),
                                               out, me, params, quiet_caller=self.sig.flagged)
        self.check_status(status, instr, pending=True)
        if callee.ret == "dyn":
            self.finish_result(instr, out)
        elif instr.dst is not None:
            self.define(instr, value, callee.ret)

    @property
    def depth(self):
        return self.llfn.args[0]

    def i64(self, n: int) -> ir.Constant:
        return ir.Constant(I64, n)
