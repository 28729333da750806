"""Statements and bodies: AST statements -> closures `(frame) -> signal`.

In: ast statement nodes and the Scope of their activation. Out: closures returning None (go on) or a
signal (BREAK, CONTINUE, RETURN with the value in the frame's return slot), and body closures
`(frame) -> value` that apply the result rule of language.md §3.4 (an explicit return, else the value of a
final expression statement, else void).
"""
from __future__ import annotations

from nyash_run.runtime import operators as ops
from nyash_run.runtime import output
from nyash_run.runtime.display import display, type_name
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.values import ErrorBox, FutureBox, Instance
from nyash_run.syntax import ast
from .state import BREAK, CONTINUE, RETURN, RETURN_SLOT, UNBOUND, EarlyReturn, ExprSignal, fail

CATCH_ALL_TYPES = (None, "Error", "ErrorBox")


def run_sequence(stmts: list):
    """One closure running `stmts` in order, stopping at the first signal."""
    if not stmts:
        return lambda fr: None
    if len(stmts) == 1:
        return stmts[0]
    if len(stmts) == 2:
        first, second = stmts

        def pair(fr):
            signal = first(fr)
            if signal is not None:
                return signal
            return second(fr)
        return pair

    def sequence(fr):
        for stmt in stmts:
            signal = stmt(fr)
            if signal is not None:
                return signal
        return None
    return sequence


def _has_block_peek(node) -> bool:
    """Whether an expression contains a `peek` block arm, which may break/continue/return."""
    if isinstance(node, ast.Peek):
        return True
    from nyash_run.syntax.scopes import child_exprs
    return any(_has_block_peek(child) for child in child_exprs(node))


