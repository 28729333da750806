"""Type inference with specialisation per argument-type signature.

In: an ir.Module. Out: the same module where every Value has `.type` set to a label — `int`, `float`,
`bool`, `string`, `void`, `null`, `array`, `map`, `result`, `error`, `console`, `math`, `box:NAME` (an
instance of exactly that user box) or `dyn` — plus specialised copies of functions: a call whose argument
labels are known calls `NAME#int,float`, a copy inferred with those parameter types. Calls to methods of a
receiver whose box is known become CALL_KNOWN_METHOD. Bound checks that can never fail are removed.

The analysis is a forward data-flow fixpoint over sets of kinds per value (with `unbound` tracked apart so
bound checks can go), run for every specialisation until no return type changes. Each function gets at
most MAX_SPECIALISATIONS signatures; further call sites use the generic (all `dyn`) version, which always
exists because dynamic dispatch may reach any function.
"""
from __future__ import annotations

import dataclasses

from nyash_run.mir.ir import UNBOUND, Block, Function, Instr, Module, Value
from nyash_run.mir.ops import OPS
from nyash_run.mir.passes import replace_uses
from nyash_run.runtime.methods import lookup_method
from nyash_run.runtime.values import NULL, ArrayBox, ConsoleBox, ErrorBox, MapBox, MathBox, ResultBox

MAX_SPECIALISATIONS = 4
DYN = frozenset({"dyn"})
MAX_KINDS = 3

_NEW_KINDS = {"ArrayBox": "array", "MapBox": "map", "StringBox": "string", "IntegerBox": "int",
              "FloatBox": "float", "BoolBox": "bool", "ResultBox": "result", "ConsoleBox": "console",
              "MathBox": "math", "NullBox": "null"}

_METHOD_KINDS = {
    "string": {"length": "int", "size": "int", "len": "int", "substring": "string", "find": "int",
               "indexOf": "int", "lastIndexOf": "int", "contains": "bool", "startsWith": "bool",
               "endsWith": "bool", "split": "array", "replace": "string", "trim": "string",
               "toUpper": "string", "toLower": "string", "toInteger": "int", "concat": "string",
               "toString": "string", "equals": "bool"},
    "int": {"abs": "int", "max": "int", "min": "int", "toFloat": "float", "pow": "float", "toString": "string",
            "equals": "bool"},
    "float": {"abs": "float", "max": "float", "min": "float", "pow": "float", "sqrt": "float", "sin": "float",
              "cos": "float", "tan": "float", "exp": "float", "log": "float", "log10": "float",
              "floor": "int", "ceil": "int", "round": "int", "toInteger": "int", "isNaN": "bool",
              "isInfinite": "bool", "isFinite": "bool", "toString": "string", "equals": "bool"},
    "array": {"length": "int", "size": "int", "len": "int", "isEmpty": "bool", "indexOf": "int",
              "contains": "bool", "join": "string", "slice": "array", "push": "string", "set": "string",
              "clear": "string", "reverse": "string", "sort": "string", "toString": "string", "equals": "bool"},
    "map": {"size": "int", "length": "int", "len": "int", "isEmpty": "bool", "has": "bool",
            "containsKey": "bool", "containsValue": "bool", "keys": "array", "values": "array",
            "set": "string", "delete": "string", "clear": "string", "toString": "string", "equals": "bool"},
}


_PY_TYPES = {"string": str, "int": int, "float": float, "bool": bool, "null": type(NULL), "void": type(None),
             "array": ArrayBox, "argv": ArrayBox, "map": MapBox, "result": ResultBox, "error": ErrorBox,
             "console": ConsoleBox, "math": MathBox}


def builtin_method_kinds(kind: str, name: str) -> frozenset:
    """What `recv.name(...)` gives for a receiver of this kind: nothing when that call always raises
    (the method does not exist for the kind), DYN when unknown."""
    if kind == "argv" and name == "get":
        return frozenset({"string", "null"})       # main's arguments are Strings (see _argv_is_private)
    py_type = _PY_TYPES.get(kind)
    if py_type is None:
        return frozenset() if kind == "unbound" else DYN
    if lookup_method(py_type, name) is None:
        return frozenset()
    table = _METHOD_KINDS.get("array" if kind == "argv" else kind, {})
    return frozenset({table[name]}) if name in table else DYN


