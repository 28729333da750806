"""MIR data structures: a module of functions, each a CFG of basic blocks over SSA values.

In: built by mir.build from a LoadedProgram. Out: consumed by the passes, the printer, the verifier and the
VM / WASM / LLVM backends.

- A `Value` is defined exactly once: by an instruction (`Instr.dst`), as a function parameter, or as a block
  parameter. Block parameters play the role of phi nodes: a jump passes one value per parameter.
- A `Block` ends in one terminator. `handler` names the block that receives exceptions raised by its
  instructions (its one parameter is the exception); None means they leave the function.
- Structure hints kept for backends that emit structured code (Python, wasm): a BRANCH made for `if` or
  `and`/`or` records its join block in `Instr.merge`; a loop header records its exit in `Block.loop_exit`.
  They are hints: a backend must stay correct when a pass has removed them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nyash_run.diagnostics import Span
from nyash_run.mir.ops import OPS, Op


class Unbound:
    """The value of a local name not bound yet (reading it is `Undefined variable`)."""
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNBOUND"


UNBOUND = Unbound()


class Value:
    __slots__ = ("id", "hint", "type", "kinds")

    def __init__(self, id: int, hint: str = ""):
        self.id = id
        self.hint = hint          # the Nyash name it came from, for reading dumps
        self.type = None          # set by mir.types: one label (`int`, `box:Foo`, `dyn`, ...)
        self.kinds = None         # set by mir.types: every kind the value may have (frozenset)

    def __repr__(self) -> str:
        return f"%{self.id}"


class Instr:
    __slots__ = ("op", "name", "dst", "args", "span", "targets", "merge")

    def __init__(self, name: str, dst: Value | None, args: list, span: Span | None = None,
                 targets: list | None = None):
        self.name = name                           # key of OPS
        self.op: Op = OPS[name]
        self.dst = dst
        self.args = args                           # operands in the order of op.fields (values flattened last)
        self.span = span
        self.targets: list[tuple[Block, list[Value]]] = targets or []
        self.merge: Block | None = None

    def field(self, name: str):
        for index, (fname, kind) in enumerate(self.op.fields):
            if fname == name:
                return self.args[index:] if kind == "values" else self.args[index]
        raise KeyError(name)

    def uses(self) -> list[Value]:
        """SSA values read by this instruction, jump arguments included."""
        used = [a for a, kind in zip(self.args, self._kinds()) if kind != "imm"]
        for _, args in self.targets:
            used.extend(args)
        return used

    def _kinds(self):
        kinds = []
        for _, kind in self.op.fields:
            kinds.append(kind)
        if kinds and kinds[-1] == "values":
            kinds.extend(["values"] * (len(self.args) - len(kinds)))
        return kinds

    def __repr__(self) -> str:
        return f"<{self.name} {self.dst} {self.args}>"


class Block:
    __slots__ = ("id", "params", "instrs", "handler", "loop_exit", "label")

    def __init__(self, id: int, label: str = ""):
        self.id = id
        self.label = label
        self.params: list[Value] = []
        self.instrs: list[Instr] = []
        self.handler: Block | None = None
        self.loop_exit: Block | None = None

    @property
    def terminator(self) -> Instr | None:
        if self.instrs and self.instrs[-1].op.terminator:
            return self.instrs[-1]
        return None

    def successors(self) -> list["Block"]:
        term = self.terminator
        succs = [target for target, _ in term.targets] if term is not None else []
        if self.handler is not None:
            succs.append(self.handler)
        return succs

    def __repr__(self) -> str:
        return f"bb{self.id}"


@dataclass
class Function:
    """One callable body. `kind` is function, method, constructor, static_init or top.

    `params` excludes `me`; methods, constructors and static blocks receive `me` as `self_value`.
    `label` names the function in arity messages (`f`, `B.f`, `Box.m`).
    """
    name: str
    kind: str
    label: str
    params: list[Value] = field(default_factory=list)
    self_value: Value | None = None
    blocks: list[Block] = field(default_factory=list)
    box: str | None = None               # the box lexically containing the code
    span: Span | None = None
    slots: list[str] = field(default_factory=list)     # names of slot-backed locals (LOCAL_GET/SET)
    guarded_entry: tuple | None = None   # (specialised function, parameter labels) to enter when they match
    next_value: int = 0

    @property
    def entry(self) -> Block:
        return self.blocks[0]

    def new_value(self, hint: str = "") -> Value:
        value = Value(self.next_value, hint)
        self.next_value += 1
        return value

    def new_block(self, label: str = "") -> Block:
        block = Block(max((b.id for b in self.blocks), default=-1) + 1, label)
        self.blocks.append(block)
        return block


@dataclass
class ClassInfo:
    """A user box: its fields (own and inherited), method table (name -> function name, inheritance
    resolved), constructors by arity (birth, else pack, else init), static block."""
    name: str
    is_static: bool
    parents: list[str]
    fields: list[str]
    methods: dict[str, str]
    constructors: dict[int, str]
    static_init: str | None
    span: Span | None = None


@dataclass
class Module:
    functions: dict[str, Function] = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    top: str = "__top__"                 # the function holding the top-level statements
    main: str | None = None              # the function of Main.main, when there is one
    main_entry: str | None = None        # its specialisation for the entry call (set by mir.types)
    main_arity: int = 0
    main_span: Span | None = None
    file: str = ""
    sources: Any = None                  # SourceMap of the program, for errors
