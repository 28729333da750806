"""MIR -> Python source: one Python function per MIR function, compiled together as one module.

In: an ir.Module (verified; types annotated when mir.types ran). Out: `Source`, the text plus a table from
each generated line to the span of the MIR instruction it runs (used by support.locate).

Why generated Python: it was measured against a register-VM dispatch loop; CPython runs straight-line
source with local variables several times faster than any interpreter loop written in Python (see the VM
notes in README). Control flow is rebuilt from the structure hints the builder leaves (join blocks, loop
exits): `if`/`else`, `while True` with `break`/`continue`. A function with exception handlers, or whose CFG
does not fit that shape, becomes a block-dispatch loop instead (`dispatch.py`), which handles any CFG.

Every op has an `op_<NAME>` method here; a test checks none is missing.
"""
from __future__ import annotations

import math

from nyash_run.mir.ir import UNBOUND, Block, Function, Instr, Module, Value
from nyash_run.runtime.methods import lookup_method
from nyash_run.runtime.values import NULL, ArrayBox, ConsoleBox, MapBox, MathBox, ResultBox
from .support import MAX_CALL_DEPTH, SKIP

PY_TYPES = {"int": "int", "float": "float"}
INT_ARITH = {"+", "-", "*"}
NUMERIC = ("int", "float")
COMPARE = {"<", "<=", ">", ">=", "==", "!="}
I64_CHECK = "-9223372036854775808 <= {0} <= 9223372036854775807"


class StructureError(Exception):
    """The CFG cannot be written with if/while here; the caller falls back to block dispatch."""


