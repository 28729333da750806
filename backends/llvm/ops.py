"""MIR ops -> LLVM IR: one method per op (a test checks none is missing).

In: a FunctionFrame positioned at the instruction. Out: the instruction's LLVM code; its result recorded
with the frame (`define`, or written into its slot).

Typed operands (proved Int/Float/Bool by the type pass) get inline machine arithmetic that follows
nyash_run/runtime/operators.py: + - * on Ints wrap; / and % on Ints truncate with the dividend's sign, fail on
a zero divisor, MIN / -1 = MIN and MIN % -1 = 0 (sdiv/srem would trap, so a divisor of -1 is special-cased);
an Int meeting a Float is converted first; Float / and % fail on a zero divisor (0.0 and -0.0); Float % is C
fmod (`frem`); comparisons of Floats are false for NaN except `!=`; Bools order false < true and compare
unequal to any number. Everything else calls nyrt (nyrt_op_*, nyrt_x_*), which implements the same rules.
"""
from __future__ import annotations

from llvmlite import ir

from nyash_run.mir.ir import UNBOUND, Instr

from .builtins import MAP_DIRECT, MAP_SET, MAP_SET_QUIET, BuiltinMethods
from .frame import TYPED, label_of
from .nyrt_api import (CLASS_SIZE, F64, I1, I32, I64, INSTANCE_CLASS_OFFSET, INSTANCE_FIELDS_OFFSET,
                       INSTANCE_TID, META_INLINE, PTR, TID, VALUE, declare, value_field, method_key, signed)

ICMP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!="}
FCMP_ORDERED = {"<", "<=", ">", ">=", "=="}          # NaN makes these false; `!=` is unordered (true)
INLINE_INT_OPS = {"+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!="}
NYRT_OPS = {"+": 0, "-": 1, "*": 2, "/": 3, "%": 4, "<": 5, "<=": 6, ">": 7, ">=": 8, "==": 9, "!=": 10}


