"""MIR -> LLVM IR (llvmlite.ir) for the typed numeric subset.

In: a typed ir.Module (driver.build_mir) and the names of the functions wanted (usually specialisations such
as `fn:fib#void,int`). Out: `LoweredModule`: the IR text, per MIR function its symbol and signature, and the
position table; or NotLowerable naming the function and the op (nothing is half-lowered: the IR is only
produced when every function reached by calls lowers completely).

The subset: plain functions (no `me`, no exception handlers) whose parameters and values are all labelled
`int`, `float` or `bool` (LLVM i64, double, i1), using CONST, BINOP, UNOP, TRUTHY, CHECK_BOUND (a no-op on
typed values), JUMP/BRANCH (block parameters become phi nodes), RETURN and CALL of functions of the subset.

Calling convention (the error-return convention). Each MIR function becomes an internal body
    {T, i32} body(i64 depth, <params>)
returning its result and a status: 0, or ERR_RUNTIME after storing a position id into the process-wide i32
`nyash_jit_err_pos` (engine.ERR_POS_SYMBOL). A position id indexes `LoweredModule.positions`, a table of
(message, span) built here, so the caller raises NyashRuntimeError(message, span) exactly as the VM would.
A callee's failure is passed up unchanged. Each root also gets an exported entry
    i32 entry(i64 depth, <params>, ptr out)
that stores the result through `out` and returns the status (what Python calls through ctypes). Measured on
fib(35): the {T, i32} pair (returned in two registers) runs in 41 ms, an out-pointer in every function 57 ms.

`depth` is the depth the function runs at (the VM's `d`); a call site fails with `Maximum call depth
exceeded` at the call's span when depth >= 10,000 (the callee would run at depth + 1 > 10,000, which the VM
refuses). Depth travels as an argument, not a global counter: measured on fib(35), a global counter's
load/store pairs cost 86 ms against 57 ms for the argument (out-pointer convention both).

Semantics follow nyash_run/runtime/operators.py: + - * on Ints wrap (LLVM add/sub/mul wrap); / and % on
Ints truncate with the dividend's sign, raise on a zero divisor, MIN / -1 = MIN and MIN % -1 = 0 (sdiv/srem
would trap, so a divisor of -1 is special-cased); an Int meeting a Float is converted first; Float / and %
raise on a zero divisor (0.0 and -0.0); Float % is C fmod (`frem`); comparisons of Floats are false for NaN
except `!=`; Bools order false < true and compare unequal to any number.

Every op has an `op_<NAME>` method here; ops outside the subset raise NotLowerable (a test checks none is
missing).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from llvmlite import ir

from nyash_run.mir.ir import Block, Function, Instr, Module, Value
from nyash_run.mir.printer import format_function

from .engine import ERR_POS_SYMBOL

MAX_CALL_DEPTH = 10_000                      # language.md §3.4 (the VM's support.MAX_CALL_DEPTH)
STATUS_OK, ERR_RUNTIME = 0, 1

I1, I32, I64, F64, PTR = ir.IntType(1), ir.IntType(32), ir.IntType(64), ir.DoubleType(), ir.PointerType()
LLVM_TYPES = {"int": I64, "float": F64, "bool": I1}

ICMP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!="}
FCMP_ORDERED = {"<", "<=", ">", ">=", "=="}          # NaN makes these false; `!=` is unordered (true)
ERROR_WEIGHTS = [1, 1000]                            # error branches are cold


class NotLowerable(Exception):
    """A function (or one it calls) is outside what this lowering handles."""

    def __init__(self, function: str, op: str, reason: str):
        super().__init__(f"{function}: {op}: {reason}")
        self.function, self.op, self.reason = function, op, reason


@dataclass
class LoweredFunction:
    name: str                 # the MIR function
    symbol: str               # its LLVM symbol
    params: list[str]         # parameter labels
    ret: str                  # result label
    exported: bool            # callable from outside the module (the roots)


@dataclass
class LoweredModule:
    ir_text: str
    functions: dict[str, LoweredFunction]
    positions: list[tuple[str, object]] = field(default_factory=list)   # id -> (message, span)


def lower_functions(module: Module, roots: list[str]) -> LoweredModule:
    """Lower `roots` and every function they call; NotLowerable if any of them is outside the subset."""
    order = call_closure(module, roots)
    for name in order:
        check_shape(module.functions[name])
    # Symbols are prefixed with a hash of what is lowered, so different code never clashes in the one engine
    # and the same code gives the same IR (deduplicated by the engine, found in the object cache).
    text = "\n".join([",".join(roots)] + [format_function(module.functions[n]) for n in order])
    return ModuleLowering(module, order, set(roots), hashlib.sha256(text.encode()).hexdigest()[:16]).lower()


def lowerable_functions(module: Module) -> list[str]:
    """The functions of `module` that lower (with everything they call)."""
    found = []
    for name in module.functions:
        try:
            order = call_closure(module, [name])
            for callee in order:
                check_shape(module.functions[callee])
            ModuleLowering(module, order, {name}, "probe").lower()
        except NotLowerable:
            continue
        found.append(name)
    return found


def call_closure(module: Module, roots: list[str]) -> list[str]:
    """`roots` and the functions their CALLs reach, roots first."""
    order, seen, stack = [], set(), list(reversed(roots))
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in module.functions:
            raise NotLowerable(name, "CALL", "unknown function")
        seen.add(name)
        order.append(name)
        for block in module.functions[name].blocks:
            for instr in block.instrs:
                if instr.name == "CALL":
                    stack.append(instr.args[0])
    return order


def check_shape(fn: Function) -> None:
    """Plain function, no handlers, every value typed in the subset, one result type."""
    if fn.self_value is not None or fn.kind != "function":
        raise NotLowerable(fn.name, "-", f"a {fn.kind} (only plain functions are in the subset)")
    for value in fn.params:
        _typed(fn, value, "parameter")
    for block in fn.blocks:
        if block.handler is not None:
            raise NotLowerable(fn.name, "-", "exception handler")
        for value in block.params:
            _typed(fn, value, "block parameter")
        for instr in block.instrs:
            if instr.dst is not None:
                _typed(fn, instr.dst, instr.name)
    return_type(fn)


def _typed(fn: Function, value: Value, what: str) -> None:
    if value.type not in LLVM_TYPES:
        raise NotLowerable(fn.name, what, f"%{value.id} is {value.type or 'untyped'}")


def return_type(fn: Function) -> str:
    labels = {i.args[0].type for b in fn.blocks for i in b.instrs if i.name == "RETURN"}
    if len(labels) != 1 or not labels <= LLVM_TYPES.keys():
        raise NotLowerable(fn.name, "RETURN", f"result types {sorted(map(str, labels))}")
    return labels.pop()


def result_type(label: str) -> ir.LiteralStructType:
    return ir.LiteralStructType([LLVM_TYPES[label], I32])


def symbol_name(prefix: str, index: int, mir_name: str) -> str:
    """ASCII and unquoted (engine lookups are ASCII), unique by index, readable in dumps."""
    return f"ny_{prefix}_{index}_{re.sub(r'[^A-Za-z0-9_]', '_', mir_name)}"


class ModuleLowering:
    def __init__(self, module: Module, order: list[str], roots: set[str], prefix: str):
        self.module = module
        self.order = order
        self.ir = ir.Module(name=f"nyash.{prefix}")
        self.positions: list[tuple[str, object]] = []
        self.err_pos = ir.GlobalVariable(self.ir, I32, ERR_POS_SYMBOL)     # external: the engine defines it
        self.functions: dict[str, LoweredFunction] = {}
        self.llvm_functions: dict[str, ir.Function] = {}
        self.entries: list[tuple[LoweredFunction, ir.Function]] = []
        for index, name in enumerate(order):
            fn = module.functions[name]
            lowered = LoweredFunction(name, symbol_name(prefix, index, name), [p.type for p in fn.params],
                                      return_type(fn), name in roots)
            param_types = [LLVM_TYPES[t] for t in lowered.params]
            body = ir.Function(self.ir, ir.FunctionType(result_type(lowered.ret), [I64] + param_types),
                               lowered.symbol + ".body")
            body.linkage = "internal"
            body.args[0].name = "depth"
            for arg, param in zip(body.args[1:], fn.params):
                arg.name = f"v{param.id}"
            self.functions[name], self.llvm_functions[name] = lowered, body
            if lowered.exported:
                entry = ir.Function(self.ir, ir.FunctionType(I32, [I64] + param_types + [PTR]), lowered.symbol)
                entry.args[0].name, entry.args[-1].name = "depth", "out"
                entry.args[-1].add_attribute("noalias")
                self.entries.append((lowered, entry))

    def position(self, message: str, span) -> ir.Constant:
        self.positions.append((message, span))
        return ir.Constant(I32, len(self.positions) - 1)

    def lower(self) -> LoweredModule:
        for name in self.order:
            FunctionLowering(self, self.module.functions[name]).emit()
        for lowered, entry in self.entries:
            self.emit_entry(lowered, entry)
        return LoweredModule(str(self.ir), self.functions, self.positions)

    def emit_entry(self, lowered: LoweredFunction, entry: ir.Function) -> None:
        """i32 entry(depth, params..., out): the body's result stored through `out`, its status returned."""
        bld = ir.IRBuilder(entry.append_basic_block("entry"))
        pair = bld.call(self.llvm_functions[lowered.name], list(entry.args[:-1]))
        bld.store(bld.extract_value(pair, 0), entry.args[-1])
        bld.ret(bld.extract_value(pair, 1))