class Source:
    """Generated lines with the span each line reports errors at."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.spans: dict[int, object] = {}
        self.constants: dict[str, object] = {}

    def add(self, indent: int, text: str, span=None) -> None:
        self.lines.append("    " * indent + text)
        if span is not None:
            self.spans[len(self.lines)] = span

    def constant(self, value) -> str:
        name = f"K{len(self.constants)}"
        self.constants[name] = value
        return name

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def py_name(fn_name: str, index: int) -> str:
    return f"F{index}"


def value_name(value: Value) -> str:
    return f"v{value.id}"


class OpLowering:
    """One method per MIR op: the Python lines for one instruction (typed fast paths where known)."""

    def __init__(self, source: Source, fn_names: dict[str, str], classes: dict | None = None):
        self.src = source
        self.fn_names = fn_names
        self.classes = classes or {}
        self.const_text: dict[int, str] = {}
        self.inlined: dict[int, Instr] = {}

    def lines(self, instr: Instr) -> list[str]:
        if instr.dst is not None and (instr.dst.id in self.inlined or
                                      (instr.name == "CONST" and instr.dst.id in self.const_text)):
            return []
        return getattr(self, "op_" + instr.name)(instr)

    def start_function(self, fn: Function) -> None:
        """Constants are written in place of the values that hold them (`n - 1`, not `n - v4`), and so
        is a non-raising typed expression read once, later in its own block (`if v0 < 2:`)."""
        self.const_text = {}
        self.inlined: dict[int, Instr] = {}
        for block in fn.blocks:
            for instr in block.instrs:
                if instr.name == "CONST" and _inline_literal(instr.args[0]):
                    text = repr(instr.args[0])
                    self.const_text[instr.dst.id] = f"({text})" if text.startswith("-") else text
        uses: dict[int, int] = {}
        for block in fn.blocks:
            for instr in block.instrs:
                for value in instr.uses():
                    uses[value.id] = uses.get(value.id, 0) + 1
        for block in fn.blocks:
            local_uses: dict[int, int] = {}
            for instr in reversed(block.instrs):
                for value in instr.uses():
                    local_uses[value.id] = local_uses.get(value.id, 0) + 1
                dst = instr.dst
                if dst is not None and uses.get(dst.id) == 1 == local_uses.get(dst.id):
                    if self.pure_expression(instr) is not None:
                        self.inlined[dst.id] = instr

    def v(self, value: Value) -> str:
        instr = self.inlined.get(value.id)
        if instr is not None:
            return self.pure_expression(instr)
        return self.const_text.get(value.id) or value_name(value)

    def literal(self, value) -> str:
        if value is None or type(value) in (bool, str) or (type(value) is int):
            return repr(value)
        if value is NULL:
            return "NULL"
        if value is UNBOUND:
            return "UNBOUND"
        return self.src.constant(value)        # floats (nan, inf, -0.0 have no plain literal)

    def pure_expression(self, i: Instr) -> str | None:
        """The instruction as an expression when, given its operand types, it cannot raise."""
        if i.name == "BINOP":
            op, lhs, rhs = i.args
            kinds = (lhs.type, rhs.type)
            numeric = lhs.type in NUMERIC and rhs.type in NUMERIC
            if op in COMPARE and (numeric or kinds == ("string", "string")):
                return f"({self.v(lhs)} {op} {self.v(rhs)})" if kinds != ("int", "float") and \
                    kinds != ("float", "int") else None
            if op in INT_ARITH and kinds == ("float", "float"):
                return f"({self.v(lhs)} {op} {self.v(rhs)})"
        if i.name == "TRUTHY" and i.args[0].type in ("bool", "int"):
            a = self.v(i.args[0])
            return a if i.args[0].type == "bool" else f"({a} != 0)"
        if i.name == "UNOP" and i.args[0] == "not" and i.args[1].type == "bool":
            return f"(not {self.v(i.args[1])})"
        return None

    # values and operators ------------------------------------------------------------------------------
    def op_CONST(self, i):
        return [f"{value_name(i.dst)} = {self.literal(i.args[0])}"]

    def op_BINOP(self, i):
        op, lhs, rhs = i.args
        d, a, b = value_name(i.dst), self.v(lhs), self.v(rhs)
        kinds = (lhs.type, rhs.type)
        if kinds == ("int", "int"):
            return self.int_binop(op, d, a, b, rhs)
        if lhs.type in NUMERIC and rhs.type in NUMERIC and (op in COMPARE or op in INT_ARITH):
            # at least one Float: Ints convert first (§6.4); + - * never raise on floats
            fa = a if lhs.type == "float" else f"float({a})"
            fb = b if rhs.type == "float" else f"float({b})"
            return [f"{d} = {fa} {op} {fb}"]
        if kinds == ("string", "string") and op in ("+", "==", "!=", "<", "<=", ">", ">="):
            return [f"{d} = {a} {op} {b}"]
        generic = f"{d} = {BINOP_FUNCS[op]}({a}, {b})"
        guards = [f"type({x}) is int" for x, kind in ((a, lhs.type), (b, rhs.type)) if kind == "dyn"]
        if guards and all(k in ("int", "dyn") for k in kinds) and op in INT_ARITH | COMPARE | {"/", "%"}:
            # values of unknown type are usually Ints here: test for that, else take the runtime path
            fast = self.int_binop(op, d, a, b, rhs)
            return [f"if {' and '.join(guards)}:"] + ["    " + line for line in fast] + ["else:", "    " + generic]
        return [generic]

    def int_binop(self, op: str, d: str, a: str, b: str, rhs: Value) -> list[str]:
        if op in INT_ARITH:
            return [f"{d} = {a} {op} {b}", f"if {self.overflow_test(op, d, rhs)}: {d} = wrap({d})"]
        if op in COMPARE:
            return [f"{d} = {a} {op} {b}"]
        divisor = self.const_text.get(rhs.id)
        if divisor is not None and divisor.isdigit() and int(divisor) > 0:
            # truncating division and remainder with the dividend's sign (§6.3); no zero to check
            py = "//" if op == "/" else "%"
            return [f"{d} = {a} {py} {b} if {a} >= 0 else -(-{a} {py} {b})"]
        return [f"{d} = {BINOP_FUNCS[op]}({a}, {b})"]

    def overflow_test(self, op: str, d: str, rhs: Value) -> str:
        """Adding or subtracting a small constant can only leave the i64 range on one side."""
        text = self.const_text.get(rhs.id)
        step = int(text) if text is not None and text.lstrip("-").isdigit() else None
        if step is not None and op in "+-" and abs(step) < 2**32:
            upward = (step > 0) == (op == "+")
            return f"{d} > 9223372036854775807" if upward else f"{d} < -9223372036854775808"
        return f"not ({I64_CHECK.format(d)})"

    def op_UNOP(self, i):
        op, operand = i.args
        d, a = value_name(i.dst), self.v(operand)
        if op == "-" and operand.type == "int":
            return [f"{d} = -{a}", f"if {d} == 9223372036854775808: {d} = -{d}"]
        if op == "-" and operand.type == "float":
            return [f"{d} = -{a}"]
        if op == "not" and operand.type == "bool":
            return [f"{d} = not {a}"]
        return [f"{d} = {'neg' if op == '-' else 'not_'}({a})"]

    def op_TRUTHY(self, i):
        (value,) = i.args
        d, a = value_name(i.dst), self.v(value)
        fast = {"bool": a, "int": f"{a} != 0", "string": f"{a} != ''"}.get(value.type)
        if fast is not None:
            return [f"{d} = {fast}"]
        if value.type == "void":
            return [f"{d} = False"]
        if value.type not in ("dyn", None, "exc"):      # null, Float, boxes: always truthy (§6.2)
            return [f"{d} = True"]
        return [f"{d} = truthy({a})"]

    def op_CHECK_BOUND(self, i):
        name, value = i.args
        if value.id in self.const_text:     # a constant is bound by definition
            return [f"{value_name(i.dst)} = {self.v(value)}"]
        return [f"if {self.v(value)} is UNBOUND: raise undefined({name!r})", f"{value_name(i.dst)} = {self.v(value)}"]

    # variables -------------------------------------------------------------------------------------------
    def op_GET_NAME(self, i):
        return [f"{value_name(i.dst)} = get_name(d, {i.args[0]!r})"]

    def op_GET_GLOBAL_SOFT(self, i):
        return [f"{value_name(i.dst)} = GLOBALS.get({i.args[0]!r})"]

    def op_SET_GLOBAL(self, i):
        return [f"GLOBALS[{i.args[0]!r}] = {self.v(i.args[1])}"]

    def op_LOCAL_GET(self, i):
        return [f"{value_name(i.dst)} = s{i.args[0]}"]

    def op_LOCAL_SET(self, i):
        return [f"s{i.args[0]} = {self.v(i.args[1])}"]

    # objects ---------------------------------------------------------------------------------------------
    def op_SINGLETON(self, i):
        return [f"{value_name(i.dst)} = singleton(d, CLASSES[{i.args[0]!r}])"]

    def declared_field(self, obj: Value, name: str) -> str | None:
        """'sure' when obj is surely an instance whose box declares `name` (so the slot exists),
        'maybe' when it is that or void/null, else None."""
        kinds = obj.kinds or frozenset({obj.type or "dyn"})
        boxes = [k for k in kinds if k.startswith(("box:", "self:"))]
        if len(boxes) != 1 or not kinds - set(boxes) <= {"void", "null"}:
            return None
        info = self.classes.get(boxes[0].split(":", 1)[1])
        if info is None or name not in info.fields:
            return None
        return "sure" if len(kinds) == 1 else "maybe"

    def op_GET_FIELD(self, i):
        name, obj = i.args
        o, d = self.v(obj), value_name(i.dst)
        certainty = self.declared_field(obj, name)
        if certainty == "sure":
            return [f"{d} = {o}.fields[{name!r}]"]
        if certainty == "maybe":
            return [f"{d} = {o}.fields[{name!r}] if type({o}) is Instance else get_field({o}, {name!r})"]
        return [f"{d} = get_field({o}, {name!r})"]

    def op_SET_FIELD(self, i):
        name, obj, value = i.args
        if self.declared_field(obj, name) == "sure":
            return [f"{self.v(obj)}.fields[{name!r}] = {self.v(value)}"]
        return [f"set_field({self.v(obj)}, {name!r}, {self.v(value)})"]

    def op_NEW(self, i):
        return [f"{value_name(i.dst)} = new_object(d, {i.args[0]!r}, [{self.args(i.args[1:])}])"]

    def op_CONSTRUCT(self, i):
        box, ctor, args = i.args[0], i.args[1], i.args[2:]
        d = value_name(i.dst)
        lines = [f"{d} = alloc({box!r})"]
        if ctor:
            lines.append(f"{self.fn_names[ctor]}(d + 1, {d}{''.join(', ' + self.v(a) for a in args)})")
        return lines

    def op_MAKE_RESULT(self, i):
        ok, value = i.args
        return [f"{value_name(i.dst)} = ResultBox({ok!r}, {self.v(value)})"]

    # calls -----------------------------------------------------------------------------------------------
    def args(self, values) -> str:
        return ", ".join(self.v(a) for a in values)

    def op_CALL(self, i):
        target = self.fn_names[i.args[0]]
        rest = self.args(i.args[1:])
        return [f"{value_name(i.dst)} = {target}(d + 1{', ' + rest if rest else ''})"]

    def op_CALL_KNOWN_METHOD(self, i):
        target = self.fn_names[i.args[0]]
        return [f"{value_name(i.dst)} = {target}(d + 1, {self.args(i.args[1:])})"]

    def op_EXPECT_INSTANCE(self, i):
        name, value = i.args
        v = self.v(value)
        return [f"if type({v}) is not Instance: call_method(d, {v}, {name!r}, [])", f"{value_name(i.dst)} = {v}"]

    def op_CALL_METHOD(self, i):
        name, recv, args = i.args[0], i.args[1], i.args[2:]
        d = value_name(i.dst)
        inline = inline_method(recv.type, name, d, self.v(recv), [self.v(a) for a in args], [a.type for a in args])
        if inline is not None:
            return inline
        method = builtin_method_for(recv.type, name, len(args))
        if method is not None and method.direct_call_ok([a.type or "dyn" for a in args]):
            # receiver and argument types known: call the implementation itself, no checks needed
            rest = "".join(", " + self.v(a) for a in args)
            return [f"{d} = {self.src.constant(method.fn)}({self.v(recv)}{rest})"]
        if method is not None:      # the receiver's type is known: skip the dispatch on it
            return [f"{d} = {self.src.constant(method)}.invoke({self.v(recv)}, [{self.args(args)}])"]
        return [f"{d} = call_method(d, {self.v(recv)}, {name!r}, [{self.args(args)}])"]

    def op_CALL_BARE(self, i):
        name, me, fvar = i.args[:3]
        return [f"{value_name(i.dst)} = call_bare(d, {name!r}, {self.v(me)}, {self.v(fvar)}, "
                f"[{self.args(i.args[3:])}])"]

    def op_FROM_CALL(self, i):
        parent, name, me = i.args[:3]
        return [f"{value_name(i.dst)} = from_call(d, {parent!r}, {name!r}, {self.v(me)}, [{self.args(i.args[3:])}])"]

    # output and exceptions -------------------------------------------------------------------------------
    def op_PRINT(self, i):
        return [f"write(display({self.v(i.args[0])}) + '\\n')"]

    def op_EXC_VALUE(self, i):
        return [f"{value_name(i.dst)} = exc_value({self.v(i.args[0])})"]

    def op_RESULT_OK(self, i):
        return [f"{value_name(i.dst)} = result_ok({self.v(i.args[0])})"]

    def op_RESULT_VALUE(self, i):
        return [f"{value_name(i.dst)} = {self.v(i.args[0])}.value"]

    # terminators (control transfer itself is written by the emitters) -------------------------------
    def op_JUMP(self, i):
        return []

    def op_BRANCH(self, i):
        return []

    def op_RETURN(self, i):
        return [f"return {self.v(i.args[0])}"]

    def op_THROW(self, i):
        return [f"raise throw_error({self.v(i.args[0])}, {self.src.constant(i.span)})"]

    def op_RETHROW(self, i):
        return [f"raise {self.v(i.args[0])}"]

    def op_RAISE(self, i):
        return [f"raise NyashRuntimeError({i.args[0]!r})"]


PY_TYPE_OF_KIND = {"string": str, "int": int, "float": float, "bool": bool, "array": ArrayBox, "argv": ArrayBox,
                   "map": MapBox,
                   "result": ResultBox, "console": ConsoleBox, "math": MathBox}


def builtin_method_for(kind: str, name: str, argc: int):
    """The runtime Method a call on a receiver of this kind reaches, when its argument count is right."""
    py_type = PY_TYPE_OF_KIND.get(kind)
    method = lookup_method(py_type, name) if py_type is not None else None
    if method is None or not method.min_args <= argc <= method.max_args:
        return None
    return method


def inline_method(kind, name, d, recv, args, arg_kinds) -> list[str] | None:
    """ArrayBox's hottest methods written in place (same results as runtime/containers.py)."""
    if kind == "string" and name in ("length", "size", "len") and not args:
        return [f"{d} = len({recv}) if {recv}.isascii() else len({recv}.encode())"]
    if kind not in ("array", "argv"):
        return None
    if name in ("length", "size", "len") and not args:
        return [f"{d} = len({recv}.items)"]
    if name == "push" and len(args) == 1:
        return [f"{recv}.items.append({args[0]})", f"{d} = 'ok'"]
    if name == "get" and len(args) == 1 and arg_kinds[0] == "int":
        return [f"_t = {recv}.items", f"{d} = _t[{args[0]}] if 0 <= {args[0]} < len(_t) else NULL"]
    if name == "set" and len(args) == 2 and arg_kinds[0] == "int":
        i, value = args
        return [f"_t = {recv}.items", f"if 0 <= {i} < len(_t):", f"    _t[{i}] = {value}", f"    {d} = 'ok'",
                "else:", f"    {d} = 'Error: index out of bounds'"]
    return None


