"""Load-time checks after parsing: declarations (§3.1, §5.4) and context rules (§4, §5, §9, §0).

In: the program's top-level items in execution order (includes flattened, see loader) and, for the context
check, the registered Declarations and the T2 features the chosen backend lacks. Out: `Declarations` (the
namespaces of §3.1) and lists of NyashSyntaxError in source order. Nothing is raised here; the loader picks
the error to report (§8.2).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from nyash_run.syntax import ast
from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.parser import with_deep_stack

BUILTIN_BOXES = frozenset({
    "IntegerBox", "FloatBox", "StringBox", "BoolBox", "NullBox", "VoidBox", "ArrayBox", "MapBox",
    "ConsoleBox", "MathBox", "ResultBox", "ErrorBox", "FunctionBox", "FutureBox", "Result",
})

# The T2 features a backend may lack (§0); `check_context` reports each use of one in `unsupported`.
T2_FEATURES = frozenset({"peek", "lambda", "nowait", "await", "?", "include"})


@dataclass
class Declarations:
    """The declaration namespaces of §3.1 (the first declaration of each name)."""

    boxes: dict[str, ast.BoxDecl] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDecl] = field(default_factory=dict)
    static_functions: dict[tuple[str, str], ast.FunctionDecl] = field(default_factory=dict)


# -------------------------------------------------------------------------------------------- declarations

def _register(items: Iterable) -> Declarations:
    decls = Declarations()
    for item in items:
        if isinstance(item, ast.BoxDecl):
            if item.name not in BUILTIN_BOXES:
                decls.boxes.setdefault(item.name, item)
        elif isinstance(item, ast.FunctionDecl):
            if item.owner is None:
                decls.functions.setdefault(item.name, item)
            else:
                decls.static_functions.setdefault((item.owner, item.name), item)
    return decls


def _reaches(decls: Declarations, start: str, target: str) -> bool:
    """Whether box `target` is `start` or one of its ancestors (through defined ordinary boxes)."""
    stack, seen = [start], set()
    while stack:
        name = stack.pop()
        if name == target:
            return True
        box = decls.boxes.get(name)
        if name in seen or box is None or box.is_static:
            continue
        seen.add(name)
        stack.extend(parent.name for parent in box.parents)
    return False


def _box_errors(box: ast.BoxDecl, decls: Declarations) -> list[NyashSyntaxError]:
    errors = []
    registered = decls.boxes.get(box.name) is box
    if box.name in BUILTIN_BOXES:
        errors.append(NyashSyntaxError(f"Cannot redefine builtin box '{box.name}'", box.name_span))
    elif not registered:
        errors.append(NyashSyntaxError(f"Duplicate declaration of '{box.name}'", box.name_span))
    for parent in box.parents:
        target = decls.boxes.get(parent.name)
        if target is None or target.is_static:
            errors.append(NyashSyntaxError(f"Undefined class '{parent.name}'", parent.span))
        elif registered and _reaches(decls, parent.name, box.name):
            errors.append(NyashSyntaxError(f"Cyclic delegation involving '{box.name}'", parent.span))
    return errors


def _function_error(func: ast.FunctionDecl, decls: Declarations) -> NyashSyntaxError | None:
    if func.owner is None:
        first, label = decls.functions[func.name], func.name
    else:
        first, label = decls.static_functions[(func.owner, func.name)], f"{func.owner}.{func.name}"
    if first is func:
        return None
    return NyashSyntaxError(f"Duplicate declaration of '{label}'", func.name_span)


def collect_declarations(items: Iterable) -> tuple[Declarations, list[NyashSyntaxError]]:
    """Register every box and function (first declaration wins) and report declaration errors in order."""
    items = list(items)
    decls = _register(items)
    errors: list[NyashSyntaxError] = []
    for item in items:
        if isinstance(item, ast.BoxDecl):
            errors.extend(_box_errors(item, decls))
        elif isinstance(item, ast.FunctionDecl):
            error = _function_error(item, decls)
            if error is not None:
                errors.append(error)
    return decls, errors


# ------------------------------------------------------------------------------------------------ context

@dataclass(frozen=True, slots=True)
class _Context:
    """What the code being checked may use."""

    box: ast.BoxDecl | None = None   # the box lexically containing the code (for `from P.m`)
    me: bool = False                 # `me` is bound (methods, constructors, static blocks, lambdas there)
    function: bool = False           # inside an activation other than the top level (`return`, `?`)
    loop: bool = False               # inside a loop of the current activation (`break`, `continue`)


class _ContextChecker:
    """Walks statements and expressions, collecting context errors."""

    def __init__(self, unsupported: frozenset[str]):
        self.unsupported = unsupported
        self.errors: list[NyashSyntaxError] = []

    def report(self, message: str, span) -> None:
        self.errors.append(NyashSyntaxError(message, span))

    def feature(self, name: str, span) -> None:
        if name in self.unsupported:
            self.report(f"Unsupported feature on this backend: {name}", span)

    # ---- declarations

    def item(self, item) -> None:
        if isinstance(item, ast.BoxDecl):
            inside = _Context(box=item, me=True, function=True)
            for member in (*item.constructors, *item.methods):
                self.block(member.body, inside)
            if item.static_init is not None:
                self.block(item.static_init, inside)
        elif isinstance(item, ast.FunctionDecl):
            self.block(item.body, _Context(function=True))
        else:
            self.stmt(item, _Context())

    # ---- statements

    def block(self, block: ast.Block, ctx: _Context) -> None:
        for stmt in block.stmts:
            self.stmt(stmt, ctx)

    def stmt(self, node, ctx: _Context) -> None:
        kind = type(node)
        if kind is ast.ExprStmt or kind is ast.Print or kind is ast.Throw:
            self.expr(node.expr if kind is ast.ExprStmt else node.value, ctx)
        elif kind is ast.Assign:
            self.expr(node.target, ctx)
            self.expr(node.value, ctx)
        elif kind is ast.Local or kind is ast.Global:
            if node.value is not None:
                self.expr(node.value, ctx)
        elif kind is ast.If:
            self.expr(node.cond, ctx)
            self.block(node.then, ctx)
            if node.else_ is not None:
                self.stmt(node.else_, ctx)
        elif kind is ast.Loop:
            if node.cond is not None:
                self.expr(node.cond, ctx)
            self.block(node.body, _Context(ctx.box, ctx.me, ctx.function, True))
        elif kind is ast.Block:
            self.block(node, ctx)
        else:
            self.other_stmt(node, ctx)

    def other_stmt(self, node, ctx: _Context) -> None:
        kind = type(node)
        if kind is ast.Break and not ctx.loop:
            self.report("Break outside of loop", node.span)
        elif kind is ast.Continue and not ctx.loop:
            self.report("Continue outside of loop", node.span)
        elif kind is ast.Return:
            if not ctx.function:
                self.report("Return outside of function", node.span)
            if node.value is not None:
                self.expr(node.value, ctx)
        elif kind is ast.Try:
            self.block(node.body, ctx)
            for clause in node.catches:
                self.block(clause.body, ctx)
            if node.finally_ is not None:
                self.block(node.finally_, ctx)
        elif kind is ast.Nowait:
            self.feature("nowait", node.span)
            self.expr(node.value, ctx)
        elif kind is ast.Include:
            self.feature("include", node.span)

    # ---- expressions

    def expr(self, node, ctx: _Context) -> None:
        kind = type(node)
        if kind in _LEAVES:
            return
        if kind is ast.Me:
            if not ctx.me:
                self.report("'me' is only available inside methods", node.span)
        elif kind is ast.Binary or kind is ast.Logical:
            # Walk the left spine in a loop: `1 + 1 + … + 1` nests as deep as it is long.
            rights = []
            while type(node) is ast.Binary or type(node) is ast.Logical:
                rights.append(node.right)
                node = node.left
            self.expr(node, ctx)
            for right in reversed(rights):
                self.expr(right, ctx)
        elif kind is ast.Call or kind is ast.New:
            self.exprs(node.args, ctx)
        elif kind is ast.MethodCall:
            self.expr(node.receiver, ctx)
            self.exprs(node.args, ctx)
        elif kind is ast.FieldGet:
            self.expr(node.obj, ctx)
        elif kind is ast.Unary:
            self.expr(node.operand, ctx)
        else:
            self.t2_expr(node, ctx)

    def exprs(self, nodes, ctx: _Context) -> None:
        for node in nodes:
            self.expr(node, ctx)

    def t2_expr(self, node, ctx: _Context) -> None:
        kind = type(node)
        if kind is ast.FromCall:
            self.from_call(node, ctx)
        elif kind is ast.Await:
            self.feature("await", node.span)
            self.expr(node.operand, ctx)
        elif kind is ast.Propagate:
            self.expr(node.operand, ctx)
            if not ctx.function:
                self.report("'?' can only be used inside functions", node.span)
            self.feature("?", node.span)
        elif kind is ast.Peek:
            self.feature("peek", node.span)
            self.expr(node.subject, ctx)
            for arm in node.arms:
                self.arm_body(arm.body, ctx)
            self.arm_body(node.else_body, ctx)
        elif kind is ast.Lambda:
            self.feature("lambda", node.span)
            self.block(node.body, _Context(ctx.box, ctx.me, True, False))

    def arm_body(self, body, ctx: _Context) -> None:
        # A block arm runs in the current activation: break/continue/return act on the enclosing code.
        if type(body) is ast.Block:
            self.block(body, ctx)
        else:
            self.expr(body, ctx)

    def from_call(self, node: ast.FromCall, ctx: _Context) -> None:
        box = ctx.box
        if box is None:
            self.report("'from' can only be used inside methods", node.span)
        elif node.parent not in {parent.name for parent in box.parents}:
            self.report(f"Class '{box.name}' does not delegate to '{node.parent}'. "
                        f"Use 'box {box.name} from {node.parent}' to establish delegation.", node.span)
        self.exprs(node.args, ctx)


_LEAVES = frozenset({ast.IntLit, ast.FloatLit, ast.StringLit, ast.BoolLit, ast.NullLit, ast.VoidLit, ast.Name})


def _position(error: NyashSyntaxError) -> tuple[int, int]:
    return (error.span.line, error.span.col) if error.span is not None else (0, 0)


def check_context(items: Iterable, decls: Declarations,
                  unsupported: frozenset[str] = frozenset()) -> list[NyashSyntaxError]:
    """Context errors of every item, in source order (`decls` is accepted for future checks)."""
    checker = _ContextChecker(frozenset(unsupported))
    errors: list[NyashSyntaxError] = []
    for item in items:
        checker.errors = []
        try:
            with_deep_stack(checker.item, item)
        except RecursionError:
            checker.report("Program is nested too deeply", item.span)
        # Members are grouped by kind inside a BoxDecl and a `?` follows its operand, so sort each
        # top-level item's errors by position (stable: same-position errors keep their order).
        errors.extend(sorted(checker.errors, key=_position))
    return errors
