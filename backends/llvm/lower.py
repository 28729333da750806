"""MIR module -> one LLVM IR module: every function, the program tables, the entry points.

In: a typed ir.Module (driver.build_mir). Out: `LoweredProgram`: the IR text, the name of the exported
function returning the program table (abi/include/nyrt_exec.h `nyrt_x_program`), and the position table
(position id -> span) that turns a failure's position back into a source span.

Each MIR function becomes one LLVM function (frame.py, ops.py). Calling convention:
    {T, i32} f(i64 depth, [ptr me], params...)          when every RETURN gives an Int, Float or Bool
    i32      f(i64 depth, ptr out, [ptr me], params...)  otherwise (the result, +1, is written through out)
Typed parameters are passed as i64/double/i1, the others as borrowed pointers to nyrt values. The i32 is
a status: 0, or 1 after the failure was recorded in nyrt (nyrt_x_fail*, the pending exception). `depth`
is the depth the function runs at (the VM's `d`); a call site fails with "Maximum call depth exceeded" at
its own position when depth >= 10,000, before the callee would run beyond the limit.
Measured on fib(35): the {T, i32} pair (two registers) ran in 41 ms, an out-pointer for every result 57 ms.

Methods, constructors and static blocks also get a generic entry with the nyrt_x_fn signature for nyrt's
dynamic dispatch (class tables); the top-level code and Main.main get the wrappers the program table
names. Everything is internal except `<prefix>_program` (and `main` in a native build): the prefix is a hash
of the MIR, so different programs never clash in the one JIT engine and an unchanged program gives the same
IR, found in the object cache.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from llvmlite import ir

from nyash_run.diagnostics import caret_line
from nyash_run.mir.ir import Block, Function, Module
from nyash_run.mir.printer import format_function

from .frame import TYPED, label_of
from .nyrt_api import (CLASS, ENTRY, I8, I32, I64, META_INLINE, POSITION, PROGRAM, PTR, TID, VALUE, VOID, box, declare,
                       signed, unbox, value_field)
from .ops import OpLowering
from .unroll import CANDIDATE_SUFFIX

ZERO = ir.Constant(VALUE, None)


@dataclass
class Signature:
    symbol: str
    params: list[str]          # int / float / bool / dyn per parameter (me excluded)
    has_me: bool
    ret: str                   # int / float / bool / dyn
    flagged: bool = False      # quiet convention: plain result, failure in the module's flag (see QUIET_OPS)

    def llvm_type(self) -> ir.FunctionType:
        head = [I64] + ([PTR] if self.ret == "dyn" else []) + ([PTR] if self.has_me else [])
        params = head + [TYPED.get(p, PTR) for p in self.params]
        if self.flagged:
            return ir.FunctionType(TYPED[self.ret], params)
        if self.ret == "dyn":
            return ir.FunctionType(I32, params)
        return ir.FunctionType(ir.LiteralStructType([TYPED[self.ret], I32]), params)


@dataclass
class LoweredProgram:
    ir_text: str
    program_symbol: str                       # exported: ptr <symbol>() returns the nyrt_x_program
    positions: list = field(default_factory=list)     # position id -> Span or None
    exports: dict[str, tuple] = field(default_factory=dict)   # MIR function -> (symbol, Signature)


def lower_program(module: Module, native: bool = False, exports: tuple[str, ...] = (),
                  export_as: str | None = None) -> LoweredProgram:
    """The whole program; `exports` names MIR functions that also get a C entry callable from outside:
        i32 entry(i64 depth, <params>, ptr out)
    (the result stored through out, the status returned; what jit.py calls). `export_as` names the function
    returning the program table (default `<prefix>_program`)."""
    return ProgramLowering(module, native, tuple(exports), export_as).lower()


def program_prefix(module: Module, exports: tuple[str, ...] = ()) -> str:
    text = repr(exports) + "\n".join(format_function(fn) for fn in module.functions.values())
    text += repr(sorted((name, c.fields, sorted(c.methods.items()), sorted(c.constructors.items()), c.static_init,
                         c.is_static) for name, c in module.classes.items()))
    text += repr((module.top, module.main, module.main_entry, module.main_arity, module.file, module.main_span))
    # Spans too: the same MIR from another file, or moved to other lines, must not reuse cached positions.
    text += repr([[(i.span.file, i.span.line, i.span.col) if i.span else None for b in fn.blocks for i in b.instrs]
                  for fn in module.functions.values()])
    return "ny_" + hashlib.sha256(text.encode()).hexdigest()[:16]


_version: str | None = None


def lowering_version() -> str:
    """A hash of the lowering's own source files: cached objects keyed by MIR are invalid once it changes."""
    global _version
    if _version is None:
        from pathlib import Path
        digest = hashlib.sha256()
        for path in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        _version = digest.hexdigest()[:16]
    return _version