def kinds_of_literal(value) -> frozenset:
    if value is UNBOUND:
        return frozenset({"unbound"})
    if value is None:
        return frozenset({"void"})
    if value is NULL:
        return frozenset({"null"})
    return frozenset({{int: "int", float: "float", str: "string", bool: "bool"}[type(value)]})


def join(a: frozenset, b: frozenset) -> frozenset:
    merged = a | b
    if "dyn" in merged or len(merged - {"unbound"}) > MAX_KINDS:
        return DYN | (merged & {"unbound"})
    return merged


def label(kinds: frozenset | None) -> str:
    if not kinds or "unbound" in kinds or len(kinds) != 1:
        return "dyn"
    return next(iter(kinds))


def binop_kind(op: str, a: str, b: str) -> str:
    if op in ("==", "!=", "<", "<=", ">", ">="):
        return "bool"
    if op == "+" and "string" in (a, b):
        return "string"
    if a == "int" and b == "int":
        return "int"
    if a in ("int", "float") and b in ("int", "float"):
        return "float"
    if op == "+" and a == "bool" and b == "bool":
        return "int"
    if op == "*" and a == "string" and b == "int":
        return "string"
    return "dyn"


class Spec:
    def __init__(self, fn: Function, signature: tuple):
        self.fn = fn
        self.signature = signature
        self.ret: frozenset = frozenset()
        self.types: dict[int, frozenset] = {}
        self.dirty = True
        self.callers: set[Spec] = set()
        self.pending_aliases: dict[int, Value] = {}


