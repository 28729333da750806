"""Lowering one body (statements and expressions) into an ir.Function.

In: the statements of a function, method, constructor, static block or the top level, with its parameters
and local names (syntax.scopes). Out: the function's blocks, built through ssa.FunctionBuilder.

Exits (`return`, `break`, `continue`, `?` on an Err) go through every enclosing `finally` on the way out:
`_exits` is a stack with one entry per active loop or try-with-finally, and an exit walks it from the top.
"""
from __future__ import annotations

import dataclasses

from nyash_run.mir.ir import Block, Function
from nyash_run.mir.ssa import FunctionBuilder
from nyash_run.runtime.values import NULL
from nyash_run.diagnostics import plural
from nyash_run.syntax import ast

NORMAL, RETURN, BREAK, CONTINUE, EXCEPTION = range(5)
CATCH_ALL_TYPES = (None, "Error", "ErrorBox")


class _Loop:
    def __init__(self, header: Block, exit: Block):
        self.header, self.exit = header, exit


class _Finally:
    def __init__(self, block: Block):
        self.block = block                # takes (kind, payload)
        self.kinds: set[int] = set()


def _contains_try(node) -> bool:
    """Whether a try statement occurs anywhere in `node` (lambda bodies excluded: they are their own
    functions)."""
    if isinstance(node, ast.Try):
        return True
    if isinstance(node, ast.Lambda):
        return False
    if isinstance(node, (list, tuple)):
        return any(_contains_try(child) for child in node)
    if dataclasses.is_dataclass(node):
        return any(_contains_try(getattr(node, f.name)) for f in dataclasses.fields(node)
                   if f.name != "span")
    return False