# Functions built only of these ops, on Int/Float/Bool values, calling only functions like themselves, use
# the quiet convention: `T f(i64 depth, params)` with no status. A failure records the pending exception in
# nyrt, sets the module's flag `ny.failed` and returns 0; a quiet caller goes on regardless, since nothing it
# does can be observed (no output, no stores), and stops soon: every quiet function returns at once while the
# flag is set, tested on entry and at the top of every block on a cycle. A caller of the other convention
# tests and clears the flag after the call. Measured on fib(35): with a status after every call LLVM cannot
# turn the second recursive call into a loop (2.5x gcc -O2); the quiet form lets it.
QUIET_OPS = frozenset({"CONST", "BINOP", "UNOP", "TRUTHY", "CHECK_BOUND", "JUMP", "BRANCH", "RETURN", "CALL", "RAISE"})


def quiet_functions(module: Module) -> set[str]:
    """The functions that may use the quiet convention (the greatest set closed under their calls)."""
    def typed_only(fn: Function) -> bool:
        if fn.kind != "function" or fn.self_value is not None or result_label(fn) not in TYPED:
            return False
        values = list(fn.params) + [p for b in fn.blocks for p in b.params]
        values += [i.dst for b in fn.blocks for i in b.instrs if i.dst is not None]
        return all(label_of(v) in TYPED for v in values) and all(
            b.handler is None and all(i.name in QUIET_OPS for i in b.instrs) for b in fn.blocks)
    quiet = {name for name, fn in module.functions.items() if typed_only(fn)}
    changed = True
    while changed:
        changed = False
        for name in sorted(quiet):
            calls = {i.args[0] for b in module.functions[name].blocks for i in b.instrs if i.name == "CALL"}
            if not calls <= quiet:
                quiet.discard(name)
                changed = True
    return quiet


MAX_UNROLLED_INSTRS = 40


def unrolls(fn: Function) -> bool:
    """A small quiet function that calls itself is inlined into itself after TRE (unroll.py)."""
    instrs = [i for b in fn.blocks for i in b.instrs]
    return len(instrs) <= MAX_UNROLLED_INSTRS and any(i.name == "CALL" and i.args[0] == fn.name for i in instrs)


def result_label(fn: Function) -> str:
    labels = {label_of(i.args[0]) for b in fn.blocks for i in b.instrs if i.name == "RETURN"}
    return labels.pop() if len(labels) == 1 and labels <= TYPED.keys() else "dyn"