class TypeInference:
    def __init__(self, module: Module, external: frozenset = frozenset()):
        self.module = module
        self.external = external
        self.originals = dict(module.functions)
        self.specs: dict[tuple, Spec] = {}
        self.count: dict[str, int] = {}
        self.current: Spec | None = None
        self.fields: dict[str, frozenset] = {}
        self.field_readers: dict[str, set] = {}

    def generic_signature(self, fn: Function) -> tuple:
        return (self_kind(fn),) + ("dyn",) * len(fn.params)

    def callee_ret(self, fname: str, signature: tuple) -> frozenset:
        """The return kinds of a callee, remembering who asked so it is re-analysed on a change."""
        callee = self.spec_for(fname, signature)
        if self.current is not None:
            callee.callers.add(self.current)
        return callee.ret

    def spec_for(self, fname: str, signature: tuple) -> Spec:
        original = self.originals[fname]
        generic = self.generic_signature(original)
        if (fname, signature) not in self.specs and signature != generic:
            if self.count.get(fname, 0) >= MAX_SPECIALISATIONS:
                signature = generic
        key = (fname, signature)
        if key not in self.specs:
            fn = original if signature == generic else _clone(original, f"{fname}#{','.join(signature)}")
            self.specs[key] = Spec(fn, signature)
            self.count[fname] = self.count.get(fname, 0) + (signature != generic)
        return self.specs[key]

    def run(self) -> None:
        # Entry points that run with arguments nobody typed: methods (dynamic dispatch may reach any),
        # static blocks and the top level. Functions and constructors are reached only through calls
        # that name them, so they are analysed for the signatures those calls give.
        for fname, fn in self.originals.items():
            if fn.kind in ("method", "static_init", "top"):
                self.spec_for(fname, self.generic_signature(fn))
        module = self.module
        if module.main is not None:
            argv = "argv" if _argv_is_private(self.originals[module.main]) else "array"
            main_sig = ("box:Main",) + ((argv,) if module.main_arity == 1 else ("dyn",) * module.main_arity)
            module.main_entry = self.spec_for(module.main, main_sig).fn.name
        self.fixpoint()
        self.add_guarded_entries()
        self.fixpoint()
        for spec in list(self.specs.values()):
            self.finish(spec)
            module.functions[spec.fn.name] = spec.fn

    def fixpoint(self) -> None:
        """Analyse until no return type changes; a spec is analysed again only when one of its callees'
        return types changed (its callers are marked dirty)."""
        while True:
            dirty = [spec for spec in self.specs.values() if spec.dirty]
            if not dirty:
                return
            for spec in dirty:
                spec.dirty = False
                before = spec.ret
                self.current = spec
                self.analyze(spec)
                if spec.ret != before:
                    for caller in spec.callers:
                        caller.dirty = True

    def add_guarded_entries(self) -> None:
        """Speculate on untyped parameters used as numbers (`n < 2`, `n - 1`): the generic version checks
        the argument types on entry and jumps to a specialisation when they match. Arguments that come
        from outside (command-line arguments, fields, array elements) have no static type otherwise."""
        for (fname, signature), spec in list(self.specs.items()):
            if signature != self.generic_signature(spec.fn) or not spec.fn.params:
                continue
            guessed = _numeric_guesses(spec)
            if not any(kind != "dyn" for kind in guessed):
                continue
            target = self.spec_for(fname, (signature[0],) + tuple(guessed))
            if target is not spec:
                spec.fn.guarded_entry = (target.fn.name, tuple(guessed))

    # ---------------------------------------------------------------------------------------- analysis
    def analyze(self, spec: Spec) -> None:
        fn, types = spec.fn, spec.types
        if fn.self_value is not None:
            types[fn.self_value.id] = frozenset({spec.signature[0]})
        for param, kind in zip(fn.params, spec.signature[1:]):
            types[param.id] = frozenset({kind})
        changed = True
        while changed:
            changed = False
            for block in fn.blocks:
                if block.handler is not None:
                    changed |= _merge(types, block.handler.params[0], frozenset({"exc"}))
                for instr in block.instrs:
                    changed |= self.transfer(spec, instr)

    def transfer(self, spec: Spec, instr: Instr) -> bool:
        types = spec.types
        changed = False
        for target, args in instr.targets:
            for param, arg in zip(target.params, args):
                changed |= _merge(types, param, types.get(arg.id, frozenset()))
        if instr.name == "RETURN":
            new_ret = join(spec.ret, types.get(instr.args[0].id, frozenset()))
            changed |= new_ret != spec.ret
            spec.ret = new_ret
        if instr.name == "SET_FIELD":
            self.store_field(instr.args[0], types.get(instr.args[2].id, frozenset()))
        if instr.dst is not None:
            changed |= _merge(types, instr.dst, self.result_kinds(spec, instr))
        return changed

    def store_field(self, name: str, kinds: frozenset) -> None:
        """Fields are typed by name over the whole program: every value ever stored, and void (§5.1)."""
        old = self.fields.get(name, frozenset({"void"}))
        new = join(old, kinds)
        if new != old:
            self.fields[name] = new
            for reader in self.field_readers.get(name, ()):
                reader.dirty = True

    def kind(self, spec: Spec, value: Value) -> str:
        return label(spec.types.get(value.id))

    def result_kinds(self, spec: Spec, instr: Instr) -> frozenset:
        name, args = instr.name, instr.args
        if name == "CONST":
            return kinds_of_literal(args[0])
        if name in _WAITS_FOR_OPERANDS and any(not spec.types.get(a.id) for a in instr.uses()):
            # an operand not analysed yet (a call whose callee has no return kinds yet): nothing to say
            # now; concluding `dyn` here could never be taken back, since kinds only widen
            return frozenset()
        if name == "BINOP":
            return frozenset({binop_kind(args[0], self.kind(spec, args[1]), self.kind(spec, args[2]))})
        if name == "UNOP":
            operand = self.kind(spec, args[1])
            return frozenset({"bool" if args[0] == "not" else operand if operand in ("int", "float") else "dyn"})
        if name in ("TRUTHY", "RESULT_OK"):
            return frozenset({"bool"})
        if name == "CHECK_BOUND":
            return spec.types.get(args[1].id, frozenset()) - {"unbound"}
        if name == "GET_FIELD":
            self.field_readers.setdefault(args[0], set()).add(spec)
            return self.fields.get(args[0], frozenset({"void"}))
        if name == "EXPECT_INSTANCE":
            return frozenset(k for k in spec.types.get(args[1].id, DYN) if _box_of(k) is not None)
        if name == "LOCAL_GET":
            return DYN | {"unbound"}
        if name == "SINGLETON":
            return frozenset({f"box:{args[0]}"})
        if name == "NEW":
            ctor = self.known_constructor(args[0], len(args) - 1)
            if ctor:
                self.callee_ret(ctor, (f"box:{args[0]}",) + tuple(self.kind(spec, a) for a in args[1:]))
            return self.new_kinds(args[0])
        if name == "FROM_CALL":
            target = self.parent_target(args[0], args[1], len(args) - 3)
            if target is None:
                return DYN
            ret = self.callee_ret(target, (self.kind(spec, args[2]),) + tuple(self.kind(spec, a) for a in args[3:]))
            return spec.types.get(args[2].id, DYN) if args[1] in _CONSTRUCTOR_NAMES else ret
        if name == "MAKE_RESULT":
            return frozenset({"result"})
        if name == "EXC_VALUE":
            return frozenset({"error"})
        if name == "CALL":
            signature = ("void",) + tuple(self.kind(spec, a) for a in args[1:])
            return self.callee_ret(args[0], signature)
        if name in ("CALL_METHOD", "CALL_KNOWN_METHOD"):
            return self.method_kinds(spec, instr)
        return DYN

    def known_constructor(self, box: str, argc: int) -> str | None:
        """The constructor `new box(argc arguments)` runs: its function, '' for none, None when `new`
        raises instead (unknown box, static box, no constructor for that count)."""
        info = self.module.classes.get(box)
        if info is None or info.is_static:
            return None
        ctor = info.constructors.get(argc)
        if ctor is None:
            return "" if argc == 0 else None
        return ctor

    def parent_target(self, parent: str, name: str, argc: int) -> str | None:
        """The function `from parent.name(argc arguments)` runs, or None when it raises or does nothing."""
        info = self.module.classes.get(parent)
        if info is None:
            return None
        target = info.constructors.get(argc) if name in _CONSTRUCTOR_NAMES else info.methods.get(name)
        if target is None or len(self.originals[target].params) != argc:
            return None
        return target

    def new_kinds(self, box: str) -> frozenset:
        if box in self.external and box not in self.module.classes:
            return DYN                      # a plugin supplies it (possibly in place of a builtin)
        info = self.module.classes.get(box)
        if info is not None:
            return frozenset({f"box:{box}"}) if not info.is_static else DYN
        return frozenset({_NEW_KINDS.get(box, "dyn")})

    def method_kinds(self, spec: Spec, instr: Instr) -> frozenset:
        name, recv, args = instr.args[0], instr.args[1], instr.args[2:]
        recv_kind = self.instance_kind(spec.types.get(recv.id, DYN))
        target = self.known_method(recv_kind, name, len(args)) if recv_kind is not None else None
        if target is not None:
            signature = (recv_kind,) + tuple(self.kind(spec, a) for a in args)
            return self.callee_ret(target, signature)
        result = frozenset()
        for kind in spec.types.get(recv.id, DYN):
            result = join(result, builtin_method_kinds(kind, name))
        return result

    @staticmethod
    def instance_kind(kinds: frozenset) -> str | None:
        """The one user-box kind among `kinds` when the others are only void or null (a call on those
        raises anyway, so the call can be bound to that box's method behind an instance check)."""
        boxes = [k for k in kinds if _box_of(k) is not None]
        if len(boxes) == 1 and kinds - {boxes[0]} <= {"void", "null"}:
            return boxes[0]
        return None

    def known_method(self, recv_kind: str, name: str, argc: int) -> str | None:
        """The one function `recv.name(...)` can reach: for `box:C` C's method; for `self:C` (C or a
        descendant) only when no descendant overrides it."""
        box = _box_of(recv_kind)
        info = self.module.classes.get(box) if box is not None else None
        target = info.methods.get(name) if info is not None else None
        if target is None or len(self.originals[target].params) != argc:
            return None
        if recv_kind.startswith("self:"):
            for other in self.module.classes.values():
                if box in ancestors(self.module, other.name) and other.methods.get(name) != target:
                    return None
        return target

    # ------------------------------------------------------------------------------------------ results
    def finish(self, spec: Spec) -> None:
        """Write labels, point calls at their specialisations, drop bound checks that cannot fail."""
        fn, types = spec.fn, spec.types
        aliases: dict[int, Value] = {}
        for block in fn.blocks:
            for value in block.params:
                value.type, value.kinds = label(types.get(value.id)), types.get(value.id)
            kept = []
            for instr in block.instrs:
                if instr.name == "CHECK_BOUND" and "unbound" not in types.get(instr.args[1].id, DYN | {"unbound"}):
                    aliases[instr.dst.id] = instr.args[1]
                    continue
                kept.extend(self.retarget(spec, instr))
                if instr.dst is not None and instr.dst.id in types:
                    instr.dst.type, instr.dst.kinds = label(types.get(instr.dst.id)), types.get(instr.dst.id)
                kept.append(instr)
            block.instrs = kept
        for value in fn.params + ([fn.self_value] if fn.self_value is not None else []):
            value.type = label(types.get(value.id))
        aliases.update(spec.pending_aliases)
        if aliases:
            replace_uses(fn, aliases)

    def retarget_parent_call(self, spec: Spec, instr: Instr) -> list[Instr]:
        """`from P.m(args)` runs a function known when compiling, with the current me."""
        parent, name, me, args = instr.args[0], instr.args[1], instr.args[2], instr.args[3:]
        target = self.parent_target(parent, name, len(args))
        if target is None:
            return []
        fname = self.spec_for(target, (self.kind(spec, me),) + tuple(self.kind(spec, a) for a in args)).fn.name
        if name not in _CONSTRUCTOR_NAMES:
            instr.name, instr.op, instr.args = "CALL_KNOWN_METHOD", OPS["CALL_KNOWN_METHOD"], [fname, me, *args]
            return []
        # a parent constructor's own result is dropped: `from P.birth(...)` gives me (§5.4)
        ignored = spec.fn.new_value("ignored")
        ignored.type = "dyn"
        spec.pending_aliases[instr.dst.id] = me
        instr.dst, instr.name, instr.op, instr.args = ignored, "CALL_KNOWN_METHOD", OPS["CALL_KNOWN_METHOD"], \
            [fname, me, *args]
        return []

    def retarget(self, spec: Spec, instr: Instr) -> list[Instr]:
        """Point a call at its specialisation; returns instructions to insert before it."""
        if instr.name == "CALL":
            signature = ("void",) + tuple(self.kind(spec, a) for a in instr.args[1:])
            instr.args[0] = self.spec_for(instr.args[0], signature).fn.name
            return []
        elif instr.name == "NEW":
            box, args = instr.args[0], instr.args[1:]
            ctor = self.known_constructor(box, len(args))
            if ctor is not None:
                if ctor:
                    ctor = self.spec_for(ctor, (f"box:{box}",) + tuple(self.kind(spec, a) for a in args)).fn.name
                instr.name, instr.op, instr.args = "CONSTRUCT", OPS["CONSTRUCT"], [box, ctor, *args]
            return []
        elif instr.name == "FROM_CALL":
            return self.retarget_parent_call(spec, instr)
        elif instr.name == "CALL_METHOD":
            name, recv, args = instr.args[0], instr.args[1], instr.args[2:]
            kinds = spec.types.get(recv.id, DYN)
            recv_kind = self.instance_kind(kinds)
            target = self.known_method(recv_kind, name, len(args)) if recv_kind is not None else None
            if target is None:
                return []
            signature = (recv_kind,) + tuple(self.kind(spec, a) for a in args)
            fname = self.spec_for(target, signature).fn.name
            extra = []
            if len(kinds) > 1:          # void or null possible: check first, with the same error
                checked = spec.fn.new_value(recv.hint)
                checked.type = recv_kind
                extra.append(Instr("EXPECT_INSTANCE", checked, [name, recv], instr.span))
                recv = checked
            instr.name, instr.op, instr.args = "CALL_KNOWN_METHOD", OPS["CALL_KNOWN_METHOD"], [fname, recv, *args]
            return extra
        return []


