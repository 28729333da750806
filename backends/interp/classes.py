"""User boxes, functions and calls as the interpreter sees them.

In: syntax declarations (BoxDecl, FunctionDecl). Out: BoxClass objects with their method tables, field lists
and constructors, `Code` objects for every callable body, and `invoke`, the one place a user call enters a
new activation (argument binding, the call-depth limit of language.md §3.4, early return of `?`).
"""
from __future__ import annotations

from typing import Callable

from nyash_run.runtime.values import Instance
from .state import (MAX_CALL_DEPTH, UNBOUND, EarlyReturn, RunState, fail)


class Code:
    """A callable body: a function, method, constructor, static block or lambda.

    `run(frame) -> value` is filled in by the compiler after every Code exists, so bodies can refer to
    each other (recursion, mutual recursion) regardless of declaration order.
    """
    __slots__ = ("label", "nparams", "tail", "run", "decl_span")

    def __init__(self, label: str, nparams: int, decl_span=None):
        self.label = label            # `f`, `B.f`, `Foo.m`: used in arity messages
        self.nparams = nparams
        self.tail: list = []          # UNBOUND for every non-parameter local, copied per call
        self.run: Callable[[list], object] | None = None
        self.decl_span = decl_span

    def set_layout(self, nslots_total: int) -> None:
        self.tail = [UNBOUND] * (nslots_total - 2 - self.nparams)


def invoke(st: RunState, code: Code, args: list, me, span) -> object:
    """Run `code` in a new activation; `span` is where a call-depth error is reported."""
    if st.depth >= MAX_CALL_DEPTH:
        raise fail("Maximum call depth exceeded", span)
    frame = [me, None, *args]
    frame += code.tail
    st.depth += 1
    try:
        return code.run(frame)
    except EarlyReturn as early:
        return early.value
    finally:
        st.depth -= 1


class BoxClass:
    """A user box: ordinary (instantiated with `new`) or static (one lazily initialised singleton)."""
    __slots__ = ("name", "is_static", "decl", "parents", "field_names", "own_methods", "methods",
                 "constructors", "static_init", "instance")

    def __init__(self, decl):
        self.name = decl.name
        self.is_static = decl.is_static
        self.decl = decl
        self.parents: list[BoxClass] = []
        self.field_names: list[str] = []
        self.own_methods: dict[str, Code] = {}
        self.methods: dict[str, Code] = {}
        self.constructors: dict[int, Code] = {}
        self.static_init: Code | None = None
        self.instance: Instance | None = None

    def new_fields(self) -> dict:
        return dict.fromkeys(self.field_names)


CONSTRUCTOR_PREFERENCE = ("birth", "pack", "init")


def choose_constructors(decl, make_code) -> dict[int, tuple]:
    """Per arity, the constructor `new` uses: birth, else pack, else init (later duplicates replace)."""
    by_key = {}
    for ctor in decl.constructors:
        by_key[(ctor.kind, len(ctor.params))] = ctor
    chosen: dict[int, tuple] = {}
    for kind in reversed(CONSTRUCTOR_PREFERENCE):
        for (k, arity), ctor in by_key.items():
            if k == kind:
                chosen[arity] = (ctor, make_code(ctor))
    return chosen


def link_classes(classes: dict[str, BoxClass]) -> None:
    """Resolve parents, then fill every class's field list and method table (own first, parents
    depth-first left to right, first definition wins: language.md §5.4)."""
    for cls in classes.values():
        cls.parents = [classes[p.name] for p in cls.decl.parents]
    done: set[str] = set()

    def fill(cls: BoxClass) -> None:
        if cls.name in done:
            return
        done.add(cls.name)
        fields = dict.fromkeys(f.name for f in cls.decl.fields)
        methods = dict(cls.own_methods)
        for parent in cls.parents:
            fill(parent)
            fields.update(dict.fromkeys(parent.field_names))
            for name, code in parent.methods.items():
                methods.setdefault(name, code)
        cls.field_names = list(fields)
        cls.methods = methods

    for cls in classes.values():
        fill(cls)


def singleton(st: RunState, cls: BoxClass, span) -> Instance:
    """The static box's instance, initialised on first use (language.md §5.5)."""
    inst = cls.instance
    if inst is not None:
        return inst
    inst = Instance(cls, cls.new_fields(), st.next_serial())
    cls.instance = inst
    if cls.static_init is not None:
        invoke(st, cls.static_init, [], inst, span)
    return inst