class ProgramLowering:
    def __init__(self, module: Module, native: bool, exports: tuple[str, ...] = (), export_as: str | None = None):
        self.module = module
        self.export_as = export_as
        self.native = native
        self.exports = exports
        self.prefix = program_prefix(module, exports)
        self.ir = ir.Module(name=self.prefix)
        self.class_index = {name: index for index, name in enumerate(module.classes)}
        self.names: list[str] = []
        self._name_ids: dict[str, int] = {}
        self.positions: list = []
        self._position_ids: dict = {}
        self._cstrings: dict[str, ir.GlobalVariable] = {}
        self._string_slots: dict[str, ir.GlobalVariable] = {}
        self.globals: dict[str, ir.GlobalVariable] = {}
        self._field_tables: dict[str, ir.GlobalVariable] = {}
        # The class table is referred to by field lookups while functions are lowered; its contents come last.
        self.classes_global = ir.GlobalVariable(self.ir, ir.ArrayType(CLASS, max(1, len(module.classes))), "classes")
        self.classes_global.linkage, self.classes_global.global_constant = "internal", True
        self.signatures: dict[str, Signature] = {}
        self.llvm_functions: dict[str, ir.Function] = {}
        self.retain_fn = self._refcount_helper("ny.retain", "nyrt_x_retain_v")
        self.release_fn = self._refcount_helper("ny.release", "nyrt_x_release_v")
        self.memset = self.ir.declare_intrinsic("llvm.memset", [PTR, I64])
        self.failed_flag = ir.GlobalVariable(self.ir, I32, "ny.failed")
        self.failed_flag.linkage, self.failed_flag.initializer = "internal", ir.Constant(I32, 0)
        quiet = quiet_functions(module)
        unrolled = {name for name in quiet if unrolls(module.functions[name])}
        for index, (name, fn) in enumerate(module.functions.items()):
            symbol = f"{self.prefix}.f{index}" + (CANDIDATE_SUFFIX if name in unrolled else "")
            sig = Signature(symbol, [label_of(p) for p in fn.params], fn.self_value is not None,
                            result_label(fn), name in quiet)
            llfn = ir.Function(self.ir, sig.llvm_type(), sig.symbol)
            llfn.linkage = "internal"
            self.signatures[name], self.llvm_functions[name] = sig, llfn

    # ---- program-wide tables --------------------------------------------------------------------------
    def name_id(self, name: str) -> int:
        if name not in self._name_ids:
            self._name_ids[name] = len(self.names)
            self.names.append(name)
        return self._name_ids[name]

    def position(self, span) -> int:
        key = (span.file, span.line, span.col) if span is not None else None
        if key not in self._position_ids:
            self._position_ids[key] = len(self.positions)
            self.positions.append(span)
        return self._position_ids[key]

    def cstring(self, text: str) -> ir.GlobalVariable:
        """A NUL-terminated constant (a pointer to its first byte)."""
        found = self._cstrings.get(text)
        if found is None:
            data = text.encode("utf-8") + b"\0"
            ty = ir.ArrayType(I8, len(data))
            found = ir.GlobalVariable(self.ir, ty, f"str.{len(self._cstrings)}")
            found.global_constant, found.linkage, found.initializer = True, "internal", ir.Constant(ty, bytearray(data))
            found.unnamed_addr = True
            self._cstrings[text] = found
        return found

    def string_constant(self, builder: ir.IRBuilder, text: str):
        """A slot holding the String `text` (an immortal String made on first use)."""
        slot = self._string_slots.get(text)
        if slot is None:
            slot = ir.GlobalVariable(self.ir, VALUE, f"lit.{len(self._string_slots)}")
            slot.linkage, slot.initializer = "internal", ZERO
            self._string_slots[text] = slot
        tid = builder.load(value_field(builder, slot, 0), typ=I64)
        with builder.if_then(builder.icmp_unsigned("==", tid, ir.Constant(I64, 0)), likely=False):
            builder.call(declare(self.ir, "nyrt_x_intern"),
                         [self.cstring(text), ir.Constant(I64, len(text.encode("utf-8"))), slot])
        return slot

    def global_slot(self, name: str) -> ir.GlobalVariable:
        slot = self.globals.get(name)
        if slot is None:
            slot = ir.GlobalVariable(self.ir, VALUE, f"global.{len(self.globals)}")
            slot.linkage, slot.initializer = "internal", ZERO
            self.globals[name] = slot
        return slot

    def field_index(self, label, name: str) -> int | None:
        """The index of field `name` in every instance a value labelled `label` can be, if it is fixed."""
        if not label or not label.startswith(("self:", "box:")):
            return None
        cls = label.split(":", 1)[1]
        info = self.module.classes.get(cls)
        if info is None or name not in info.fields:
            return None
        index = info.fields.index(name)
        for other in self.module.classes.values():
            if cls in self.ancestors(other.name) and (name not in other.fields or other.fields.index(name) != index):
                return None
        return index

    def declares_field(self, name: str) -> bool:
        return any(name in info.fields for info in self.module.classes.values())

    def field_table(self, name: str) -> ir.GlobalVariable:
        """i32[class index]: where field `name` is in each class's instances, -1 where it is not declared."""
        table = self._field_tables.get(name)
        if table is None:
            values = [info.fields.index(name) if name in info.fields else -1 for info in self.module.classes.values()]
            ty = ir.ArrayType(I32, len(values))
            table = ir.GlobalVariable(self.ir, ty, f"fields.{len(self._field_tables)}")
            table.linkage, table.global_constant, table.initializer = "internal", True, ir.Constant(ty, values)
            self._field_tables[name] = table
        return table

    def ancestors(self, name: str) -> set[str]:
        seen, stack = set(), list(self.module.classes[name].parents)
        while stack:
            parent = stack.pop()
            if parent not in seen and parent in self.module.classes:
                seen.add(parent)
                stack.extend(self.module.classes[parent].parents)
        return seen

    # ---- calls ------------------------------------------------------------------------------------------
    def emit_call(self, builder: ir.IRBuilder, name: str, depth, out, me, params: list, quiet_caller: bool = False,
                  wrapper: bool = False):
        """Call MIR function `name`; (typed result or None, status). A `wrapper` (generic entry, export,
        program entry) never gets the callee inlined: that would only duplicate its code."""
        sig = self.signatures[name]
        args = [depth] + ([out] if sig.ret == "dyn" else []) + ([me] if sig.has_me else []) + params
        result = builder.call(self.llvm_functions[name], args, attrs=("noinline",) if wrapper else ())
        if sig.flagged:
            if quiet_caller:
                return result, ir.Constant(I32, 0)
            status = builder.load(self.failed_flag, typ=I32)
            builder.store(ir.Constant(I32, 0), self.failed_flag)
            return result, status
        if sig.ret == "dyn":
            return None, result
        return builder.extract_value(result, 0), builder.extract_value(result, 1)

    def _refcount_helper(self, name: str, nyrt_name: str) -> ir.Function:
        """void (value): retain/release inline, the value passed in registers (so the slot it came from
        stays promotable); only values that are neither inline nor empty reach nyrt."""
        fn = ir.Function(self.ir, ir.FunctionType(VOID, [VALUE]), name)
        fn.linkage = "internal"
        fn.attributes.add("alwaysinline")
        bld = ir.IRBuilder(fn.append_basic_block("entry"))
        value = fn.args[0]
        fields = [bld.extract_value(value, k) for k in range(3)]
        inline = bld.icmp_unsigned("!=", bld.and_(fields[2], ir.Constant(I64, META_INLINE)), ir.Constant(I64, 0))
        empty = bld.icmp_unsigned("==", fields[0], ir.Constant(I64, 0))
        # An Int is always inline too; testing its type id as well lets LLVM drop the test on the paths
        # where an Int guard already fixed the type (the metadata alone is never known there).
        an_int = bld.icmp_unsigned("==", fields[0], ir.Constant(I64, signed(TID["int"])))
        with bld.if_then(bld.not_(bld.or_(bld.or_(an_int, inline), empty)), likely=False):
            bld.call(declare(self.ir, nyrt_name), fields)
        bld.ret_void()
        return fn

    # ---- the whole program ------------------------------------------------------------------------------
    def lower(self) -> LoweredProgram:
        for name, fn in self.module.functions.items():
            FunctionLowering(self, fn, self.llvm_functions[name]).emit()
        program = self.emit_tables()
        accessor = ir.Function(self.ir, ir.FunctionType(PTR, []), self.export_as or f"{self.prefix}_program")
        ir.IRBuilder(accessor.append_basic_block("entry")).ret(program)
        if self.native:
            self.emit_native_main(program)
        exports = {name: (self.export_entry(name, index).name, self.signatures[name])
                   for index, name in enumerate(self.exports)}
        return LoweredProgram(str(self.ir), accessor.name, self.positions, exports)

    def export_entry(self, name: str, index: int) -> ir.Function:
        """i32 (i64 depth, [ptr me], params..., ptr out): MIR function `name` callable from outside."""
        sig = self.signatures[name]
        head = [I64] + ([PTR] if sig.has_me else [])
        fn = ir.Function(self.ir, ir.FunctionType(I32, head + [TYPED.get(p, PTR) for p in sig.params] + [PTR]),
                         f"{self.prefix}_x{index}")
        bld = ir.IRBuilder(fn.append_basic_block("entry"))
        args = list(fn.args)
        me = args[1] if sig.has_me else None
        params = args[len(head):-1]
        value, status = self.emit_call(bld, name, args[0], args[-1], me, params, wrapper=True)
        if value is not None:
            bld.store(value, args[-1])
        bld.ret(status)
        return fn

    def generic_entry(self, name: str) -> ir.Function:
        """i32 (i64 depth, ptr me, ptr args, ptr out): MIR function `name` for nyrt's dispatch."""
        sig = self.signatures[name]
        existing = self.ir.globals.get(sig.symbol + ".generic")
        if existing is not None:
            return existing
        fn = ir.Function(self.ir, ir.FunctionType(I32, [I64, PTR, PTR, PTR]), sig.symbol + ".generic")
        fn.linkage = "internal"
        depth, me, args, out = fn.args
        bld = ir.IRBuilder(fn.append_basic_block("entry"))
        params = []
        for index, label in enumerate(sig.params):
            item = bld.gep(args, [ir.Constant(I64, index)], source_etype=VALUE)
            params.append(item if label == "dyn" else unbox(bld, item, label))
        value, status = self.emit_call(bld, name, depth, out, me if sig.has_me else None, params, wrapper=True)
        if value is not None:
            box(bld, value, sig.ret, out)
        bld.ret(status)
        return fn

    def emit_tables(self) -> ir.GlobalVariable:
        module = self.module
        classes = [self.class_constant(info) for info in module.classes.values()]
        top = self.top_wrapper()
        main = self.main_wrapper() if module.main is not None else ir.Constant(PTR, None)
        main_pos = self.position(module.main_span)
        names = self.array_constant("names", PTR, [self.cstring(n) for n in self.names])
        positions = self.array_constant("positions", POSITION, [self.position_constant(s) for s in self.positions])
        class_type = self.classes_global.value_type
        self.classes_global.initializer = ir.Constant(class_type, classes or [ir.Constant(CLASS, None)])
        fields = [ir.Constant(I64, len(classes)), self.classes_global,
                  ir.Constant(I64, len(self.names)), names, ir.Constant(I64, len(self.positions)), positions,
                  top, main, ir.Constant(I64, self.class_index.get("Main", -1) if module.main else -1),
                  ir.Constant(I64, module.main_arity), ir.Constant(I64, main_pos), self.cstring(module.file or "")]
        return self.constant_global("program", PROGRAM, ir.Constant(PROGRAM, fields))

    def class_constant(self, info) -> ir.Constant:
        methods = [ir.Constant(ENTRY, [ir.Constant(I64, self.name_id(m)),
                                       ir.Constant(I64, len(self.module.functions[f].params)), self.generic_entry(f)])
                   for m, f in info.methods.items()]
        ctors = [ir.Constant(ENTRY, [ir.Constant(I64, -1), ir.Constant(I64, arity), self.generic_entry(f)])
                 for arity, f in sorted(info.constructors.items())]
        fields = [self.cstring(f) for f in info.fields]
        init = self.generic_entry(info.static_init) if info.static_init else ir.Constant(PTR, None)
        return ir.Constant(CLASS, [self.cstring(info.name), ir.Constant(I64, int(info.is_static)),
                                   ir.Constant(I64, len(fields)), self.array_constant("fields", PTR, fields),
                                   ir.Constant(I64, len(methods)), self.array_constant("methods", ENTRY, methods),
                                   ir.Constant(I64, len(ctors)), self.array_constant("ctors", ENTRY, ctors), init])

    def position_constant(self, span) -> ir.Constant:
        if span is None:
            return ir.Constant(POSITION, [ir.Constant(PTR, None), ir.Constant(PTR, None)])
        text = self.module.sources.line(span.file, span.line) if self.module.sources is not None else None
        context = self.cstring(f"{text}\n{caret_line(text, span.col)}") if text is not None else ir.Constant(PTR, None)
        return ir.Constant(POSITION, [self.cstring(f"{span.file}:{span.line}:{span.col}"), context])

    def array_constant(self, name: str, ty, items: list):
        if not items:
            return ir.Constant(PTR, None)
        array_type = ir.ArrayType(ty, len(items))
        return self.constant_global(name, array_type, ir.Constant(array_type, items))

    def constant_global(self, name: str, ty, value) -> ir.GlobalVariable:
        var = ir.GlobalVariable(self.ir, ty, self.ir.get_unique_name(f"{name}"))
        var.global_constant, var.linkage, var.initializer = True, "internal", value
        return var

    def top_wrapper(self) -> ir.Function:
        """i32 (ptr out): every global emptied (a second run in one process starts fresh), then the top level."""
        fn = ir.Function(self.ir, ir.FunctionType(I32, [PTR]), f"{self.prefix}.top")
        fn.linkage = "internal"
        bld = ir.IRBuilder(fn.append_basic_block("entry"))
        for slot in self.globals.values():
            bld.call(self.release_fn, [bld.load(slot, typ=VALUE)])
            bld.store(ZERO, slot)
        self.call_into(bld, self.module.top, ir.Constant(I64, 0), None, [], fn.args[0])
        return fn

    def main_wrapper(self) -> ir.Function:
        """i32 (ptr me, ptr args, ptr out): Main.main (its specialisation for the entry call) at depth 1."""
        fn = ir.Function(self.ir, ir.FunctionType(I32, [PTR, PTR, PTR]), f"{self.prefix}.main")
        fn.linkage = "internal"
        bld = ir.IRBuilder(fn.append_basic_block("entry"))
        me, args, out = fn.args
        name = self.module.main_entry or self.module.main
        params = [args] if self.signatures[name].params else []
        self.call_into(bld, name, ir.Constant(I64, 1), me, params, out)
        return fn

    def call_into(self, bld, name: str, depth, me, params, out) -> None:
        value, status = self.emit_call(bld, name, depth, out, me, params, wrapper=True)
        if value is not None:
            box(bld, value, self.signatures[name].ret, out)
        bld.ret(status)

    def emit_native_main(self, program) -> None:
        fn = ir.Function(self.ir, ir.FunctionType(I32, [I32, PTR]), "main")
        bld = ir.IRBuilder(fn.append_basic_block("entry"))
        bld.ret(bld.call(declare(self.ir, "nyrt_x_native_main"), [program, fn.args[0], fn.args[1]]))