_CONSTRUCTOR_NAMES = ("birth", "init", "pack")
_WAITS_FOR_OPERANDS = {"BINOP", "UNOP", "CALL", "CALL_METHOD", "CALL_KNOWN_METHOD", "FROM_CALL", "NEW"}
_READ_ONLY = {"length", "size", "len", "get", "isEmpty", "indexOf", "contains", "join", "slice", "toString",
              "equals"}


def _argv_is_private(main: Function) -> bool:
    """Main.main's argument array is made by the runtime and seen by no one else: when main only reads
    it with read-only methods (never stores, passes or returns it), its elements stay Strings."""
    if len(main.params) != 1:
        return False
    argv = main.params[0]
    for block in main.blocks:
        for instr in block.instrs:
            if argv not in instr.uses():
                continue
            if instr.name != "CALL_METHOD" or instr.args[1] is not argv or argv in instr.args[2:] \
                    or instr.args[0] not in _READ_ONLY:
                return False
    return True


def self_kind(fn: Function) -> str:
    """What `me` is in a body: the singleton of a static block's box; in a method or constructor of C an
    instance of C or of a box delegating to C; nothing in plain functions."""
    if fn.self_value is None:
        return "void"
    if fn.kind == "static_init":
        return f"box:{fn.box}"
    return f"self:{fn.box}"