class OpLowering:
    """One method per MIR op: the LLVM instructions for one MIR instruction at the builder's position."""

    fn: Function
    builder: ir.IRBuilder

    # values and operators ------------------------------------------------------------------------------
    def op_CONST(self, i: Instr):
        value = i.args[0]
        if type(value) is bool:
            return ir.Constant(I1, int(value))
        if type(value) is int:
            return ir.Constant(I64, value)
        if type(value) is float:
            return ir.Constant(F64, value)
        return self.unsupported(i, f"constant {value!r}")

    def op_BINOP(self, i: Instr):
        op, lhs, rhs = i.args
        kinds = (lhs.type, rhs.type)
        if kinds == ("int", "int"):
            return self.int_binop(i, op, self.v(lhs), self.v(rhs))
        if set(kinds) <= {"int", "float"}:
            return self.float_binop(i, op, self.as_float(lhs), self.as_float(rhs))
        if kinds == ("bool", "bool"):
            return self.bool_binop(i, op, self.v(lhs), self.v(rhs))
        if op in ("==", "!=") and "bool" in kinds:          # a Bool never equals a number (§6.6)
            return ir.Constant(I1, int(op == "!="))
        return self.unsupported(i, f"{op} on {kinds}")

    def int_binop(self, i: Instr, op: str, a, b):
        bld = self.builder
        if op in ICMP:
            return bld.icmp_signed(ICMP[op], a, b)
        if op in ("+", "-", "*"):
            return {"+": bld.add, "-": bld.sub, "*": bld.mul}[op](a, b)
        if op in ("/", "%"):
            self.fail_if(bld.icmp_signed("==", b, ir.Constant(I64, 0)),
                         "Division by zero" if op == "/" else "Modulo by zero", i.span)
            minus_one = bld.icmp_signed("==", b, ir.Constant(I64, -1))
            safe = bld.select(minus_one, ir.Constant(I64, 1), b)       # sdiv/srem trap on MIN / -1
            if op == "%":
                return bld.srem(a, safe)                                # x % 1 == 0 == x % -1
            return bld.select(minus_one, bld.sub(ir.Constant(I64, 0), a), bld.sdiv(a, safe))
        return self.unsupported(i, f"Int {op}")

    def float_binop(self, i: Instr, op: str, a, b):
        bld = self.builder
        if op in ICMP:
            return (bld.fcmp_ordered if op in FCMP_ORDERED else bld.fcmp_unordered)(ICMP[op], a, b)
        if op in ("+", "-", "*"):
            return {"+": bld.fadd, "-": bld.fsub, "*": bld.fmul}[op](a, b)
        if op in ("/", "%"):
            self.fail_if(bld.fcmp_ordered("==", b, ir.Constant(F64, 0.0)),
                         "Division by zero" if op == "/" else "Modulo by zero", i.span)
            return bld.fdiv(a, b) if op == "/" else bld.frem(a, b)
        return self.unsupported(i, f"Float {op}")

    def bool_binop(self, i: Instr, op: str, a, b):
        bld = self.builder
        if op in ICMP:                       # false < true, as their display strings order
            return bld.icmp_unsigned(ICMP[op], a, b)
        if op == "+":
            return bld.add(bld.zext(a, I64), bld.zext(b, I64))
        return self.unsupported(i, f"Bool {op}")

    def op_UNOP(self, i: Instr):
        op, operand = i.args
        a, kind, bld = self.v(operand), operand.type, self.builder
        if op == "-" and kind == "int":
            return bld.sub(ir.Constant(I64, 0), a)                      # -MIN wraps to MIN
        if op == "-" and kind == "float":
            return bld.fneg(a)
        if op == "not":
            return bld.xor(self.truthy(a, kind), ir.Constant(I1, 1))
        return self.unsupported(i, f"unary {op} on {kind}")

    def op_TRUTHY(self, i: Instr):
        return self.truthy(self.v(i.args[0]), i.args[0].type)

    def truthy(self, a, kind: str):
        if kind == "bool":
            return a
        if kind == "int":
            return self.builder.icmp_signed("!=", a, ir.Constant(I64, 0))
        return ir.Constant(I1, 1)                                       # every Float is truthy (§6.2)

    def op_CHECK_BOUND(self, i: Instr):
        return self.v(i.args[1])              # a typed value is never UNBOUND (check_shape saw its type)

    # variables, objects -------------------------------------------------------------------------------
    def op_GET_NAME(self, i): return self.unsupported(i)
    def op_GET_GLOBAL_SOFT(self, i): return self.unsupported(i)
    def op_SET_GLOBAL(self, i): return self.unsupported(i)
    def op_LOCAL_GET(self, i): return self.unsupported(i)
    def op_LOCAL_SET(self, i): return self.unsupported(i)
    def op_SINGLETON(self, i): return self.unsupported(i)
    def op_GET_FIELD(self, i): return self.unsupported(i)
    def op_SET_FIELD(self, i): return self.unsupported(i)
    def op_NEW(self, i): return self.unsupported(i)
    def op_CONSTRUCT(self, i): return self.unsupported(i)
    def op_MAKE_RESULT(self, i): return self.unsupported(i)

    # calls ------------------------------------------------------------------------------------------------
    def op_CALL(self, i: Instr):
        name, args = i.args[0], i.args[1:]
        callee = self.lowering.llvm_functions.get(name)
        if callee is None or self.lowering.functions[name].ret != i.dst.type:
            return self.unsupported(i, f"call of {name}")
        bld = self.builder
        self.fail_if(bld.icmp_signed(">=", self.depth, ir.Constant(I64, MAX_CALL_DEPTH)),
                     "Maximum call depth exceeded", i.span)
        pair = bld.call(callee, [bld.add(self.depth, ir.Constant(I64, 1))] + [self.v(a) for a in args])
        status = bld.extract_value(pair, 1)
        failed = bld.icmp_signed("!=", status, ir.Constant(I32, STATUS_OK))
        self.branch_cold(failed, lambda: self.leave(status))
        return bld.extract_value(pair, 0)

    def op_CALL_KNOWN_METHOD(self, i): return self.unsupported(i)
    def op_EXPECT_INSTANCE(self, i): return self.unsupported(i)
    def op_CALL_METHOD(self, i): return self.unsupported(i)
    def op_CALL_BARE(self, i): return self.unsupported(i)
    def op_FROM_CALL(self, i): return self.unsupported(i)

    # output and exceptions ----------------------------------------------------------------------------
    def op_PRINT(self, i): return self.unsupported(i)
    def op_EXC_VALUE(self, i): return self.unsupported(i)
    def op_RESULT_OK(self, i): return self.unsupported(i)
    def op_RESULT_VALUE(self, i): return self.unsupported(i)

    # terminators ------------------------------------------------------------------------------------------
    def op_JUMP(self, i: Instr):
        target, args = i.targets[0]
        self.pass_args(target, args)
        self.builder.branch(self.blocks[target.id])

    def op_BRANCH(self, i: Instr):
        (then, then_args), (other, other_args) = i.targets
        edges = []
        for target, args in ((then, then_args), (other, other_args)):
            if target is then is other and args:         # one phi cannot tell two edges from one block
                edge = self.builder.function.append_basic_block(f"edge{target.id}")
                edges.append((edge, target, args))
            else:
                self.pass_args(target, args)
                edges.append((self.blocks[target.id], None, None))
        self.builder.cbranch(self.v(i.args[0]), edges[0][0], edges[1][0])
        for edge, target, args in edges:
            if target is not None:
                self.builder.position_at_end(edge)
                self.pass_args(target, args)
                self.builder.branch(self.blocks[target.id])

    def op_RETURN(self, i: Instr):
        self.leave(ir.Constant(I32, STATUS_OK), self.v(i.args[0]))

    def op_THROW(self, i): return self.unsupported(i)
    def op_RETHROW(self, i): return self.unsupported(i)
    def op_RAISE(self, i): return self.unsupported(i)

    def unsupported(self, i: Instr, detail: str = "not in the numeric subset"):
        raise NotLowerable(self.fn.name, i.name, detail)


