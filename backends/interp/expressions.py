"""Expressions: AST expression nodes -> Python closures `(frame) -> value`.

In: ast expression nodes and the compile-time Scope of their activation. Out: closures that evaluate them
with the Python runtime. Every closure that can fail attaches its node's span to runtime errors that do
not have one yet, so the innermost failing node is what the user sees (language.md §8.3).
"""
from __future__ import annotations

from operator import itemgetter

from nyash_run.runtime import operators as ops
from nyash_run.runtime.display import type_name
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.external import external_names
from nyash_run.runtime.methods import call_method, construct, result_err, result_ok, CONSTRUCTIBLE
from nyash_run.runtime.values import NULL, ErrorBox, FunctionBox, FutureBox, Instance, ResultBox
from nyash_run.diagnostics import plural
from nyash_run.syntax import ast
from .classes import invoke, singleton
from .state import MAX_CALL_DEPTH, UNBOUND, EarlyReturn, ME_SLOT, fail

I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
_MISSING = object()


def _const(value):
    return lambda fr: value


class ExpressionCompiler:
    """Mixin of the interpreter's Compiler: one `e_<Node>` method per expression node."""

    def expr(self, node, scope):
        return getattr(self, "e_" + type(node).__name__)(node, scope)

    def exprs(self, nodes, scope) -> list:
        return [self.expr(n, scope) for n in nodes]

    # --------------------------------------------------------------------------------------- literals
    def e_IntLit(self, node, scope):
        return _const(node.value)

    def e_FloatLit(self, node, scope):
        return _const(node.value)

    def e_StringLit(self, node, scope):
        return _const(node.value)

    def e_BoolLit(self, node, scope):
        return _const(node.value)

    def e_NullLit(self, node, scope):
        return _const(NULL)

    def e_VoidLit(self, node, scope):
        return _const(None)

    def e_Me(self, node, scope):
        return itemgetter(ME_SLOT)

    # -------------------------------------------------------------------------------------- variables
    def e_Name(self, node, scope):
        slot = scope.slots.get(node.name)
        if slot is not None:
            return self.read_local(node, slot, scope)
        return self.read_global(node)

    def read_local(self, node, slot, scope):
        if slot in scope.param_slots:
            return itemgetter(slot)
        message, span = f"Undefined variable '{node.name}'", node.span

        def local(fr):
            value = fr[slot]
            if value is UNBOUND:
                raise fail(message, span)
            return value
        return local

    def read_global(self, node, allow_static=True):
        """A global variable, else (allow_static) a static box's singleton, else an error (§3.3)."""
        name, span, st, globals_ = node.name, node.span, self.st, self.st.globals
        cls = self.classes.get(name) if allow_static else None
        static = cls if cls is not None and cls.is_static else None
        message = f"Undefined variable '{name}'"

        def global_(fr):
            value = globals_.get(name, _MISSING)
            if value is not _MISSING:
                return value
            if static is not None:
                return singleton(st, static, span)
            raise fail(message, span)
        return global_

    # ---------------------------------------------------------------------------------------- operators
    def e_Binary(self, node, scope):
        """Int/Int fast paths are generated per operand shape: a parameter or a constant operand is read
        inline instead of through another closure call (the interpreter's hottest code)."""
        op = ops.BINARY_OPS[node.op]
        left_slot = self.param_slot(node.left, scope)
        left = None if left_slot is not None else self.expr(node.left, scope)
        const = node.right.value if type(node.right) is ast.IntLit else None
        right = None if const is not None else self.expr(node.right, scope)
        factory = _binary_factory(node.op, left_slot is not None, const is not None)
        return factory(left, right, op, node.span, left_slot, const)

    def param_slot(self, node, scope):
        """The frame slot of `node` when it reads a parameter (always bound), else None."""
        if type(node) is ast.Name:
            slot = scope.slots.get(node.name)
            if slot is not None and slot in scope.param_slots:
                return slot
        return None

    def e_Logical(self, node, scope):
        left, right, truthy = self.expr(node.left, scope), self.expr(node.right, scope), ops.truthy
        if node.op == "and":
            return lambda fr: truthy(left(fr)) and truthy(right(fr))
        return lambda fr: truthy(left(fr)) or truthy(right(fr))

    def e_Unary(self, node, scope):
        operand, span = self.expr(node.operand, scope), node.span
        if node.op == "not":
            truthy = ops.truthy
            return lambda fr: not truthy(operand(fr))
        neg = ops.neg

        def negate(fr):
            value = operand(fr)
            if type(value) is int and value != I64_MIN:
                return -value
            try:
                return neg(value)
            except NyashRuntimeError as err:
                raise err.with_span(span)
        return negate

    # ------------------------------------------------------------------------------------------ fields
    def e_FieldGet(self, node, scope):
        obj, name, span = self.expr(node.obj, scope), node.name, node.span

        def field(fr):
            target = obj(fr)
            if type(target) is Instance:
                value = target.fields.get(name, _MISSING)
                if value is _MISSING:
                    raise fail(f"Field '{name}' not found in {target.cls.name}", span)
                return value
            raise fail(f"Cannot access field '{name}' on non-instance type {type_name(target)}", span)
        return field

    # ------------------------------------------------------------------------------------------- calls
    def e_Call(self, node, scope):
        args = self.exprs(node.args, scope)
        code = self.functions.get(node.name)
        if code is not None:
            return self.call_code(code, args, node.span, f"Function {node.name}")
        return self.dynamic_bare_call(node, args, scope)

    def call_code(self, code, args, span, label):
        """A call whose target is known when compiling: a global or static function. The activation is
        entered inline (not through `invoke`) because this is the interpreter's hottest path."""
        st, nparams = self.st, code.nparams
        if len(args) != nparams:
            message = f"{label} expects {plural(nparams, 'argument')}, got {len(args)}"

            def wrong_arity(fr):
                for arg in args:
                    arg(fr)
                raise fail(message, span)
            return wrong_arity
        if nparams != 1 or code.tail:
            return lambda fr: invoke(st, code, [a(fr) for a in args], None, span)
        (a0,) = args

        def call1(fr):
            frame = [None, None, a0(fr)]
            if st.depth >= MAX_CALL_DEPTH:
                raise fail("Maximum call depth exceeded", span)
            st.depth += 1
            try:
                return code.run(frame)
            except EarlyReturn as early:
                return early.value
            finally:
                st.depth -= 1
        return call1

    def dynamic_bare_call(self, node, args, scope):
        """Rules 2-4 of §3.5: a method of `me`, then a FunctionBox variable, else an error."""
        name, span, st = node.name, node.span, self.st
        in_box = scope.box is not None
        variable = self.e_Name(node, scope) if node.name in scope.slots else self.read_global(node, False)

        def bare_call(fr):
            values = [a(fr) for a in args]
            me = fr[ME_SLOT]
            if in_box and type(me) is Instance and name in me.cls.methods:
                return self.call_instance_method(me, name, values, span)
            try:
                target = variable(fr)
            except NyashRuntimeError:
                target = None
            if type(target) is FunctionBox:
                return _call_function_box(target, values, span)
            raise fail(f"Undefined function '{name}'", span)
        return bare_call

    def call_instance_method(self, recv, name, values, span):
        code = recv.cls.methods.get(name)
        if code is None:
            if name == "toString" and not values:
                return call_method(recv, "toString", values)
            raise fail(f"Method '{name}' not found in {recv.cls.name}", span)
        if len(values) != code.nparams:
            raise fail(f"Method {name} expects {plural(code.nparams, 'argument')}, got {len(values)}", span)
        return invoke(self.st, code, values, recv, span)

    def e_MethodCall(self, node, scope):
        args = self.exprs(node.args, scope)
        receiver = node.receiver
        if type(receiver) is ast.Name and receiver.name not in scope.slots:
            qualified = self.qualified_call(node, args)
            if qualified is not None:
                return qualified
        return self.method_call(self.expr(receiver, scope), node.name, args, node.span)

    def qualified_call(self, node, args):
        """Rules 2-3 of §3.5 for `X.m(args)`: a static function, or Result.Ok / Result.Err."""
        owner, name = node.receiver.name, node.name
        code = self.static_functions.get((owner, name))
        if code is not None:
            return self.call_code(code, args, node.span, f"Function {owner}.{name}")
        if owner == "Result" and name in ("Ok", "Err"):
            make, span = (result_ok if name == "Ok" else result_err), node.span

            def result(fr):
                values = [a(fr) for a in args]
                if len(values) != 1:
                    raise fail(f"{name}() expects 1 argument, got {len(values)}", span)
                return make(values[0])
            return result
        return None

    def method_call(self, receiver, name, args, span):
        call_instance_method = self.call_instance_method

        def method(fr):
            recv = receiver(fr)
            values = [a(fr) for a in args]
            if type(recv) is Instance:
                return call_instance_method(recv, name, values, span)
            try:
                return call_method(recv, name, values)
            except NyashRuntimeError as err:
                raise err.with_span(span)
        return method

    def e_New(self, node, scope):
        args, span, name = self.exprs(node.args, scope), node.span, node.class_name
        cls = self.classes.get(name)
        if cls is not None and not cls.is_static:
            return self.new_instance(cls, args, span)
        if cls is None and (name in CONSTRUCTIBLE or name in external_names()):
            def new_builtin(fr):
                values = [a(fr) for a in args]
                try:
                    return construct(name, values)
                except NyashRuntimeError as err:
                    raise err.with_span(span)
            return new_builtin

        def unknown(fr):
            for arg in args:
                arg(fr)
            raise fail(f"Unknown Box type: {name}", span)
        return unknown

    def new_instance(self, cls, args, span):
        st, ctors = self.st, cls.constructors

        def new(fr):
            values = [a(fr) for a in args]
            ctor = ctors.get(len(values))
            if ctor is None and values:
                raise fail(f"No constructor found for {cls.name} with {plural(len(values), 'argument')}", span)
            inst = Instance(cls, cls.new_fields(), st.next_serial())
            if ctor is not None:
                invoke(st, ctor, values, inst, span)
            return inst
        return new

    def e_FromCall(self, node, scope):
        args, span = self.exprs(node.args, scope), node.span
        parent = self.classes[node.parent]
        if node.method in ("birth", "init", "pack"):
            return self.parent_constructor(parent, args, span)
        return self.parent_method(parent, node.method, args, span)

    def parent_constructor(self, parent, args, span):
        st = self.st

        def from_birth(fr):
            values = [a(fr) for a in args]
            me = fr[ME_SLOT]
            ctor = parent.constructors.get(len(values))
            if ctor is not None:
                invoke(st, ctor, values, me, span)
            elif values:
                raise fail(f"No constructor found for parent class '{parent.name}' with "
                           f"{plural(len(values), 'argument')}", span)
            return me
        return from_birth

    def parent_method(self, parent, name, args, span):
        st = self.st

        def from_method(fr):
            values = [a(fr) for a in args]
            code = parent.methods.get(name)
            if code is None:
                raise fail(f"Method '{name}' not found in parent class '{parent.name}'", span)
            if len(values) != code.nparams:
                raise fail(f"Parent method {parent.name}.{name} expects {plural(code.nparams, 'argument')}, "
                           f"got {len(values)}", span)
            return invoke(st, code, values, fr[ME_SLOT], span)
        return from_method

    # ------------------------------------------------------------------------------------ tier 2 forms
    def e_Await(self, node, scope):
        operand = self.expr(node.operand, scope)

        def await_(fr):
            value = operand(fr)
            return value.value if type(value) is FutureBox else value
        return await_

    def e_Propagate(self, node, scope):
        operand, span = self.expr(node.operand, scope), node.span

        def propagate(fr):
            value = operand(fr)
            if type(value) is not ResultBox:
                raise fail(f"'?' expects a ResultBox, got {type_name(value)}", span)
            if value.ok:
                return value.value
            raise EarlyReturn(value)
        return propagate

    def e_Peek(self, node, scope):
        subject, eq = self.expr(node.subject, scope), ops.eq
        arms = [(self.expr(arm.pattern, scope)(None), self.arm_body(arm.body, scope)) for arm in node.arms]
        otherwise = self.arm_body(node.else_body, scope)

        def peek(fr):
            value = subject(fr)
            for pattern, body in arms:
                if eq(value, pattern):
                    return body(fr)
            return otherwise(fr)
        return peek

    def e_Lambda(self, node, scope):
        return self.lambda_expr(node, scope)