def _box_of(kind: str) -> str | None:
    if kind.startswith("box:"):
        return kind[4:]
    if kind.startswith("self:"):
        return kind[5:]
    return None


def ancestors(module: Module, box: str) -> set[str]:
    """The box and every box it delegates to, directly or not."""
    seen: set[str] = set()
    stack = [box]
    while stack:
        name = stack.pop()
        if name not in seen and name in module.classes:
            seen.add(name)
            stack.extend(module.classes[name].parents)
    return seen


def _numeric_guesses(spec: Spec) -> list[str]:
    """Per parameter: 'int' or 'float' when it meets a constant or typed number of that kind in an
    arithmetic or comparison operator, else 'dyn'."""
    guesses = {p.id: "dyn" for p in spec.fn.params}
    for block in spec.fn.blocks:
        for instr in block.instrs:
            if instr.name != "BINOP":
                continue
            lhs, rhs = instr.args[1], instr.args[2]
            for mine, other in ((lhs, rhs), (rhs, lhs)):
                kind = label(spec.types.get(other.id))
                if mine.id in guesses and kind in ("int", "float") and guesses[mine.id] == "dyn":
                    guesses[mine.id] = kind
    return [guesses[p.id] for p in spec.fn.params]


def _merge(types: dict, value: Value, kinds: frozenset) -> bool:
    old = types.get(value.id)
    new = kinds if old is None else join(old, kinds)
    if new != old:
        types[value.id] = new
        return True
    return False


