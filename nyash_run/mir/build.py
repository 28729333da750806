"""AST -> MIR: one ir.Function per function, method, constructor, static block and the top level.

In: a LoadedProgram (parsed and checked). Out: an ir.Module whose ClassInfo tables already resolve
inheritance (§5.4) and constructor choice (§5.2), so backends never search parents at run time.

Control flow lowering: `if`, `loop`, `and`/`or`, `peek` become branches with join blocks; `try` gives its
body blocks a handler block; a `finally` block is emitted once and entered with a (kind, payload) pair that
says how the protected code left (normal, return, break, continue, exception), then dispatches on it, so
every exit path runs the same finally code.
"""
from __future__ import annotations

from nyash_run.mir.ir import ClassInfo, Function, Module
from nyash_run.mir.lower import BodyLowering
from nyash_run.syntax import ast
from nyash_run.syntax.scopes import local_names

CONSTRUCTOR_PREFERENCE = ("birth", "pack", "init")


def function_name(name: str) -> str:
    return f"fn:{name}"


def static_function_name(owner: str, name: str) -> str:
    return f"sfn:{owner}.{name}"


def method_name(box: str, name: str) -> str:
    return f"m:{box}.{name}"


def constructor_name(box: str, kind: str, arity: int) -> str:
    return f"ctor:{box}.{kind}/{arity}"


def build_module(program) -> Module:
    module = Module(file=program.main_file, sources=program.sources)
    decls = program.decls
    module.classes = _class_table(decls)
    names = Names(decls, module.classes)
    for name, decl in decls.functions.items():
        _build(module, names, function_name(name), "function", name, decl.params, decl.body, None, decl.span)
    for (owner, name), decl in decls.static_functions.items():
        _build(module, names, static_function_name(owner, name), "function", f"{owner}.{name}",
               decl.params, decl.body, None, decl.span)
    for box in decls.boxes.values():
        _build_box(module, names, box)
    top = tuple(i for i in program.items if not isinstance(i, (ast.BoxDecl, ast.FunctionDecl, ast.Include)))
    _build(module, names, module.top, "top", "<top>", (), ast.Block(top, None), None, None)
    _find_main(module, decls)
    return module


class Names:
    """What the lowering needs to resolve names at build time."""

    def __init__(self, decls, classes: dict[str, ClassInfo]):
        self.functions = {name: (function_name(name), len(d.params)) for name, d in decls.functions.items()}
        self.static_functions = {key: (static_function_name(*key), len(d.params))
                                 for key, d in decls.static_functions.items()}
        self.classes = classes


def _build(module, names, fname, kind, label, params, body, box, span) -> Function:
    fn = Function(name=fname, kind=kind, label=label, box=box, span=span)
    lowering = BodyLowering(fn, names, [p.name for p in params], local_names(params, body))
    lowering.lower_body(body.stmts)
    module.functions[fname] = fn
    return fn


def _build_box(module, names, box: ast.BoxDecl) -> None:
    for method in box.methods:
        _build(module, names, method_name(box.name, method.name), "method", f"{box.name}.{method.name}",
               method.params, method.body, box.name, method.span)
    for ctor in box.constructors:
        _build(module, names, constructor_name(box.name, ctor.kind, len(ctor.params)), "constructor",
               f"{box.name}.{ctor.kind}", ctor.params, ctor.body, box.name, ctor.span)
    if box.static_init is not None:
        _build(module, names, f"static:{box.name}", "static_init", f"{box.name}.static", (),
               box.static_init, box.name, box.static_init.span)


def _class_table(decls) -> dict[str, ClassInfo]:
    classes: dict[str, ClassInfo] = {}

    def info(name: str) -> ClassInfo:
        if name in classes:
            return classes[name]
        box = decls.boxes[name]
        fields = dict.fromkeys(f.name for f in box.fields)
        methods = {m.name: method_name(name, m.name) for m in box.methods}
        for parent in box.parents:
            parent_info = info(parent.name)
            fields.update(dict.fromkeys(parent_info.fields))
            for mname, fname in parent_info.methods.items():
                methods.setdefault(mname, fname)
        classes[name] = ClassInfo(name, box.is_static, [p.name for p in box.parents], list(fields), methods,
                                  _constructors(box), f"static:{name}" if box.static_init else None,
                                  box.name_span)
        return classes[name]

    for name in decls.boxes:
        info(name)
    return classes


def _constructors(box: ast.BoxDecl) -> dict[int, str]:
    """Per arity: birth, else pack, else init; a later duplicate (same kind and arity) replaces an earlier."""
    kinds_by_arity: dict[int, set[str]] = {}
    for ctor in box.constructors:
        kinds_by_arity.setdefault(len(ctor.params), set()).add(ctor.kind)
    return {arity: constructor_name(box.name, next(k for k in CONSTRUCTOR_PREFERENCE if k in kinds), arity)
            for arity, kinds in kinds_by_arity.items()}


def _find_main(module: Module, decls) -> None:
    main_box = module.classes.get("Main")
    if main_box is None or not main_box.is_static or "main" not in main_box.methods:
        return
    module.main = main_box.methods["main"]
    main_fn = module.functions[module.main]
    module.main_arity = len(main_fn.params)
    module.main_span = main_fn.span
