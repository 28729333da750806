"""Run-time support for the Python code the VM generates from MIR.

In: calls from generated functions (which receive the call depth `d` and `me` first). Out: values, or a
NyashRuntimeError. Generated code never carries spans on the fast path: when an error escapes, `locate`
finds the innermost generated frame in its traceback and maps that frame's line to the span of the MIR
instruction emitted there (zero cost until something fails).
"""
from __future__ import annotations

from nyash_run.diagnostics import plural
from nyash_run.runtime.display import display, type_name
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.external import external_names
from nyash_run.runtime.methods import CONSTRUCTIBLE, call_method as builtin_method, construct
from nyash_run.runtime.values import ArrayBox, ErrorBox, FunctionBox, Instance, ResultBox

MAX_CALL_DEPTH = 10_000
SKIP = object()                        # a generated line whose errors belong to the caller (prologue)
_MISSING = object()


class VMClass:
    """A user box at run time: methods and constructors map to (generated function, parameter count)."""
    __slots__ = ("name", "is_static", "fields", "methods", "constructors", "static_init", "instance")

    def __init__(self, name: str, is_static: bool, fields: list[str]):
        self.name = name
        self.is_static = is_static
        self.fields = fields
        self.methods: dict[str, tuple] = {}
        self.constructors: dict[int, tuple] = {}
        self.static_init = None
        self.instance: Instance | None = None


class VMState:
    """The mutable state of one run: globals, classes, the serial counter, the line -> span table."""

    def __init__(self) -> None:
        self.globals: dict[str, object] = {}
        self.classes: dict[str, VMClass] = {}
        self.serial = 0
        self.filename = "<nyash-vm>"
        self.line_spans: dict[int, object] = {}

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


def depth_error() -> NyashRuntimeError:
    return NyashRuntimeError("Maximum call depth exceeded")


def locate(err: NyashRuntimeError, state: VMState) -> NyashRuntimeError:
    """Give `err` the span of the innermost generated line it passed through, unless it has one."""
    if err.span is not None:
        return err
    frames = []
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == state.filename:
            frames.append(tb.tb_lineno)
        tb = tb.tb_next
    for line in reversed(frames):
        span = state.line_spans.get(line)
        if span is not None and span is not SKIP:
            err.span = span
            break
    return err


def make_support(state: VMState) -> dict:
    """The helpers generated code calls, bound to one run's state."""
    globals_, classes = state.globals, state.classes

    def singleton(d, cls):
        inst = cls.instance
        if inst is not None:
            return inst
        inst = Instance(cls, dict.fromkeys(cls.fields), state.next_serial())
        cls.instance = inst
        if cls.static_init is not None:
            cls.static_init(d + 1, inst)
        return inst

    def get_name(d, name):
        value = globals_.get(name, _MISSING)
        if value is not _MISSING:
            return value
        cls = classes.get(name)
        if cls is not None and cls.is_static:
            return singleton(d, cls)
        raise NyashRuntimeError(f"Undefined variable '{name}'")

    def call_method(d, recv, name, args):
        if type(recv) is Instance:
            entry = recv.cls.methods.get(name)
            if entry is None:
                if name == "toString" and not args:
                    return display(recv)
                raise NyashRuntimeError(f"Method '{name}' not found in {recv.cls.name}")
            fn, nparams = entry
            if len(args) != nparams:
                raise NyashRuntimeError(f"Method {name} expects {plural(nparams, 'argument')}, got {len(args)}")
            return fn(d + 1, recv, *args)
        return builtin_method(recv, name, args)

    def call_bare(d, name, me, fvar, args):
        if type(me) is Instance and name in me.cls.methods:
            return call_method(d, me, name, args)
        if type(fvar) is FunctionBox:
            return fvar.invoke(args)
        raise NyashRuntimeError(f"Undefined function '{name}'")

    def new_object(d, name, args):
        cls = classes.get(name)
        if cls is not None and not cls.is_static:
            ctor = cls.constructors.get(len(args))
            if ctor is None and args:
                raise NyashRuntimeError(f"No constructor found for {name} with {plural(len(args), 'argument')}")
            inst = Instance(cls, dict.fromkeys(cls.fields), state.next_serial())
            if ctor is not None:
                ctor[0](d + 1, inst, *args)
            return inst
        if cls is None and (name in CONSTRUCTIBLE or name in external_names()):
            return construct(name, args)
        raise NyashRuntimeError(f"Unknown Box type: {name}")

    def from_call(d, parent_name, name, me, args):
        parent = classes[parent_name]
        if name in ("birth", "init", "pack"):
            ctor = parent.constructors.get(len(args))
            if ctor is not None:
                ctor[0](d + 1, me, *args)
            elif args:
                raise NyashRuntimeError(f"No constructor found for parent class '{parent_name}' with "
                                        f"{plural(len(args), 'argument')}")
            return me
        entry = parent.methods.get(name)
        if entry is None:
            raise NyashRuntimeError(f"Method '{name}' not found in parent class '{parent_name}'")
        fn, nparams = entry
        if len(args) != nparams:
            raise NyashRuntimeError(f"Parent method {parent_name}.{name} expects {plural(nparams, 'argument')}, "
                                    f"got {len(args)}")
        return fn(d + 1, me, *args)

    def alloc(name):
        """A new instance of a user box with every field void (no constructor run)."""
        cls = classes[name]
        return Instance(cls, dict.fromkeys(cls.fields), state.next_serial())

    return {
        "alloc": alloc, "singleton": singleton, "get_name": get_name, "call_method": call_method, "call_bare": call_bare,
        "new_object": new_object, "from_call": from_call, "GLOBALS": globals_, "CLASSES": classes,
        "locate": lambda err: locate(err, state),
    }


def get_field(obj, name):
    if type(obj) is Instance:
        value = obj.fields.get(name, _MISSING)
        if value is _MISSING:
            raise NyashRuntimeError(f"Field '{name}' not found in {obj.cls.name}")
        return value
    raise NyashRuntimeError(f"Cannot access field '{name}' on non-instance type {type_name(obj)}")


def set_field(obj, name, value):
    if type(obj) is not Instance:
        raise NyashRuntimeError(f"Cannot set field '{name}' on non-instance type {type_name(obj)}")
    obj.fields[name] = value


def throw_error(value, span) -> NyashRuntimeError:
    if type(value) is not ErrorBox:
        value = ErrorBox(display(value))
    return NyashRuntimeError(value.message, span, thrown=value)


def exc_value(err: NyashRuntimeError) -> ErrorBox:
    return err.thrown if err.thrown is not None else ErrorBox(err.message)


def result_ok(value) -> bool:
    if type(value) is not ResultBox:
        raise NyashRuntimeError(f"'?' expects a ResultBox, got {type_name(value)}")
    return value.ok


def undefined(name: str) -> NyashRuntimeError:
    return NyashRuntimeError(f"Undefined variable '{name}'")


STATIC_SUPPORT = {
    "get_field": get_field, "set_field": set_field, "throw_error": throw_error, "exc_value": exc_value,
    "result_ok": result_ok, "undefined": undefined, "depth_error": depth_error, "ArrayBox": ArrayBox,
    "ResultBox": ResultBox, "Instance": Instance, "NyashRuntimeError": NyashRuntimeError,
}