class FunctionLowering(OpLowering):
    def __init__(self, lowering: ModuleLowering, fn: Function):
        self.lowering = lowering
        self.fn = fn
        self.llfn = lowering.llvm_functions[fn.name]
        self.values: dict[int, object] = {}
        self.phis: dict[int, list] = {}
        self.blocks: dict[int, ir.Block] = {}
        self.result = result_type(lowering.functions[fn.name].ret)

    def emit(self) -> None:
        fn, llfn = self.fn, self.llfn
        entry = llfn.append_basic_block("entry")
        self.entry = ir.IRBuilder(entry)
        self.depth = llfn.args[0]
        for value, arg in zip(fn.params, llfn.args[1:]):
            self.values[value.id] = arg
        order = reverse_postorder(fn.entry)
        for block in order:
            llblock = llfn.append_basic_block(f"bb{block.id}")
            self.blocks[block.id] = llblock
            builder = ir.IRBuilder(llblock)
            self.phis[block.id] = []
            for param in block.params:
                phi = builder.phi(LLVM_TYPES[param.type], name=f"v{param.id}")
                self.values[param.id] = phi
                self.phis[block.id].append(phi)
        self.entry.branch(self.blocks[fn.entry.id])
        for block in order:
            self.builder = ir.IRBuilder(self.blocks[block.id])
            for instr in block.instrs:
                result = getattr(self, "op_" + instr.name)(instr)
                if instr.dst is not None:
                    if result.type != LLVM_TYPES[instr.dst.type]:
                        self.unsupported(instr, f"gives {result.type}, labelled {instr.dst.type}")
                    self.values[instr.dst.id] = result
            if not self.builder.block.is_terminated:
                raise NotLowerable(fn.name, "-", f"bb{block.id} has no terminator")

    def v(self, value: Value):
        return self.values[value.id]

    def as_float(self, value: Value):
        a = self.v(value)
        return self.builder.sitofp(a, F64) if value.type == "int" else a

    def leave(self, status, value=None) -> None:
        """Return (value, status); a failing function's value is a zero never read."""
        if value is None:
            value = ir.Constant(self.result.elements[0], 0)
        pair = self.builder.insert_value(ir.Constant(self.result, ir.Undefined), value, 0)
        self.builder.ret(self.builder.insert_value(pair, status, 1))

    def pass_args(self, target: Block, args: list[Value]) -> None:
        for phi, arg in zip(self.phis[target.id], args):
            phi.add_incoming(self.v(arg), self.builder.block)

    def fail_if(self, condition, message: str, span) -> None:
        """Leave with ERR_RUNTIME and a new position (message, span) when `condition` holds."""
        pos = self.lowering.position(message, span)

        def fail():
            self.builder.store(pos, self.lowering.err_pos)
            self.leave(ir.Constant(I32, ERR_RUNTIME))
        self.branch_cold(condition, fail)

    def branch_cold(self, condition, emit_cold) -> None:
        """if (condition) { emit_cold() } — the builder continues in the fall-through block."""
        cold = self.llfn.append_basic_block("fail")
        cont = self.llfn.append_basic_block("ok")
        self.builder.cbranch(condition, cold, cont).set_weights(ERROR_WEIGHTS)
        self.builder.position_at_end(cold)
        emit_cold()
        self.builder.position_at_end(cont)


def reverse_postorder(entry: Block) -> list[Block]:
    """Blocks reachable from `entry`, each after its dominators (so every use follows its definition)."""
    order, seen, stack = [], {entry.id}, [(entry, iter(entry.successors()))]
    while stack:
        block, succs = stack[-1]
        for succ in succs:
            if succ.id not in seen:
                seen.add(succ.id)
                stack.append((succ, iter(succ.successors())))
                break
        else:
            stack.pop()
            order.append(block)
    return order[::-1]