class StatementCompiler:
    """Mixin of the interpreter's Compiler: one `s_<Node>` method per statement node."""

    def stmt(self, node, scope):
        compiled = getattr(self, "s_" + type(node).__name__)(node, scope)
        if any(_has_block_peek(e) for e in _direct_exprs(node)):
            return _catch_expr_signal(compiled)
        return compiled

    def block(self, block, scope):
        return run_sequence([self.stmt(s, scope) for s in block.stmts])

    def body(self, stmts, scope):
        """A callable body `(frame) -> value` with the result rule of §3.4."""
        stmts = list(stmts)
        last = None
        if stmts and isinstance(stmts[-1], ast.ExprStmt):
            last = self.expr(stmts.pop().expr, scope)
        elif stmts and isinstance(stmts[-1], ast.Return) and stmts[-1].value is not None:
            last = self.expr(stmts.pop().value, scope)   # a final `return e` is the same as a final `e`
        head = run_sequence([self.stmt(s, scope) for s in stmts])
        if last is None:
            def body_void(fr):
                if head(fr) is RETURN:
                    return fr[RETURN_SLOT]
                return None
            return body_void

        def body_value(fr):
            if head(fr) is RETURN:
                return fr[RETURN_SLOT]
            try:
                return last(fr)
            except ExprSignal as signal:
                return fr[RETURN_SLOT] if signal.signal is RETURN else None
        return body_value

    def arm_body(self, body, scope):
        """A `peek` arm: an expression, or a block run in the current activation (§9.1)."""
        if not isinstance(body, ast.Block):
            return self.expr(body, scope)
        stmts = list(body.stmts)
        last = self.expr(stmts.pop().expr, scope) if stmts and isinstance(stmts[-1], ast.ExprStmt) else None
        head = run_sequence([self.stmt(s, scope) for s in stmts])

        def arm(fr):
            signal = head(fr)
            if signal is not None:
                raise ExprSignal(signal)
            return last(fr) if last is not None else None
        return arm

    # ------------------------------------------------------------------------------------- simple ones
    def s_ExprStmt(self, node, scope):
        expr = self.expr(node.expr, scope)

        def expression(fr):
            expr(fr)
        return expression

    def s_Print(self, node, scope):
        value, write = self.expr(node.value, scope), output.write

        def print_(fr):
            write(display(value(fr)) + "\n")
        return print_

    def s_Block(self, node, scope):
        return self.block(node, scope)

    def s_Break(self, node, scope):
        return lambda fr: BREAK

    def s_Continue(self, node, scope):
        return lambda fr: CONTINUE

    def s_Return(self, node, scope):
        if node.value is None:
            def return_void(fr):
                fr[RETURN_SLOT] = None
                return RETURN
            return return_void
        value = self.expr(node.value, scope)

        def return_(fr):
            fr[RETURN_SLOT] = value(fr)
            return RETURN
        return return_

    # -------------------------------------------------------------------------------------- variables
    def s_Local(self, node, scope):
        if node.value is None:
            slots = [scope.slots[ident.name] for ident in node.names]

            def declare(fr):
                for slot in slots:
                    fr[slot] = None
            return declare
        return self.assign_name(node.names[0].name, self.expr(node.value, scope), scope)

    def s_Global(self, node, scope):
        value, name, globals_ = self.expr(node.value, scope), node.name.name, self.st.globals

        def global_(fr):
            globals_[name] = value(fr)
        return global_

    def s_Assign(self, node, scope):
        value = self.expr(node.value, scope)
        if isinstance(node.target, ast.Name):
            return self.assign_name(node.target.name, value, scope)
        return self.assign_field(node.target, value, scope)

    def assign_name(self, name, value, scope):
        slot = scope.slots.get(name)
        if slot is not None:
            def set_local(fr):
                fr[slot] = value(fr)
            return set_local
        globals_ = self.st.globals

        def set_global(fr):
            globals_[name] = value(fr)
        return set_global

    def assign_field(self, target, value, scope):
        obj, name, span = self.expr(target.obj, scope), target.name, target.span

        def set_field(fr):
            recv = obj(fr)
            val = value(fr)
            if type(recv) is not Instance:
                raise fail(f"Cannot set field '{name}' on non-instance type {type_name(recv)}", span)
            recv.fields[name] = val
        return set_field

    def s_Nowait(self, node, scope):
        value = self.expr(node.value, scope)

        def future(fr):
            try:
                return FutureBox(value(fr))
            except NyashRuntimeError as err:
                return FutureBox(err.thrown if err.thrown is not None else ErrorBox(err.message))
        return self.assign_name(node.name.name, future, scope)

    # ----------------------------------------------------------------------------------- control flow
    def s_If(self, node, scope):
        cond, then, truthy = self.expr(node.cond, scope), self.block(node.then, scope), ops.truthy
        if node.else_ is None:
            def if_(fr):
                c = cond(fr)
                if c is True or (c is not False and truthy(c)):
                    return then(fr)
                return None
            return if_
        otherwise = self.stmt(node.else_, scope)

        def if_else(fr):
            c = cond(fr)
            if c is True or (c is not False and truthy(c)):
                return then(fr)
            return otherwise(fr)
        return if_else

    def s_Loop(self, node, scope):
        body, truthy = self.block(node.body, scope), ops.truthy
        cond = self.expr(node.cond, scope) if node.cond is not None else (lambda fr: True)

        def loop(fr):
            while True:
                c = cond(fr)
                if not (c is True or (c is not False and truthy(c))):
                    return None
                signal = body(fr)
                if signal is not None and signal is not CONTINUE:
                    return None if signal is BREAK else signal
        return loop

    def s_Throw(self, node, scope):
        value, span = self.expr(node.value, scope), node.span

        def throw(fr):
            thrown = value(fr)
            if type(thrown) is not ErrorBox:
                thrown = ErrorBox(display(thrown))
            raise NyashRuntimeError(thrown.message, span, thrown=thrown)
        return throw

    def s_Try(self, node, scope):
        body = self.block(node.body, scope)
        clauses = [(c.type_name in CATCH_ALL_TYPES, scope.slots[c.var.name], self.block(c.body, scope))
                   for c in node.catches]
        final = self.block(node.finally_, scope) if node.finally_ is not None else None
        return _make_try(body, clauses, final)

    def s_Include(self, node, scope):
        return lambda fr: None


def _make_try(body, clauses, final):
    """try/catch/finally with the unwinding rules of language.md §4.1."""
    def handle(fr, err):
        for matches, slot, handler in clauses:
            if matches:
                fr[slot] = err.thrown if err.thrown is not None else ErrorBox(err.message)
                return handler(fr)
        raise err

    def try_(fr):
        try:
            try:
                signal = body(fr)
            except NyashRuntimeError as err:
                signal = handle(fr, err)
        except (NyashRuntimeError, EarlyReturn, ExprSignal):
            if final is not None:
                replaced = final(fr)
                if replaced is not None:
                    return replaced
            raise
        if final is not None:
            replaced = final(fr)
            if replaced is not None:
                return replaced
        return signal
    return try_


def _catch_expr_signal(compiled):
    def statement(fr):
        try:
            return compiled(fr)
        except ExprSignal as signal:
            return signal.signal
    return statement


def _direct_exprs(node) -> tuple:
    """Expressions evaluated by a statement itself (not by its nested blocks)."""
    if isinstance(node, ast.ExprStmt):
        return (node.expr,)
    if isinstance(node, ast.Assign):
        return (node.target, node.value)
    if isinstance(node, (ast.Print, ast.Throw, ast.Nowait, ast.Global)):
        return (node.value,)
    if isinstance(node, ast.Local):
        return () if node.value is None else (node.value,)
    if isinstance(node, ast.Return):
        return () if node.value is None else (node.value,)
    if isinstance(node, ast.If):
        return (node.cond,)
    if isinstance(node, ast.Loop):
        return () if node.cond is None else (node.cond,)
    return ()