class FunctionLowering(OpLowering):
    def emit(self) -> None:
        fn, args = self.fn, list(self.llfn.args)
        index = 2 if self.sig.ret == "dyn" else 1
        if fn.self_value is not None:
            self.values[fn.self_value.id] = args[index]
            index += 1
        for param, arg in zip(fn.params, args[index:]):
            self.values[param.id] = arg
        self.local_slots = [self.owned_slot(f"s{k}") for k in range(len(fn.slots))]
        order = reverse_postorder(fn.entry)
        for block in order:
            self.blocks[block.id] = self.llfn.append_basic_block(f"bb{block.id}")
            for param in block.params:
                label = label_of(param)
                self.param_slots[param.id] = self.alloca(TYPED[label]) if label != "dyn" else self.slot_of(param)
            for instr in block.instrs:               # every slot exists before any release names it
                if instr.dst is not None and self.tracked(instr.dst):
                    self.slot_of(instr.dst)
        start = self.llfn.append_basic_block("start")
        self.builder = ir.IRBuilder(start)
        self.poll_failed()
        if fn.guarded_entry is not None:
            self.guarded_entry(*fn.guarded_entry)
        self.builder.branch(self.blocks[fn.entry.id])
        for block in order:
            self.emit_block(block)
        self.mir_block = None
        self.emit_exit()
        self.finish_slots()
        self.entry.branch(start)

    def emit_block(self, block: Block) -> None:
        self.mir_block = block
        self.builder = ir.IRBuilder(self.blocks[block.id])
        if block.id in self.in_cycle:
            self.poll_failed()
        for param in block.params:
            slot = self.param_slots[param.id]
            label = label_of(param)
            self.values[param.id] = slot if label == "dyn" else self.builder.load(slot, typ=TYPED[label])
        self.drop(self.deaths.on_entry[block.id])
        for instr, dying in zip(block.instrs, self.deaths.after[block.id]):
            self.reset_temps()
            self.dying = set(dying)
            getattr(self, "op_" + instr.name)(instr)
            self.drop(sorted(self.dying))
        if not self.builder.block.is_terminated:
            raise AssertionError(f"{self.fn.name}: bb{block.id} has no terminator")

    def guarded_entry(self, target: str, kinds) -> None:
        """Enter the specialisation `target` when the dynamic parameters have the kinds it was made for."""
        bld = self.builder
        tests = []
        for param, kind in zip(self.fn.params, kinds):
            if kind in TYPED and label_of(param) == "dyn":
                tid = bld.load(value_field(bld, self.v(param), 0), typ=I64)
                tests.append(bld.icmp_unsigned("==", tid, ir.Constant(I64, signed(TID[kind]))))
        if not tests:
            return
        matches = tests[0]
        for test in tests[1:]:
            matches = bld.and_(matches, test)
        with bld.if_then(matches):
            callee = self.program.signatures[target]
            params = []
            for param, label in zip(self.fn.params, callee.params):
                params.append(self.v(param) if label_of(param) == label else unbox(bld, self.v(param), label))
            me = self.v(self.fn.self_value) if self.fn.self_value is not None else None
            out = self.llfn.args[1] if self.sig.ret == "dyn" else self.alloca(VALUE, "gout")
            value, status = self.program.emit_call(bld, target, self.depth, out, me, params)
            if self.sig.ret == "dyn":
                if value is not None:
                    box(bld, value, callee.ret, out)
                bld.ret(status)
            else:
                result = value if callee.ret == self.sig.ret else unbox(bld, out, self.sig.ret)
                self.leave(status, result)


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