def _clone(fn: Function, name: str) -> Function:
    """A copy with fresh values and blocks (same ids, so dumps stay comparable)."""
    values: dict[int, Value] = {}

    def value(v):
        if not isinstance(v, Value):
            return v
        if v.id not in values:
            values[v.id] = Value(v.id, v.hint)
        return values[v.id]

    blocks = {b.id: Block(b.id, b.label) for b in fn.blocks}
    for old in fn.blocks:
        new = blocks[old.id]
        new.params = [value(p) for p in old.params]
        new.handler = blocks[old.handler.id] if old.handler is not None else None
        new.loop_exit = blocks[old.loop_exit.id] if old.loop_exit is not None else None
        for instr in old.instrs:
            copy_ = Instr(instr.name, value(instr.dst) if instr.dst is not None else None,
                          [value(a) for a in instr.args], instr.span,
                          [(blocks[t.id], [value(a) for a in args]) for t, args in instr.targets])
            copy_.merge = blocks[instr.merge.id] if instr.merge is not None else None
            new.instrs.append(copy_)
    clone = dataclasses.replace(fn, name=name, params=[value(p) for p in fn.params],
                                self_value=value(fn.self_value) if fn.self_value is not None else None,
                                blocks=[blocks[b.id] for b in fn.blocks], slots=list(fn.slots))
    return clone


def infer_types(module: Module, external: frozenset = frozenset()) -> None:
    """`external`: box names a plugin supplies in this run; their values are never assumed builtin."""
    TypeInference(module, external).run()
