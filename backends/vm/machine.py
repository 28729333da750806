"""Assembling and running a VM program.

In: an ir.Module. Out: `VMProgram`, whose `run(argv)` returns Main.main's value (None without one) or raises
a NyashRuntimeError located at its MIR instruction's span.
"""
from __future__ import annotations

import itertools

from nyash_run.diagnostics import plural
from nyash_run.mir.ir import UNBOUND, Function, Module
from nyash_run.runtime import operators, output
from nyash_run.runtime.display import display
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.values import NULL, ArrayBox
from .codegen import OpLowering, Source, StructureError, prologue, signature
from .dispatch import emit_dispatch
from .structured import StructuredEmitter
from .support import STATIC_SUPPORT, VMClass, VMState, locate, make_support

_program_ids = itertools.count(1)


def generate(module: Module) -> tuple[Source, dict[str, str]]:
    """Python source for every function of the module, and each MIR function's Python name."""
    names = {fname: f"F{index}" for index, fname in enumerate(module.functions)}
    src = Source()
    lowering = OpLowering(src, names, module.classes)
    for fname, fn in module.functions.items():
        emit_function(fn, names[fname], lowering, src)
    return src, names


def emit_function(fn: Function, name: str, lowering: OpLowering, src: Source) -> None:
    src.add(0, f"# {fn.kind} {fn.name}")
    src.add(0, signature(fn, name))
    prologue(src, fn, lowering.fn_names)
    lowering.start_function(fn)
    mark = len(src.lines)
    if not any(block.handler is not None for block in fn.blocks):
        try:
            StructuredEmitter(fn, lowering, src).emit()
            return
        except StructureError:
            _truncate(src, mark)
    emit_dispatch(fn, lowering, src)


def _truncate(src: Source, length: int) -> None:
    del src.lines[length:]
    for line in [n for n in src.spans if n > length]:
        del src.spans[line]


def _namespace(state: VMState, src: Source) -> dict:
    ns = {name: getattr(operators, name) for name in
          ("add", "sub", "mul", "div", "mod", "lt", "le", "gt", "ge", "eq", "ne", "neg", "not_", "truthy", "wrap")}
    ns.update(STATIC_SUPPORT)
    ns.update(make_support(state))
    ns.update(src.constants)
    ns.update({"display": display, "write": output.write, "NULL": NULL, "UNBOUND": UNBOUND})
    return ns


class VMProgram:
    def __init__(self, module: Module):
        self.module = module
        self.state = state = VMState()
        state.filename = f"<nyash-vm-{next(_program_ids)}>"
        src, names = generate(module)
        self.source = src
        self.ns = _namespace(state, src)
        exec(compile(src.text(), state.filename, "exec"), self.ns)
        state.line_spans = src.spans
        self.functions = {fname: self.ns[pyname] for fname, pyname in names.items()}
        self._link_classes()

    def _link_classes(self) -> None:
        fns, module = self.functions, self.module
        for name, info in module.classes.items():
            cls = VMClass(name, info.is_static, list(info.fields))
            cls.methods = {m: (fns[f], len(module.functions[f].params)) for m, f in info.methods.items()}
            cls.constructors = {arity: (fns[f], arity) for arity, f in info.constructors.items()}
            cls.static_init = fns[info.static_init] if info.static_init else None
            self.state.classes[name] = cls

    def run(self, argv: list[str]):
        try:
            self.functions[self.module.top](0)
            return self._run_main(argv)
        except NyashRuntimeError as err:
            raise locate(err, self.state)

    def _run_main(self, argv: list[str]):
        module = self.module
        if module.main is None:
            return None
        me = self.ns["singleton"](0, self.state.classes["Main"])
        if module.main_arity > 1:
            raise NyashRuntimeError(f"Method main expects {plural(module.main_arity, 'argument')}, got 0",
                                    module.main_span)
        args = [ArrayBox(list(argv))] if module.main_arity == 1 else []
        return self.functions[module.main_entry or module.main](1, me, *args)
