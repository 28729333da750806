"""The interpreter's compiler: a loaded program -> a tree of Python closures, one per AST node.

In: syntax.loader.LoadedProgram (parsed, declarations registered, load checks passed). Out: `Compiled`,
holding the top-level closure, every user box as a BoxClass and every function as a Code. Walking the AST
once into closures (instead of re-dispatching on node types at every step) keeps the interpreter's
per-node cost to one Python call while every closure still knows its node's span.
"""
from __future__ import annotations

from nyash_run.diagnostics import plural
from nyash_run.runtime.values import FunctionBox
from nyash_run.syntax import ast
from nyash_run.syntax.scopes import local_names
from .classes import BoxClass, Code, choose_constructors, link_classes
from .expressions import ExpressionCompiler
from .state import FIRST_LOCAL, MAX_CALL_DEPTH, UNBOUND, EarlyReturn, RunState, fail
from .statements import StatementCompiler


class Scope:
    """Compile-time view of one activation: slot of each local name, the lexically enclosing box."""

    def __init__(self, names: list[str], nparams: int, box: BoxClass | None, base: "Scope | None" = None):
        self.slots: dict[str, int] = dict(base.slots) if base is not None else {}
        self.box = box
        self.param_slots: set[int] = set()
        next_slot = max(self.slots.values(), default=FIRST_LOCAL - 1) + 1
        for index, name in enumerate(names):
            if name not in self.slots:
                self.slots[name] = next_slot
                next_slot += 1
            if index < nparams:
                self.param_slots.add(self.slots[name])
        self.size = next_slot


class Compiler(ExpressionCompiler, StatementCompiler):
    def __init__(self, program, st: RunState):
        self.st = st
        self.program = program
        decls = program.decls
        self.functions: dict[str, Code] = {n: Code(n, len(d.params), d.span) for n, d in decls.functions.items()}
        self.static_functions: dict[tuple[str, str], Code] = {
            key: Code(f"{key[0]}.{key[1]}", len(d.params), d.span) for key, d in decls.static_functions.items()}
        self.classes: dict[str, BoxClass] = {name: BoxClass(d) for name, d in decls.boxes.items()}
        self._pending: list = []          # (code, params, body stmts, box) compiled after all shells exist
        self._declare_members()
        link_classes(self.classes)

    def _declare_members(self) -> None:
        decls = self.program.decls
        for name, decl in decls.functions.items():
            self._pending.append((self.functions[name], decl.params, decl.body, None))
        for key, decl in decls.static_functions.items():
            self._pending.append((self.static_functions[key], decl.params, decl.body, None))
        for cls in self.classes.values():
            self._declare_box(cls)

    def _declare_box(self, cls: BoxClass) -> None:
        for method in cls.decl.methods:
            code = Code(f"{cls.name}.{method.name}", len(method.params), method.span)
            cls.own_methods[method.name] = code
            self._pending.append((code, method.params, method.body, cls))

        def make_ctor(ctor):
            code = Code(f"{cls.name}.{ctor.kind}", len(ctor.params), ctor.span)
            self._pending.append((code, ctor.params, ctor.body, cls))
            return code
        cls.constructors = {arity: code for arity, (_, code) in choose_constructors(cls.decl, make_ctor).items()}
        if cls.decl.static_init is not None:
            cls.static_init = Code(f"{cls.name}.static", 0)
            self._pending.append((cls.static_init, (), cls.decl.static_init, cls))

    def compile_bodies(self) -> None:
        # every frame layout first, so call sites compiled below can specialise on their callee's layout
        scopes = []
        for code, params, body, box in self._pending:
            scope = Scope(local_names(params, body), len(params), box)
            code.set_layout(scope.size)
            scopes.append(scope)
        for (code, params, body, box), scope in zip(self._pending, scopes):
            code.run = self.body(body.stmts, scope)
        self._pending.clear()

    def compile_top_level(self):
        """The top-level statements (declarations are hoisted; includes are already flattened)."""
        stmts = [item for item in self.program.items
                 if not isinstance(item, (ast.BoxDecl, ast.FunctionDecl, ast.Include))]
        scope = Scope(local_names((), tuple(stmts)), 0, None)
        run = self.block(ast.Block(tuple(stmts), None), scope)
        return run, scope.size

    # ------------------------------------------------------------------------------------------ lambdas
    def lambda_expr(self, node: ast.Lambda, scope: Scope):
        """(T2) A FunctionBox capturing a copy of the enclosing frame (language.md §9.2)."""
        names = local_names(node.params, node.body)
        inner = Scope(names, len(node.params), scope.box, base=scope)
        inner.param_slots = {inner.slots[p.name] for p in node.params}
        param_slots = [inner.slots[p.name] for p in node.params]
        extra = [UNBOUND] * (inner.size - scope.size)
        run = self.body(node.body.stmts, inner)
        nparams, st = len(param_slots), self.st

        def create(fr):
            captured = fr + extra

            def call(args):
                if len(args) != nparams:
                    raise fail(f"Lambda expects {plural(nparams, 'argument')}, got {len(args)}", None)
                if st.depth >= MAX_CALL_DEPTH:
                    raise fail("Maximum call depth exceeded", None)
                frame = captured[:]
                for slot, value in zip(param_slots, args):
                    frame[slot] = value
                st.depth += 1
                try:
                    return run(frame)
                except EarlyReturn as early:
                    return early.value
                finally:
                    st.depth -= 1
            return FunctionBox(call)
        return create