BINOP_FUNCS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "<": "lt", "<=": "le", ">": "gt",
               ">=": "ge", "==": "eq", "!=": "ne"}


def _inline_literal(value) -> bool:
    if type(value) is float:
        return math.isfinite(value)
    return value is None or type(value) in (bool, str) or (type(value) is int and -2**62 < value < 2**62)


def _is(value: Value, kind: str) -> bool:
    return value.type == kind


def assignments(target: Block, args: list[Value], name_of=value_name) -> list[str]:
    """Passing jump arguments to block parameters, as one parallel assignment (swaps stay correct)."""
    pairs = [(p, a) for p, a in zip(target.params, args) if p is not a]
    if not pairs:
        return []
    left = ", ".join(value_name(p) for p, _ in pairs)
    right = ", ".join(name_of(a) for _, a in pairs)
    return [f"{left} = {right}"]


def signature(fn: Function, name: str) -> str:
    # plain functions take no `me`: one argument less on the hottest calls
    params = ["d"] + ([value_name(fn.self_value)] if fn.self_value is not None else [])
    params += [value_name(p) for p in fn.params]
    return f"def {name}({', '.join(params)}):"


def prologue(src: Source, fn: Function, fn_names: dict[str, str]) -> None:
    """The call-depth check (an error here is reported at the caller's call: SKIP), then the jump to a
    specialised version when the arguments have the types it was made for."""
    src.add(1, f"if d > {MAX_CALL_DEPTH}: raise depth_error()", SKIP)
    if fn.guarded_entry is not None:
        target, kinds = fn.guarded_entry
        tests = [f"type({value_name(p)}) is {PY_TYPES[k]}" for p, k in zip(fn.params, kinds) if k != "dyn"]
        me = [value_name(fn.self_value)] if fn.self_value is not None else []
        args = ", ".join(["d"] + me + [value_name(p) for p in fn.params])
        src.add(1, f"if {' and '.join(tests)}: return {fn_names[target]}({args})", SKIP)
    for index in range(len(fn.slots)):
        src.add(1, f"s{index} = UNBOUND")