class OpLowering(BuiltinMethods):
    # values and operators ------------------------------------------------------------------------------
    def op_CONST(self, i: Instr):
        value = i.args[0]
        if type(value) is bool:
            return self.define(i, ir.Constant(I1, int(value)), "bool")
        if type(value) is int:
            return self.define(i, ir.Constant(I64, value), "int")
        if type(value) is float:
            return self.define(i, ir.Constant(F64, value), "float")
        slot = self.dst_slot(i)
        if type(value) is str:
            self.copy(self.program.string_constant(self.builder, value), slot, retain=False)   # immortal
        elif value is not UNBOUND:                                   # void or null (UNBOUND stays zero)
            kind = "void" if value is None else "null"
            self.builder.store(ir.Constant(VALUE, [ir.Constant(I64, signed(TID[kind])), ir.Constant(I64, 0),
                                                   ir.Constant(I64, META_INLINE)]), slot)

    def op_BINOP(self, i: Instr):
        op, lhs, rhs = i.args
        kinds = (label_of(lhs), label_of(rhs))
        if kinds == ("int", "int"):
            return self.define(i, *self.int_binop(i, op, self.v(lhs), self.v(rhs)))
        if "dyn" not in kinds and set(kinds) <= {"int", "float"}:
            return self.define(i, *self.float_binop(i, op, self.as_label(lhs, "float"), self.as_label(rhs, "float")))
        if kinds == ("bool", "bool") and (op in ICMP or op == "+"):
            return self.define(i, *self.bool_binop(op, self.v(lhs), self.v(rhs)))
        if op in ("==", "!=") and "bool" in kinds and "dyn" not in kinds:    # a Bool never equals a number
            return self.define(i, ir.Constant(I1, int(op == "!=")), "bool")
        if op in INLINE_INT_OPS and self.may_be_int(lhs) and self.may_be_int(rhs):
            return self.binop_int_guarded(i, op, lhs, rhs)
        self.binop_call(i, op, lhs, rhs)

    def binop_call(self, i: Instr, op: str, lhs, rhs) -> None:
        out = self.result_slot(i)
        status = self.builder.call(declare(self.ir, "nyrt_op_binary"),
                                   [ir.Constant(I32, NYRT_OPS[op]), self.dyn(lhs), self.dyn(rhs), out])
        self.check_status(status, i)
        self.finish_result(i, out)

    @staticmethod
    def may_be_int(value) -> bool:
        label = label_of(value)
        return label == "int" or (label == "dyn" and (not value.kinds or bool({"int", "dyn"} & value.kinds)))

    def int_payload(self, value):
        """(is an Int, its i64 payload) of a value labelled int or dyn."""
        if label_of(value) == "int":
            return ir.Constant(I1, 1), self.v(value)
        slot = self.v(value)
        tid = self.builder.load(value_field(self.builder, slot, 0), typ=I64)
        is_int = self.builder.icmp_unsigned("==", tid, ir.Constant(I64, signed(TID["int"])))
        return is_int, self.builder.load(value_field(self.builder, slot, 1), typ=I64)

    def binop_int_guarded(self, i: Instr, op: str, lhs, rhs) -> None:
        """A dynamic operation whose operands are usually Ints: Int arithmetic inline when both are,
        nyrt_op_binary otherwise (Floats, Strings, overflowing nothing: + - * wrap in both)."""
        bld = self.builder
        a_int, a = self.int_payload(lhs)
        b_int, b = self.int_payload(rhs)
        want = label_of(i.dst)
        result_type = I1 if op in ICMP else I64
        out = None
        if want == "dyn":
            out = self.dst_slot(i)
        fast_ok = bld.and_(a_int, b_int)
        if op in ("/", "%"):          # zero and -1 divisors take nyrt's path (its error; MIN / -1)
            unsigned_b = bld.add(b, ir.Constant(I64, 1))
            fast_ok = bld.and_(fast_ok, bld.icmp_unsigned(">", unsigned_b, ir.Constant(I64, 1)))
        consumed = self.consumed_here([lhs, rhs])
        with bld.if_else(fast_ok, likely=True) as (fast, slow):
            with fast:
                self.empty(consumed)
                if op in ICMP:
                    value = bld.icmp_signed(ICMP[op], a, b)
                else:
                    value = {"+": bld.add, "-": bld.sub, "*": bld.mul, "/": bld.sdiv, "%": bld.srem}[op](a, b)
                if out is not None:
                    self.box_into(value, "bool" if op in ICMP else "int", out)
                fast_block = bld.block
            with slow:
                scratch = self.scratch()
                status = bld.call(declare(self.ir, "nyrt_op_binary"),
                                  [ir.Constant(I32, NYRT_OPS[op]), self.dyn(lhs), self.dyn(rhs), scratch])
                self.check_status(status, i)
                self.drop(v.id for v in consumed)
                if out is not None:
                    self.move(scratch, out)
                slow_value = None if out is not None else self.unbox(scratch, want)
                slow_block = bld.block
        if out is None:
            merged = bld.phi(self.llvm_type(want))
            merged.add_incoming(self.convert_fast(value, op, want, fast_block), fast_block)
            merged.add_incoming(slow_value, slow_block)
            self.values[i.dst.id] = merged

    def convert_fast(self, value, op: str, want: str, block):
        """The inline result as `want` (computed in `block`, converted at its end)."""
        have = "bool" if op in ICMP else "int"
        if have == want:
            return value
        saved = self.builder.block
        self.builder.position_before(block.terminator)
        converted = self.builder.sitofp(value, F64) if want == "float" else self.builder.icmp_signed(
            "!=", value, ir.Constant(I64, 0)) if want == "bool" else self.builder.zext(value, I64)
        self.builder.position_at_end(saved)
        return converted

    @staticmethod
    def llvm_type(label: str):
        return TYPED[label]

    def int_binop(self, i: Instr, op: str, a, b):
        bld = self.builder
        if op in ICMP:
            return bld.icmp_signed(ICMP[op], a, b), "bool"
        if op in ("+", "-", "*"):
            return {"+": bld.add, "-": bld.sub, "*": bld.mul}[op](a, b), "int"
        self.fail_if(bld.icmp_signed("==", b, ir.Constant(I64, 0)), i,
                     "Division by zero" if op == "/" else "Modulo by zero")
        minus_one = bld.icmp_signed("==", b, ir.Constant(I64, -1))
        safe = bld.select(minus_one, ir.Constant(I64, 1), b)
        if op == "%":
            return bld.srem(a, safe), "int"                              # x % 1 == 0 == x % -1
        return bld.select(minus_one, bld.sub(ir.Constant(I64, 0), a), bld.sdiv(a, safe)), "int"

    def float_binop(self, i: Instr, op: str, a, b):
        bld = self.builder
        if op in ICMP:
            return (bld.fcmp_ordered if op in FCMP_ORDERED else bld.fcmp_unordered)(ICMP[op], a, b), "bool"
        if op in ("+", "-", "*"):
            return {"+": bld.fadd, "-": bld.fsub, "*": bld.fmul}[op](a, b), "float"
        self.fail_if(bld.fcmp_ordered("==", b, ir.Constant(F64, 0.0)), i,
                     "Division by zero" if op == "/" else "Modulo by zero")
        return (bld.fdiv(a, b) if op == "/" else bld.frem(a, b)), "float"

    def bool_binop(self, op: str, a, b):
        bld = self.builder
        if op in ICMP:                       # false < true, as their display strings order
            return bld.icmp_unsigned(ICMP[op], a, b), "bool"
        return bld.add(bld.zext(a, I64), bld.zext(b, I64)), "int"

    def op_UNOP(self, i: Instr):
        op, operand = i.args
        kind, bld = label_of(operand), self.builder
        if op == "not":
            return self.define(i, bld.xor(self.truthy(operand), ir.Constant(I1, 1)), "bool")
        if kind == "int":
            return self.define(i, bld.sub(ir.Constant(I64, 0), self.v(operand)), "int")   # -MIN wraps
        if kind == "float":
            return self.define(i, bld.fneg(self.v(operand)), "float")
        out = self.result_slot(i)
        self.check_status(bld.call(declare(self.ir, "nyrt_op_neg"), [self.dyn(operand), out]), i)
        self.finish_result(i, out)

    def op_TRUTHY(self, i: Instr):
        self.define(i, self.truthy(i.args[0]), "bool")

    def truthy(self, value):
        kind, bld = label_of(value), self.builder
        if kind == "bool":
            return self.v(value)
        if kind == "int":
            return bld.icmp_signed("!=", self.v(value), ir.Constant(I64, 0))
        if kind == "float":
            return ir.Constant(I1, 1)                                   # every Float is truthy (§6.2)
        result = bld.call(declare(self.ir, "nyrt_val_truthy"), [self.dyn(value)])
        return bld.icmp_signed("!=", result, ir.Constant(I32, 0))

    def op_CHECK_BOUND(self, i: Instr):
        name, value = i.args
        if label_of(value) != "dyn":
            return self.define(i, self.v(value), label_of(value))
        tid = self.builder.load(value_field(self.builder, self.v(value), 0), typ=I64)
        self.fail_if(self.builder.icmp_unsigned("==", tid, ir.Constant(I64, 0)), i, f"Undefined variable '{name}'")
        self.move_or_copy(i, value)

    def move_or_copy(self, i: Instr, value) -> None:
        """dst := value (a new reference)."""
        if label_of(i.dst) != "dyn":
            return self.define(i, self.as_label(value, label_of(i.dst)), label_of(i.dst))
        new = self.value_of(value)
        self.builder.store(new, self.dst_slot(i))
        self.retain_value(new)

    # variables ------------------------------------------------------------------------------------------
    def op_GET_NAME(self, i: Instr):
        name = i.args[0]
        slot = self.program.global_slot(name)
        tid = self.builder.load(value_field(self.builder, slot, 0), typ=I64)
        unset = self.builder.icmp_unsigned("==", tid, ir.Constant(I64, 0))
        cls = self.program.class_index.get(name)
        static = cls is not None and self.program.module.classes[name].is_static
        if not static:
            self.fail_if(unset, i, f"Undefined variable '{name}'")
            return self.move_or_copy_slot(i, slot)
        out = self.result_slot(i)
        with self.builder.if_else(unset) as (then, otherwise):
            with then:
                status = self.builder.call(declare(self.ir, "nyrt_x_singleton"), [self.depth, self.i64(cls), out])
                then_block = self.builder.block
            with otherwise:
                self.copy(slot, out)
                else_block = self.builder.block
        merged = self.builder.phi(I32)
        merged.add_incoming(status, then_block)
        merged.add_incoming(ir.Constant(I32, 0), else_block)
        self.check_status(merged, i)
        self.finish_result(i, out)

    def move_or_copy_slot(self, i: Instr, slot) -> None:
        if label_of(i.dst) != "dyn":
            return self.define(i, self.unbox(slot, label_of(i.dst)), label_of(i.dst))
        self.copy(slot, self.dst_slot(i))

    def op_GET_GLOBAL_SOFT(self, i: Instr):
        slot = self.program.global_slot(i.args[0])
        out = self.dst_slot(i) if label_of(i.dst) == "dyn" else self.scratch()
        tid = self.builder.load(value_field(self.builder, slot, 0), typ=I64)
        with self.builder.if_else(self.builder.icmp_unsigned("==", tid, ir.Constant(I64, 0))) as (then, otherwise):
            with then:
                self.builder.store(ir.Constant(VALUE, [ir.Constant(I64, signed(TID["void"])), ir.Constant(I64, 0),
                                                       ir.Constant(I64, META_INLINE)]), out)
            with otherwise:
                self.copy(slot, out)
        if label_of(i.dst) != "dyn":
            self.values[i.dst.id] = self.unbox(out, label_of(i.dst))

    def op_SET_GLOBAL(self, i: Instr):
        self.store_owned(self.program.global_slot(i.args[0]), i.args[1])

    def store_owned(self, slot, value) -> None:
        """*slot := value, retaining the new value before releasing the old one."""
        new = self.value_of(value)
        self.retain_value(new)
        old = self.builder.load(slot, typ=VALUE)
        self.builder.store(new, slot)
        self.builder.call(self.program.release_fn, [old])

    def op_LOCAL_GET(self, i: Instr):
        self.move_or_copy_slot(i, self.local_slots[i.args[0]])

    def op_LOCAL_SET(self, i: Instr):
        self.store_owned(self.local_slots[i.args[0]], i.args[1])

    # objects ------------------------------------------------------------------------------------------------
    def op_SINGLETON(self, i: Instr):
        out = self.result_slot(i)
        cls = self.program.class_index[i.args[0]]
        self.check_status(self.builder.call(declare(self.ir, "nyrt_x_singleton"), [self.depth, self.i64(cls), out]), i)
        self.finish_result(i, out)

    def field_address(self, obj, name: str):
        """The address of field `name` when obj's class fixes its index, else None."""
        index = self.program.field_index(obj.type, name)
        if index is None:
            return None
        bld = self.builder
        handle = bld.load(value_field(bld, self.v(obj), 1), typ=I64)
        address = bld.add(handle, self.i64(INSTANCE_FIELDS_OFFSET + 24 * index))
        return bld.inttoptr(address, PTR)

    def declared_field(self, obj, name: str):
        """(found, address) of field `name` of a value whose class is known only at run time: an instance
        whose class declares the field finds it through a per-name table of indexes by class."""
        bld = self.builder
        slot = self.dyn(obj)
        tid = bld.load(value_field(bld, slot, 0), typ=I64)
        is_instance = bld.icmp_unsigned("==", tid, ir.Constant(I64, signed(INSTANCE_TID)))
        handle = bld.load(value_field(bld, slot, 1), typ=I64)
        start = bld.block
        with bld.if_then(is_instance, likely=True):
            cls = bld.load(bld.inttoptr(bld.add(handle, self.i64(INSTANCE_CLASS_OFFSET)), PTR), typ=I64)
            offset = bld.sub(cls, bld.ptrtoint(self.program.classes_global, I64))
            table = self.program.field_table(name)
            loaded = bld.load(bld.gep(table, [bld.udiv(offset, self.i64(CLASS_SIZE))], source_etype=I32), typ=I32)
            inside = bld.block
        index = bld.phi(I32)
        index.add_incoming(ir.Constant(I32, -1), start)
        index.add_incoming(loaded, inside)
        found = bld.icmp_signed(">=", index, ir.Constant(I32, 0))
        offset = bld.add(self.i64(INSTANCE_FIELDS_OFFSET), bld.mul(bld.sext(index, I64), self.i64(24)))
        address = bld.add(handle, offset)
        return found, bld.inttoptr(address, PTR), slot

    def op_GET_FIELD(self, i: Instr):
        name, obj = i.args
        address = self.field_address(obj, name)
        if address is not None:
            return self.move_or_copy_slot(i, address)
        if not self.program.declares_field(name):
            out = self.result_slot(i)
            self.check_status(self.get_field_call(self.dyn(obj), name, out), i)
            return self.finish_result(i, out)
        place = self.result_place(i)
        found, address, slot = self.declared_field(obj, name)
        with self.builder.if_else(found, likely=True) as (fast, slow):
            with fast:
                self.copy(address, place)
            with slow:
                self.check_status(self.call_into_place(place, lambda out: self.get_field_call(slot, name, out)), i)
        self.finish_place(i, place)

    def get_field_call(self, slot, name: str, out):
        return self.builder.call(declare(self.ir, "nyrt_x_get_field"), [slot, self.program.cstring(name), out])

    def op_SET_FIELD(self, i: Instr):
        name, obj, value = i.args
        address = self.field_address(obj, name)
        if address is not None:
            return self.store_owned(address, value)
        if not self.program.declares_field(name):
            status = self.builder.call(declare(self.ir, "nyrt_x_set_field"),
                                       [self.dyn(obj), self.program.cstring(name), self.dyn(value)])
            return self.check_status(status, i)
        found, address, slot = self.declared_field(obj, name)
        with self.builder.if_else(found, likely=True) as (fast, slow):
            with fast:
                self.store_owned(address, value)
            with slow:
                status = self.builder.call(declare(self.ir, "nyrt_x_set_field"),
                                           [slot, self.program.cstring(name), self.dyn(value)])
                self.check_status(status, i)

    def op_NEW(self, i: Instr):
        box, args = i.args[0], i.args[1:]
        out = self.result_slot(i)
        status = self.builder.call(declare(self.ir, "nyrt_x_new"), [self.depth, self.program.cstring(box),
                                                                     self.args_array(args), self.i64(len(args)), out])
        self.check_status(status, i)
        self.finish_result(i, out)

    def op_CONSTRUCT(self, i: Instr):
        box, ctor, args = i.args[0], i.args[1], i.args[2:]
        out = self.result_slot(i)
        cls = self.program.class_index[box]
        self.check_status(self.builder.call(declare(self.ir, "nyrt_x_alloc"), [self.i64(cls), out]), i)
        if ctor:
            self.call_compiled(DroppedResult(i), ctor, out, list(args))
        self.finish_result(i, out)

    def op_MAKE_RESULT(self, i: Instr):
        ok, value = i.args
        out = self.result_slot(i)
        status = self.builder.call(declare(self.ir, "nyrt_res_new"), [ir.Constant(I32, int(ok)), self.dyn(value), out])
        self.check_status(status, i)
        self.finish_result(i, out)

    # calls --------------------------------------------------------------------------------------------------
    def op_CALL(self, i: Instr):
        self.call_compiled(i, i.args[0], None, list(i.args[1:]))

    def op_CALL_KNOWN_METHOD(self, i: Instr):
        self.call_compiled(i, i.args[0], self.dyn(i.args[1]), list(i.args[2:]))

    def op_EXPECT_INSTANCE(self, i: Instr):
        name, value = i.args
        status = self.builder.call(declare(self.ir, "nyrt_x_expect_instance"),
                                   [self.dyn(value), self.i64(self.program.name_id(name)),
                                    self.i64(signed(method_key(name, 0)))])
        self.check_status(status, i)
        self.move_or_copy(i, value)

    def op_CALL_METHOD(self, i: Instr):
        name, recv, args = i.args[0], i.args[1], i.args[2:]
        if recv.type in ("array", "argv") and self.array_method(i, name, recv, list(args)):
            return
        if recv.type == "string" and self.string_method(i, name, recv, list(args)):
            return
        out = self.result_slot(i)
        if recv.type == "map" and (name, len(args)) in MAP_DIRECT:
            which = MAP_DIRECT[name, len(args)]
            if which == MAP_SET and (i.dst is None or i.dst.id not in self.used_values):
                which = MAP_SET_QUIET
            return self.map_method(i, which, recv, list(args), out)
        self.check_status(self.call_method(i, name, recv, args, out), i)
        self.finish_result(i, out)

    def op_CALL_BARE(self, i: Instr):
        name, me, _fvar, args = i.args[0], i.args[1], i.args[2], i.args[3:]
        out = self.result_slot(i)
        status = self.builder.call(declare(self.ir, "nyrt_x_call_bare"), [
            self.depth, self.i64(self.program.name_id(name)), self.dyn(me), self.args_array(args),
            self.i64(len(args)), out])
        self.check_status(status, i)
        self.finish_result(i, out)

    def op_FROM_CALL(self, i: Instr):
        parent, name, me, args = i.args[0], i.args[1], i.args[2], i.args[3:]
        out = self.result_slot(i)
        status = self.builder.call(declare(self.ir, "nyrt_x_from_call"), [
            self.depth, self.i64(self.program.class_index[parent]), self.i64(self.program.name_id(name)),
            self.dyn(me), self.args_array(args), self.i64(len(args)), out])
        self.check_status(status, i)
        self.finish_result(i, out)

    # output and exceptions ----------------------------------------------------------------------------------
    def op_PRINT(self, i: Instr):
        self.check_status(self.builder.call(declare(self.ir, "nyrt_x_print"), [self.dyn(i.args[0])]), i)

    def op_EXC_VALUE(self, i: Instr):
        self.move_or_copy(i, i.args[0])

    def op_RESULT_OK(self, i: Instr):
        ok = self.alloca(I32, "ok")
        status = self.builder.call(declare(self.ir, "nyrt_x_result_ok"), [self.dyn(i.args[0]), ok])
        self.check_status(status, i)
        flag = self.builder.icmp_signed("!=", self.builder.load(ok, typ=I32), ir.Constant(I32, 0))
        self.define(i, flag, "bool")

    def op_RESULT_VALUE(self, i: Instr):
        ok = self.alloca(I32, "ok")
        out = self.result_slot(i)
        status = self.builder.call(declare(self.ir, "nyrt_res_get"), [self.dyn(i.args[0]), ok, out])
        self.check_status(status, i)
        self.finish_result(i, out)

    # terminators --------------------------------------------------------------------------------------------
    def op_JUMP(self, i: Instr):
        target, args = i.targets[0]
        self.pass_args(target, args)
        self.builder.branch(self.blocks[target.id])

    def op_BRANCH(self, i: Instr):
        (then, then_args), (other, other_args) = i.targets
        cond = self.truthy(i.args[0])
        if not then_args and not other_args:
            self.builder.cbranch(cond, self.blocks[then.id], self.blocks[other.id])
            return
        edges = []
        for target, args in ((then, then_args), (other, other_args)):
            edge = self.llfn.append_basic_block(f"edge{target.id}")
            edges.append((edge, target, args))
        self.builder.cbranch(cond, edges[0][0], edges[1][0])
        for edge, target, args in edges:
            self.builder.position_at_end(edge)
            self.pass_args(target, args)
            self.builder.branch(self.blocks[target.id])

    def pass_args(self, target, args) -> None:
        """The target's parameters := args, as a parallel copy (new values retained before old released)."""
        loaded = []
        for param, arg in zip(target.params, args):
            want = label_of(param)
            if want == "dyn":
                new = self.value_of(arg)
                self.retain_value(new)
                loaded.append(new)
            else:
                loaded.append(self.as_label(arg, want))
        for param, new in zip(target.params, loaded):
            slot = self.param_slots[param.id]
            if label_of(param) == "dyn":
                self.release(slot)
            self.builder.store(new, slot)

    def op_RETURN(self, i: Instr):
        value = i.args[0]
        if self.sig.ret == "dyn":
            new = self.value_of(value)
            self.builder.store(new, self.llfn.args[1])
            self.retain_value(new)
            result = None
        else:
            result = self.as_label(value, self.sig.ret)
        # all that is still held here: the returned value, and what a handler of this block would use
        self.drop(sorted({v.id for v in i.uses()} | self.deaths.live_out[self.mir_block.id]))
        self.leave(ir.Constant(I32, 0), result)

    def op_THROW(self, i: Instr):
        self.builder.call(declare(self.ir, "nyrt_x_throw"), [self.position(i), self.dyn(i.args[0])])
        self.fail_now(i, None)

    def op_RETHROW(self, i: Instr):
        self.builder.call(declare(self.ir, "nyrt_x_rethrow"), [self.dyn(i.args[0])])
        self.fail_now(i, None)

    def op_RAISE(self, i: Instr):
        self.fail_now(i, i.args[0])


class DroppedResult:
    """An instruction stand-in whose result is dropped (a constructor run by CONSTRUCT)."""

    def __init__(self, instr: Instr):
        self.span = instr.span
        self.dst = None
        self.name = instr.name


__all__ = ["OpLowering", "TYPED"]