def _call_function_box(fbox, values, span):
    try:
        return fbox.invoke(values)
    except NyashRuntimeError as err:
        raise err.with_span(span)


_INT_ARITH = {"+", "-", "*"}
_INT_COMPARE = {"<", "<=", ">", ">=", "==", "!="}
_FACTORIES: dict = {}

_BINARY_TEMPLATE = """
def make(left, right, op, span, slot, const):
    def binary(fr):
        a = {left}
        b = {right}
        if type(a) is int{right_check}:
{fast}
        try:
            return op(a, b)
        except NyashRuntimeError as err:
            raise err.with_span(span)
    return binary
"""
_ARITH_FAST = """            n = a {op} b
            if -9223372036854775808 <= n <= 9223372036854775807:
                return n"""
_COMPARE_FAST = """            return a {op} b"""


def _binary_factory(op: str, left_is_slot: bool, right_is_const: bool):
    """A closure factory for `op` with the given operand shapes, generated once and cached."""
    key = (op, left_is_slot, right_is_const)
    factory = _FACTORIES.get(key)
    if factory is None:
        if op in _INT_ARITH:
            fast = _ARITH_FAST.format(op=op)
        elif op in _INT_COMPARE:
            fast = _COMPARE_FAST.format(op=op)
        else:  # / and % need the zero check and truncation of the runtime
            fast = "            pass"
        source = _BINARY_TEMPLATE.format(
            left="fr[slot]" if left_is_slot else "left(fr)",
            right="const" if right_is_const else "right(fr)",
            right_check="" if right_is_const else " and type(b) is int",
            fast=fast)
        namespace = {"NyashRuntimeError": NyashRuntimeError}
        exec(compile(source, f"<interp binary {op}>", "exec"), namespace)
        factory = _FACTORIES[key] = namespace["make"]
    return factory
