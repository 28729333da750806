"""Local names of an activation (language.md §3.3), fixed at load time.

In: the parameters and body of a function, method, constructor, static block, lambda or the top level.
Out: the ordered list of its local names: parameters first, then every name declared by `local` and every
`catch` variable anywhere in the body, in source order. Names inside a nested lambda body belong to the
lambda, so the walk does not enter lambdas. Both the interpreter and the MIR builder use this.
"""
from __future__ import annotations

from nyash_run.syntax import ast


def local_names(params: tuple[ast.Ident, ...], body: ast.Block | tuple) -> list[str]:
    names: dict[str, None] = {p.name: None for p in params}
    stmts = body.stmts if isinstance(body, ast.Block) else body
    for stmt in stmts:
        _collect_stmt(stmt, names)
    return list(names)


def _collect_stmt(stmt, names: dict[str, None]) -> None:
    if isinstance(stmt, ast.Local):
        for ident in stmt.names:
            names.setdefault(ident.name, None)
        if stmt.value is not None:
            _collect_expr(stmt.value, names)
    elif isinstance(stmt, ast.Block):
        for inner in stmt.stmts:
            _collect_stmt(inner, names)
    elif isinstance(stmt, ast.If):
        _collect_expr(stmt.cond, names)
        _collect_stmt(stmt.then, names)
        if stmt.else_ is not None:
            _collect_stmt(stmt.else_, names)
    elif isinstance(stmt, ast.Loop):
        if stmt.cond is not None:
            _collect_expr(stmt.cond, names)
        _collect_stmt(stmt.body, names)
    elif isinstance(stmt, ast.Try):
        _collect_stmt(stmt.body, names)
        for clause in stmt.catches:
            names.setdefault(clause.var.name, None)
            _collect_stmt(clause.body, names)
        if stmt.finally_ is not None:
            _collect_stmt(stmt.finally_, names)
    else:
        for expr in _stmt_exprs(stmt):
            _collect_expr(expr, names)


def _stmt_exprs(stmt) -> tuple:
    if isinstance(stmt, (ast.ExprStmt,)):
        return (stmt.expr,)
    if isinstance(stmt, ast.Assign):
        return (stmt.target, stmt.value)
    if isinstance(stmt, (ast.Global, ast.Print, ast.Throw, ast.Nowait)):
        return (stmt.value,)
    if isinstance(stmt, ast.Return):
        return () if stmt.value is None else (stmt.value,)
    return ()


def _collect_expr(expr, names: dict[str, None]) -> None:
    """Only `peek` block arms can declare locals inside an expression; lambdas keep their own."""
    if isinstance(expr, ast.Peek):
        _collect_expr(expr.subject, names)
        for body in [arm.body for arm in expr.arms] + [expr.else_body]:
            if isinstance(body, ast.Block):
                _collect_stmt(body, names)
            else:
                _collect_expr(body, names)
        return
    for child in child_exprs(expr):
        _collect_expr(child, names)


def child_exprs(expr) -> tuple:
    """The direct sub-expressions of an expression, in evaluation order (lambda bodies excluded)."""
    if isinstance(expr, (ast.Call, ast.New, ast.FromCall)):
        return expr.args
    if isinstance(expr, ast.MethodCall):
        return (expr.receiver,) + expr.args
    if isinstance(expr, ast.FieldGet):
        return (expr.obj,)
    if isinstance(expr, (ast.Binary, ast.Logical)):
        return (expr.left, expr.right)
    if isinstance(expr, (ast.Unary, ast.Await, ast.Propagate)):
        return (expr.operand,)
    if isinstance(expr, ast.Peek):
        return (expr.subject,) + tuple(b for b in [a.body for a in expr.arms] + [expr.else_body]
                                       if not isinstance(b, ast.Block))
    return ()
