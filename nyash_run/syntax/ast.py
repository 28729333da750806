"""The abstract syntax tree: immutable, slotted dataclasses, every node carrying a Span.

In: produced by syntax.parser from tokens. Out: consumed by syntax.semantic (load checks), the interpreter
and mir.build. A node's `span` is the position errors about that node are reported at (language.md §8.3):
the operator of a Binary, the method name of a MethodCall, the field name of a FieldGet, `new` of a New,
`from` of a FromCall, the called name of a Call, the keyword of a statement.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from nyash_run.diagnostics import Span


@dataclass(frozen=True, slots=True)
class Ident:
    """A name with its own position (parameters, parents, fields, declared names)."""
    name: str
    span: Span


# ----------------------------------------------------------------------------------------- expressions

@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    span: Span


@dataclass(frozen=True, slots=True)
class FloatLit:
    value: float
    span: Span


@dataclass(frozen=True, slots=True)
class StringLit:
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool
    span: Span


@dataclass(frozen=True, slots=True)
class NullLit:
    span: Span


@dataclass(frozen=True, slots=True)
class VoidLit:
    span: Span


@dataclass(frozen=True, slots=True)
class Me:
    """`me` or `this`."""
    span: Span


@dataclass(frozen=True, slots=True)
class Name:
    """A variable read: local, global or static box (language.md §3.3)."""
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Call:
    """A bare call `f(args)` (§3.5); span is the name."""
    name: str
    args: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class MethodCall:
    """`receiver.name(args)`; a bare-IDENT receiver is a qualified call (§3.5). span is the method name."""
    receiver: Expr
    name: str
    args: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class FieldGet:
    """`obj.name` without a call; span is the field name."""
    obj: Expr
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class New:
    """`new Name<T..>(args)`; type arguments are erased. span is `new`."""
    class_name: str
    args: tuple[Expr, ...]
    span: Span
    name_span: Span


@dataclass(frozen=True, slots=True)
class FromCall:
    """`from Parent.method(args)`; method may be `birth`, `init` or `pack`. span is `from`."""
    parent: str
    method: str
    args: tuple[Expr, ...]
    span: Span
    parent_span: Span


@dataclass(frozen=True, slots=True)
class Binary:
    """Arithmetic, comparison or equality; op is one of + - * / % == != < <= > >=. span is the operator."""
    op: str
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Logical:
    """Short-circuit `and` / `or` (op is 'and' or 'or'); always yields a Bool."""
    op: str
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Unary:
    """Prefix `-` or `not` (op is '-' or 'not'); span is the operator."""
    op: str
    operand: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Await:
    """(T2) `await e`."""
    operand: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Propagate:
    """(T2) postfix `e?`; span is the `?`."""
    operand: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class PeekArm:
    """One `pattern => body` arm; the pattern is a literal node (a negated number is folded in)."""
    pattern: Expr
    body: Union[Expr, "Block"]
    span: Span


@dataclass(frozen=True, slots=True)
class Peek:
    """(T2) `peek subject { arms… else => body }`."""
    subject: Expr
    arms: tuple[PeekArm, ...]
    else_body: Union[Expr, "Block"]
    span: Span


@dataclass(frozen=True, slots=True)
class Lambda:
    """(T2) `fn(params) { body }`; span is `fn`/`function`."""
    params: tuple[Ident, ...]
    body: Block
    span: Span


Expr = Union[IntLit, FloatLit, StringLit, BoolLit, NullLit, VoidLit, Me, Name, Call, MethodCall, FieldGet,
             New, FromCall, Binary, Logical, Unary, Await, Propagate, Peek, Lambda]


# ------------------------------------------------------------------------------------------ statements

@dataclass(frozen=True, slots=True)
class Block:
    """`{ statements }`; also a bare-block statement. Blocks open no scope. span is `{`."""
    stmts: tuple[Stmt, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ExprStmt:
    expr: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Assign:
    """`target = value`; target is a Name or a FieldGet. span is the target's start."""
    target: Union[Name, FieldGet]
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Local:
    """`local x = e` (one name, value set) or `local a, b` (value None)."""
    names: tuple[Ident, ...]
    value: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class Global:
    """`global x = e`."""
    name: Ident
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class If:
    """`if cond then [else else_]`; else_ is a Block, an If (else if) or None."""
    cond: Expr
    then: Block
    else_: Union[Block, "If", None]
    span: Span


@dataclass(frozen=True, slots=True)
class Loop:
    """`loop(cond) body` or `loop body` (cond None)."""
    cond: Expr | None
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Break:
    span: Span


@dataclass(frozen=True, slots=True)
class Continue:
    span: Span


@dataclass(frozen=True, slots=True)
class Return:
    value: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class Print:
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Catch:
    """`catch ([Type] var) body`; type_name None matches everything."""
    type_name: str | None
    var: Ident
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Try:
    body: Block
    catches: tuple[Catch, ...]
    finally_: Block | None
    span: Span


@dataclass(frozen=True, slots=True)
class Throw:
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Nowait:
    """(T2) `nowait name = expr`."""
    name: Ident
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Include:
    """(T2) `include "path"`, top level only."""
    path: str
    span: Span


Stmt = Union[Block, ExprStmt, Assign, Local, Global, If, Loop, Break, Continue, Return, Print, Try, Throw,
             Nowait, Include]


# ---------------------------------------------------------------------------------------- declarations

@dataclass(frozen=True, slots=True)
class FieldDecl:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Constructor:
    """`birth(params) {…}`; kind is 'birth', 'init' or 'pack'."""
    kind: str
    params: tuple[Ident, ...]
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    params: tuple[Ident, ...]
    body: Block
    span: Span


@dataclass(frozen=True, slots=True)
class BoxDecl:
    """`[static] box Name [<T>] [from A, B] { members }`; members keep source order within each kind."""
    name: str
    is_static: bool
    parents: tuple[Ident, ...]
    fields: tuple[FieldDecl, ...]
    constructors: tuple[Constructor, ...]
    methods: tuple[Method, ...]
    static_init: Block | None
    span: Span
    name_span: Span


@dataclass(frozen=True, slots=True)
class FunctionDecl:
    """`function f(…)`, `static function f(…)` (owner None) or `static function B.f(…)` (owner 'B')."""
    name: str
    owner: str | None
    params: tuple[Ident, ...]
    body: Block
    span: Span
    name_span: Span


Decl = Union[BoxDecl, FunctionDecl]


@dataclass(frozen=True, slots=True)
class Program:
    """One parsed file: top-level items (declarations, includes, statements) in source order."""
    file: str
    items: tuple[Union[Decl, Stmt], ...]