class BodyLowering:
    def __init__(self, fn: Function, names, params: list[str], locals_: list[str]):
        self.fn = fn
        self.names = names
        self.locals = set(locals_)
        self._pending_locals = locals_
        self._params = params
        self._exits: list = []

    # ----------------------------------------------------------------------------------------- bodies
    def lower_body(self, stmts) -> None:
        stmts = list(stmts)
        use_slots = _contains_try(stmts)
        self.b = FunctionBuilder(self.fn, self._pending_locals, self._params, use_slots)
        b = self.b
        if self.fn.kind in ("method", "constructor", "static_init"):
            self.fn.self_value = self.fn.new_value("me")
        param_values = {}
        for name in self._params:
            value = self.fn.new_value(name)
            self.fn.params.append(value)
            param_values[name] = value
        b.define_entry_locals(self._pending_locals, param_values)
        last = None
        if stmts and isinstance(stmts[-1], ast.ExprStmt):
            last = stmts.pop().expr
        for stmt in stmts:
            self.stmt(stmt)
        result = self.expr(last) if last is not None else b.const(None)
        self.exit_return(result)

    # ------------------------------------------------------------------------------------- statements
    def stmt(self, node) -> None:
        getattr(self, "s_" + type(node).__name__)(node)

    def stmts(self, nodes) -> None:
        for node in nodes:
            self.stmt(node)

    def s_Block(self, node):
        self.stmts(node.stmts)

    def s_ExprStmt(self, node):
        self.expr(node.expr)

    def s_Include(self, node):
        pass

    def s_Print(self, node):
        self.b.emit("PRINT", [self.expr(node.value)], node.span)

    def s_Local(self, node):
        if node.value is None:
            void = self.b.const(None)
            for ident in node.names:
                self.b.write(ident.name, void)
        else:
            self.assign(node.names[0].name, self.expr(node.value), node.span)

    def s_Global(self, node):
        self.b.emit("SET_GLOBAL", [node.name.name, self.expr(node.value)], node.span)

    def s_Assign(self, node):
        target = node.target
        if isinstance(target, ast.Name):
            self.assign(target.name, self.expr(node.value), node.span)
            return
        obj = self.expr(target.obj)
        value = self.expr(node.value)
        self.b.emit("SET_FIELD", [target.name, obj, value], target.span)

    def assign(self, name: str, value, span) -> None:
        if name in self.locals:
            self.b.write(name, value, span)
        else:
            self.b.emit("SET_GLOBAL", [name, value], span)

    def s_If(self, node):
        b = self.b
        cond = self.condition(node.cond)
        then, otherwise, merge = b.new_block("then"), b.new_block("else"), b.new_block("endif")
        b.branch(cond, then, otherwise, merge)
        for block, body in ((then, node.then), (otherwise, node.else_)):
            b.seal(block)
            b.set_block(block)
            if body is not None:
                self.stmt(body)
            if not b.terminated:
                b.jump(merge)
        b.seal(merge)
        b.set_block(merge)

    def condition(self, expr):
        return self.b.emit("TRUTHY", [self.expr(expr)], getattr(expr, "span", None))

    def s_Loop(self, node):
        b = self.b
        header, body, exit_ = b.new_block("loop"), b.new_block("body"), b.new_block("endloop")
        header.loop_exit = exit_
        b.jump(header)
        b.set_block(header)
        if node.cond is not None:
            b.branch(self.condition(node.cond), body, exit_)
        else:
            b.jump(body)
        b.seal(body)
        b.set_block(body)
        self._exits.append(_Loop(header, exit_))
        self.stmt(node.body)
        self._exits.pop()
        if not b.terminated:
            b.jump(header)
        b.seal(header)
        b.seal(exit_)
        b.set_block(exit_)

    def s_Break(self, node):
        self.exit_loop(BREAK)

    def s_Continue(self, node):
        self.exit_loop(CONTINUE)

    def s_Return(self, node):
        value = self.expr(node.value) if node.value is not None else self.b.const(None)
        self.exit_return(value)

    def s_Throw(self, node):
        self.b.terminate("THROW", [self.expr(node.value)], span=node.span)

    # ------------------------------------------------------------------------------------------- exits
    def exit_return(self, value) -> None:
        for entry in reversed(self._exits):
            if isinstance(entry, _Finally):
                return self._enter_finally(entry, RETURN, value)
        self.b.terminate("RETURN", [value])

    def exit_loop(self, kind: int) -> None:
        for entry in reversed(self._exits):
            if isinstance(entry, _Finally):
                return self._enter_finally(entry, kind, self.b.const(None))
            if isinstance(entry, _Loop):
                return self.b.jump(entry.exit if kind == BREAK else entry.header)
        raise AssertionError("break/continue outside a loop passed the load checks")

    def _enter_finally(self, entry: _Finally, kind: int, payload) -> None:
        entry.kinds.add(kind)
        self.b.jump(entry.block, [self.b.const(kind), payload])

    # -------------------------------------------------------------------------------------------- try
    def s_Try(self, node):
        b = self.b
        outer = b.handler
        after = b.new_block("endtry")
        fin = None
        if node.finally_ is not None:
            fin = _Finally(b.new_block("finally"))
            fin.block.params = [self.fn.new_value("kind"), self.fn.new_value("payload")]
            fin.block.handler = outer
        catch_pad = self._catch_pad(fin, outer) if node.catches else None
        fin_pad = self._finally_pad(fin, outer) if fin is not None else None
        body_handler = catch_pad or fin_pad
        self._protected(node.body, body_handler, fin, after)
        if catch_pad is not None:
            self._catches(node.catches, catch_pad, fin_pad or outer, fin, after)
        if fin is not None:
            self._finally(node.finally_, fin, after, outer)
        b.handler = outer
        b.seal(after)
        b.set_block(after)

    def _catch_pad(self, fin, outer) -> Block:
        pad = self.b.new_block("catch")
        pad.params = [self.fn.new_value("exc")]
        self.b.seal(pad)
        return pad

    def _finally_pad(self, fin: _Finally, outer) -> Block:
        b = self.b
        pad = b.new_block("finally_exc")
        pad.handler = outer
        pad.params = [self.fn.new_value("exc")]
        b.seal(pad)
        saved = b.block
        b.set_block(pad)
        self._enter_finally(fin, EXCEPTION, pad.params[0])
        b.set_block(saved)
        return pad

    def _protected(self, body, handler, fin, after) -> None:
        """The try block: its blocks send exceptions to `handler`; exits pass through `fin`."""
        b = self.b
        b.handler = handler
        start = b.new_block("try")
        b.jump(start)
        b.seal(start)
        b.set_block(start)
        if fin is not None:
            self._exits.append(fin)
        self.stmt(body)
        if fin is not None:
            self._exits.pop()
        self._leave_normally(fin, after)

    def _leave_normally(self, fin, after) -> None:
        if self.b.terminated:
            return
        if fin is not None:
            self._enter_finally(fin, NORMAL, self.b.const(None))
        else:
            self.b.jump(after)

    def _catches(self, catches, pad: Block, handler, fin, after) -> None:
        b = self.b
        b.handler = handler
        pad.handler = handler
        b.set_block(pad)
        exc = pad.params[0]
        clause = next((c for c in catches if c.type_name in CATCH_ALL_TYPES), None)
        if clause is None:                      # `catch (T e)` with any other T never matches (§4.1)
            if fin is not None:
                self._enter_finally(fin, EXCEPTION, exc)
            else:
                b.terminate("RETHROW", [exc])
            return
        self.assign(clause.var.name, b.emit("EXC_VALUE", [exc], clause.span), clause.span)
        if fin is not None:
            self._exits.append(fin)
        self.stmt(clause.body)
        if fin is not None:
            self._exits.pop()
        self._leave_normally(fin, after)

    def _finally(self, body, fin: _Finally, after: Block, outer) -> None:
        """The finally code, once, then a dispatch on how the protected code left."""
        b = self.b
        b.handler = outer
        b.seal(fin.block)
        b.set_block(fin.block)
        kind, payload = fin.block.params
        self.stmt(body)
        if b.terminated:
            return
        for k in sorted(fin.kinds):
            is_k = b.emit("BINOP", ["==", kind, b.const(k)])
            take, rest = b.new_block("fin_take"), b.new_block("fin_rest")
            b.branch(is_k, take, rest)
            b.seal(take)
            b.seal(rest)
            b.set_block(take)
            self._resume(k, payload, after)
            b.set_block(rest)
        b.jump(after)

    def _resume(self, kind: int, payload, after: Block) -> None:
        if kind == NORMAL:
            self.b.jump(after)
        elif kind == RETURN:
            self.exit_return(payload)
        elif kind == EXCEPTION:
            self.b.terminate("RETHROW", [payload])
        else:
            self.exit_loop(kind)

    # ------------------------------------------------------------------------------------- expressions
    def expr(self, node):
        return getattr(self, "e_" + type(node).__name__)(node)

    def e_IntLit(self, node):
        return self.b.const(node.value)

    e_FloatLit = e_StringLit = e_BoolLit = e_IntLit

    def e_NullLit(self, node):
        return self.b.const(NULL)

    def e_VoidLit(self, node):
        return self.b.const(None)

    def e_Me(self, node):
        return self.fn.self_value

    def e_Name(self, node):
        if node.name in self.locals:
            return self.b.read(node.name, node.span)
        return self.b.emit("GET_NAME", [node.name], node.span, hint=node.name)

    def e_Binary(self, node):
        left = self.expr(node.left)
        right = self.expr(node.right)
        return self.b.emit("BINOP", [node.op, left, right], node.span)

    def e_Unary(self, node):
        return self.b.emit("UNOP", [node.op, self.expr(node.operand)], node.span)

    def e_Logical(self, node):
        b = self.b
        left = self.condition(node.left)
        rhs, short, merge = b.new_block("rhs"), b.new_block("short"), b.new_block("logic")
        merge.params = [self.fn.new_value(node.op)]
        first, second = (rhs, short) if node.op == "and" else (short, rhs)
        b.branch(left, first, second, merge)
        b.seal(rhs)
        b.seal(short)
        b.set_block(short)
        b.jump(merge, [b.const(node.op == "or")])
        b.set_block(rhs)
        b.jump(merge, [self.condition(node.right)])
        b.seal(merge)
        b.set_block(merge)
        return merge.params[0]

    def e_FieldGet(self, node):
        return self.b.emit("GET_FIELD", [node.name, self.expr(node.obj)], node.span)

    def e_New(self, node):
        args = [self.expr(a) for a in node.args]
        return self.b.emit("NEW", [node.class_name] + args, node.span)

    def e_FromCall(self, node):
        args = [self.expr(a) for a in node.args]
        return self.b.emit("FROM_CALL", [node.parent, node.method, self.fn.self_value] + args, node.span)

    def e_Call(self, node):
        args = [self.expr(a) for a in node.args]
        target = self.names.functions.get(node.name)
        if target is not None:
            return self.known_call(target, args, node.span, f"Function {node.name}")
        me = self.fn.self_value if self.fn.box is not None else self.b.const(None)
        if node.name in self.locals:
            fvar = self.b.read_raw(node.name)
        else:
            fvar = self.b.emit("GET_GLOBAL_SOFT", [node.name])
        return self.b.emit("CALL_BARE", [node.name, me, fvar] + args, node.span)

    def known_call(self, target, args, span, label):
        fname, nparams = target
        if len(args) != nparams:
            self.b.terminate("RAISE", [f"{label} expects {plural(nparams, 'argument')}, got {len(args)}"],
                             span=span)
            return self.b.const(None)
        return self.b.emit("CALL", [fname] + args, span)

    def e_MethodCall(self, node):
        receiver = node.receiver
        if isinstance(receiver, ast.Name) and receiver.name not in self.locals:
            special = self.qualified_call(node)
            if special is not None:
                return special
        recv = self.expr(receiver)
        args = [self.expr(a) for a in node.args]
        return self.b.emit("CALL_METHOD", [node.name, recv] + args, node.span)

    def qualified_call(self, node):
        owner, name = node.receiver.name, node.name
        target = self.names.static_functions.get((owner, name))
        if target is not None:
            args = [self.expr(a) for a in node.args]
            return self.known_call(target, args, node.span, f"Function {owner}.{name}")
        if owner == "Result" and name in ("Ok", "Err"):
            args = [self.expr(a) for a in node.args]
            if len(args) != 1:
                self.b.terminate("RAISE", [f"{name}() expects 1 argument, got {len(args)}"], span=node.span)
                return self.b.const(None)
            return self.b.emit("MAKE_RESULT", [name == "Ok", args[0]], node.span)
        return None

    # ----------------------------------------------------------------------------------- tier 2 forms
    def e_Propagate(self, node):
        b = self.b
        value = self.expr(node.operand)
        ok = b.emit("RESULT_OK", [value], node.span)
        cont, fail = b.new_block("ok"), b.new_block("err")
        b.branch(ok, cont, fail)
        b.seal(cont)
        b.seal(fail)
        b.set_block(fail)
        self.exit_return(value)
        b.set_block(cont)
        return b.emit("RESULT_VALUE", [value])

    def e_Peek(self, node):
        b = self.b
        subject = self.expr(node.subject)
        merge = b.new_block("endpeek")
        merge.params = [self.fn.new_value("peek")]
        for arm in node.arms:
            pattern = self.expr(arm.pattern)
            hit = b.emit("BINOP", ["==", subject, pattern], arm.span)
            take, rest = b.new_block("arm"), b.new_block("next")
            b.branch(hit, take, rest)
            b.seal(take)
            b.seal(rest)
            b.set_block(take)
            self._arm(arm.body, merge)
            b.set_block(rest)
        self._arm(node.else_body, merge)
        b.seal(merge)
        b.set_block(merge)
        return merge.params[0]

    def _arm(self, body, merge: Block) -> None:
        if isinstance(body, ast.Block):
            stmts = list(body.stmts)
            last = stmts.pop().expr if stmts and isinstance(stmts[-1], ast.ExprStmt) else None
            self.stmts(stmts)
            value = self.expr(last) if last is not None else self.b.const(None)
        else:
            value = self.expr(body)
        if not self.b.terminated:
            self.b.jump(merge, [value])
