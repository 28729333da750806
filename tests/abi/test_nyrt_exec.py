"""nyrt_exec.h (abi/nyrt/exec.c, exec_calls.c): what compiled Nyash code calls -- user-box instances, singletons,
fields, method/bare/from calls, `new`, output and the pending exception -- against the executable definition, the
VM's support code (backends/vm/support.py) and the Python runtime (nyash_run/runtime): the same serial numbers,
display strings and messages; plus the instance layout compiled code relies on, reference counting and memory.

Programs are built here as cffi tables whose methods are Python callbacks (ffi.callback("nyrt_x_fn")).
"""
from __future__ import annotations

import hashlib
import math

import pytest

from nyash_run.abi import build as nyrt_build
from nyash_run.runtime.constructors import construct
from nyash_run.runtime.display import display as py_display, type_name as py_type_name
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.values import NULL, Instance

if not nyrt_build.have_compiler():
    pytest.skip("no C compiler: nyrt cannot be built", allow_module_level=True)

ffi, lib = nyrt_build.load()
OK, FAIL = lib.NYRT_X_OK, lib.NYRT_X_FAIL
IMMORTAL = 0xFFFFFFFF


def fast_key(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")


# ---- values ----------------------------------------------------------------------------------------------------
def new():
    return ffi.new("nyrt_nyash_value *")


def int_(n: int):
    v = new()
    lib.nyrt_val_int(n, v)
    return v


def float_(x: float):
    v = new()
    lib.nyrt_val_float(x, v)
    return v


def bool_(b: bool):
    v = new()
    lib.nyrt_val_bool(int(b), v)
    return v


def string(s: str):
    v, data = new(), s.encode()
    assert lib.nyrt_str_new(data, len(data), v) == 0
    return v


def text(v) -> str:
    """display(v) as a Python str."""
    out = new()
    assert lib.nyrt_call_display(v, out) == 0
    data, size = ffi.new("char**"), ffi.new("size_t*")
    assert lib.nyrt_str_view(out, data, size) == 0
    result = ffi.unpack(data[0], size[0]).decode()
    lib.nyrt_val_release(out)
    return result


def args_of(*values):
    argv = ffi.new("nyrt_nyash_value[]", max(len(values), 1))
    for i, v in enumerate(values):
        argv[i] = v[0]
    return argv


def message() -> str:
    return ffi.string(lib.nyrt_last_error_message()).decode()


def pending() -> tuple[str, int]:
    return ffi.string(lib.nyrt_x_pending_message()).decode(), lib.nyrt_x_pending_pos()


def release(*values) -> None:
    for v in values:
        lib.nyrt_val_release(v)


def live() -> tuple[int, int]:
    return lib.nyrt_mem_live_bytes(), lib.nyrt_mem_live_objects()


# ---- programs --------------------------------------------------------------------------------------------------
class Box:
    """A class of a test program: methods {name: (nparams, fn)}, ctors {arity: fn}; fn(depth, me, args, out)."""

    def __init__(self, name, fields=(), methods=None, ctors=None, static=False, static_init=None):
        self.name, self.fields, self.static, self.static_init = name, list(fields), static, static_init
        self.methods, self.ctors = methods or {}, ctors or {}


class Program:
    """A nyrt_x_program of Boxes, installed on creation; every cffi object is kept alive by the instance."""

    def __init__(self, boxes, extra_names=()):
        self.keep = []
        names = []
        for box in boxes:
            names += [n for n in box.methods if n not in names]
        names += [n for n in extra_names if n not in names]
        self.names = names
        self.ids = {n: i for i, n in enumerate(names)}
        self.index = {box.name: i for i, box in enumerate(boxes)}
        c_names = [self.cstr(n) for n in names]
        self.c_names = ffi.new("const char *[]", c_names or [ffi.NULL])
        self.classes = ffi.new("nyrt_x_class[]", max(len(boxes), 1))
        for i, box in enumerate(boxes):
            c = self.classes[i]
            c.name = self.cstr(box.name)
            c.is_static = int(box.static)
            fields = [self.cstr(f) for f in box.fields]
            c.nfields = len(fields)
            c.fields = self.hold(ffi.new("const char *[]", fields or [ffi.NULL]))
            methods = self.hold(ffi.new("nyrt_x_entry[]", max(len(box.methods), 1)))
            for k, (name, (nparams, fn)) in enumerate(box.methods.items()):
                methods[k].name_id, methods[k].nparams, methods[k].fn = self.ids[name], nparams, self.callback(fn)
            c.nmethods, c.methods = len(box.methods), methods
            ctors = self.hold(ffi.new("nyrt_x_entry[]", max(len(box.ctors), 1)))
            for k, (arity, fn) in enumerate(box.ctors.items()):
                ctors[k].name_id, ctors[k].nparams, ctors[k].fn = -1, arity, self.callback(fn)
            c.nctors, c.ctors = len(box.ctors), ctors
            c.static_init = self.callback(box.static_init) if box.static_init else ffi.NULL
        self.program = ffi.new("nyrt_x_program *")
        p = self.program
        p.nclasses, p.classes = len(boxes), self.classes
        p.nnames, p.names = len(names), self.c_names
        p.main_class, p.main_pos = -1, -1
        assert lib.nyrt_x_program_init(p) == OK, message()

    def hold(self, obj):
        self.keep.append(obj)
        return obj

    def cstr(self, s: str):
        return self.hold(ffi.new("char[]", s.encode()))

    def callback(self, fn):
        return self.hold(ffi.callback("nyrt_x_fn", fn, error=FAIL))

    def name_id(self, name: str) -> int:
        return self.ids[name]


@pytest.fixture
def program():
    """make(boxes) -> Program; afterwards the singletons are released and nothing stays pending."""
    made = []

    def make(boxes, extra_names=()):
        made.append(Program(boxes, extra_names))
        return made[-1]

    yield make
    lib.nyrt_x_clear_pending()
    assert lib.nyrt_x_program_init(ffi.NULL) == OK


def alloc(prog: Program, name: str):
    v = new()
    assert lib.nyrt_x_alloc(prog.index[name], v) == OK, message()
    return v


def call_method(prog, recv, name, *args, depth=0):
    """(status, result) of nyrt_x_call_method."""
    out = new()
    status = lib.nyrt_x_call_method(depth, recv, prog.name_id(name), lib.nyrt_method_id(name.encode(), len(args)),
                                    args_of(*args), len(args), out)
    return status, out


def x_new(name: str, *args, depth=0):
    out = new()
    status = lib.nyrt_x_new(depth, name.encode(), args_of(*args), len(args), out)
    return status, out


def set_field(obj, name, value):
    return lib.nyrt_x_set_field(obj, name.encode(), value)


def get_field(obj, name):
    out = new()
    return lib.nyrt_x_get_field(obj, name.encode(), out), out


class PyClass:
    """What display.py needs of a VM class."""

    def __init__(self, name, is_static=False):
        self.name, self.is_static = name, is_static


# ---- instances -------------------------------------------------------------------------------------------------
def test_instances_take_serials_and_display_as_the_vm(program):
    prog = program([Box("Point", ["x", "y"]), Box("Registry", ["count"], static=True)])
    p1, p2 = alloc(prog, "Point"), alloc(prog, "Point")
    reg, again = new(), new()
    assert lib.nyrt_x_singleton(0, prog.index["Registry"], reg) == OK
    assert lib.nyrt_x_singleton(0, prog.index["Registry"], again) == OK
    assert text(p1) == "<Point instance #1>" == py_display(Instance(PyClass("Point"), {}, 1))
    assert text(p2) == "<Point instance #2>"
    assert text(reg) == "<Registry_singleton instance #3>" == py_display(Instance(PyClass("Registry", True), {}, 3))
    assert lib.nyrt_val_equals(reg, again) and lib.nyrt_val_equals(p1, p1) and not lib.nyrt_val_equals(p1, p2)
    assert (p1.type_id, p1.metadata) == (fast_key("nyash.user.Instance"), 0) == (lib.nyrt_x_instance_tid(), 0)
    assert ffi.string(lib.nyrt_val_type_name(p1)).decode() == "Point"
    assert lib.nyrt_val_truthy(p1) == 1 and lib.nyrt_val_kind(p1) == -1
    assert lib.nyrt_x_is_instance(reg) and not lib.nyrt_x_is_instance(int_(1))
    assert (lib.nyrt_x_class_of(p2), lib.nyrt_x_class_of(reg), lib.nyrt_x_class_of(int_(1))) == (0, 1, -1)
    # inside containers, through the operators, and as a string's `+`
    arr, res, s = new(), new(), new()
    assert lib.nyrt_arr_new(arr) == 0
    for v in (p1, reg, int_(5)):
        assert lib.nyrt_arr_push(arr, v) == 0
    assert lib.nyrt_res_new(1, p2, res) == 0
    assert text(arr) == "[<Point instance #1>, <Registry_singleton instance #3>, 5]"
    assert text(res) == "Ok(<Point instance #2>)"
    assert lib.nyrt_op_binary(lib.NYRT_OP_ADD, string("p: "), p1, s) == 0 and text(s) == "p: <Point instance #1>"
    assert lib.nyrt_op_binary(lib.NYRT_OP_SUB, p1, int_(1), new()) != 0
    assert message() == "Subtraction not supported between Point and IntegerBox"
    assert lib.nyrt_op_binary(lib.NYRT_OP_ADD, p1, p2, new()) != 0
    assert message() == "Addition not supported between Point and Point"
    eq = new()
    assert lib.nyrt_op_binary(lib.NYRT_OP_EQ, p1, p2, eq) == 0 and text(eq) == "false"
    release(p1, p2, reg, again, arr, res, s)


def test_instance_fields_sit_at_offset_40_plus_24_per_field(program):
    prog = program([Box("Point", ["x", "y", "z"])])
    p = alloc(prog, "Point")
    for i in range(3):
        slot = lib.nyrt_x_field_slot(p, i)
        assert int(ffi.cast("uintptr_t", slot)) == p.box_handle + 40 + 24 * i
        assert text(slot) == "void"
    assert lib.nyrt_x_field_slot(p, 3) == ffi.NULL and lib.nyrt_x_field_slot(p, -1) == ffi.NULL
    assert lib.nyrt_x_field_slot(int_(1), 0) == ffi.NULL
    assert set_field(p, "y", int_(7)) == OK
    assert text(lib.nyrt_x_field_slot(p, 1)) == "7"
    release(p)


def test_fields_declared_extra_missing_and_on_non_instances(program):
    prog = program([Box("Point", ["x", "y"])])
    p = alloc(prog, "Point")
    status, out = get_field(p, "x")
    assert status == OK and text(out) == "void"
    assert set_field(p, "x", int_(3)) == OK and text(get_field(p, "x")[1]) == "3"
    assert get_field(p, "color")[0] == FAIL and message() == "Field 'color' not found in Point"
    assert set_field(p, "color", string("red")) == OK            # created by assignment
    assert set_field(p, "size", int_(2)) == OK
    assert text(get_field(p, "color")[1]) == "red" and text(get_field(p, "size")[1]) == "2"
    assert get_field(int_(1), "x")[0] == FAIL
    assert message() == "Cannot access field 'x' on non-instance type IntegerBox"
    assert set_field(string("s"), "x", int_(1)) == FAIL
    assert message() == "Cannot set field 'x' on non-instance type StringBox"
    void = new()
    lib.nyrt_val_void(void)
    assert get_field(void, "x")[0] == FAIL and message() == "Cannot access field 'x' on non-instance type VoidBox"
    release(p)


def test_set_field_retains_the_new_value_and_releases_the_old(program):
    prog = program([Box("Point", ["x"])])
    p, s, t = alloc(prog, "Point"), string("shared"), string("other")
    assert lib.nyrt_val_refcount(s) == 1
    assert set_field(p, "x", s) == OK and lib.nyrt_val_refcount(s) == 2
    assert set_field(p, "x", lib.nyrt_x_field_slot(p, 0)) == OK and lib.nyrt_val_refcount(s) == 2   # p.x = p.x
    assert set_field(p, "x", t) == OK and lib.nyrt_val_refcount(s) == 1 and lib.nyrt_val_refcount(t) == 2
    assert set_field(p, "extra", s) == OK and lib.nyrt_val_refcount(s) == 2
    status, out = get_field(p, "extra")
    assert status == OK and lib.nyrt_val_refcount(s) == 3
    release(out)
    assert lib.nyrt_val_refcount(p) == 1
    release(p)
    assert lib.nyrt_val_refcount(s) == 1 and lib.nyrt_val_refcount(t) == 1
    release(s, t)


# ---- calls -----------------------------------------------------------------------------------------------------
def make_point_program(program, seen=None):
    seen = [] if seen is None else seen

    def get_x(depth, me, args, out):
        seen.append(depth)
        return lib.nyrt_x_get_field(me, b"x", out)

    def add(depth, me, args, out):
        seen.append(depth)
        return 0 if lib.nyrt_op_binary(lib.NYRT_OP_ADD, lib.nyrt_x_field_slot(me, 0), args, out) == 0 else FAIL

    def birth(depth, me, args, out):
        seen.append(depth)
        lib.nyrt_x_set_field(me, b"x", args + 0)
        lib.nyrt_x_set_field(me, b"y", args + 1)
        lib.nyrt_val_void(out)
        return OK

    boxes = [Box("Point", ["x", "y"], methods={"getX": (0, get_x), "add": (1, add)}, ctors={2: birth}),
             Box("Plain", ["a"]), Box("Registry", [], static=True)]
    return program(boxes, extra_names=["toString", "nope", "length", "f"]), seen


def test_call_method_runs_user_methods_one_level_deeper(program):
    prog, seen = make_point_program(program)
    p = alloc(prog, "Point")
    set_field(p, "x", int_(40))
    status, out = call_method(prog, p, "getX", depth=5)
    assert status == OK and text(out) == "40" and seen == [6]
    status, out = call_method(prog, p, "add", int_(2))
    assert status == OK and text(out) == "42"
    release(p)


def test_call_method_argument_counts_missing_methods_and_the_tostring_fallback(program):
    prog, seen = make_point_program(program)
    p = alloc(prog, "Point")
    assert call_method(prog, p, "add")[0] == FAIL and message() == "Method add expects 1 argument, got 0"
    assert call_method(prog, p, "getX", int_(1), int_(2))[0] == FAIL
    assert message() == "Method getX expects 0 arguments, got 2"
    assert call_method(prog, p, "nope")[0] == FAIL and message() == "Method 'nope' not found in Point"
    status, out = call_method(prog, p, "toString")
    assert status == OK and text(out) == "<Point instance #1>" and lib.nyrt_val_kind(out) == lib.NYRT_TID_STRING
    assert call_method(prog, p, "toString", int_(1))[0] == FAIL
    assert message() == "Method 'toString' not found in Point"
    assert seen == []
    release(p, out)


def test_a_user_tostring_wins_over_the_fallback_but_not_over_display(program):
    def to_string(depth, me, args, out):
        return 0 if lib.nyrt_str_new(b"mine", 4, out) == 0 else FAIL

    prog = program([Box("Named", [], methods={"toString": (0, to_string)})])
    n = alloc(prog, "Named")
    status, out = call_method(prog, n, "toString")
    assert status == OK and text(out) == "mine"
    assert text(n) == "<Named instance #1>"                      # display never calls user code (display.py)
    release(n, out)


def test_call_method_on_builtin_values_goes_through_nyrt_call_id(program):
    prog, _ = make_point_program(program)
    status, out = call_method(prog, string("hello"), "length")
    assert status == OK and text(out) == "5"
    assert call_method(prog, string("hello"), "nope")[0] == FAIL and message() == "Unknown method 'nope' for StringBox"
    void = new()
    lib.nyrt_val_void(void)
    assert call_method(prog, void, "getX")[0] == FAIL
    assert message() == "Cannot call method 'getX' on non-instance type"


def test_nyrt_call_on_an_instance_knows_only_tostring(program):
    prog, _ = make_point_program(program)
    p, out = alloc(prog, "Point"), new()
    assert lib.nyrt_call(p, b"toString", ffi.NULL, 0, out) == 0 and text(out) == "<Point instance #1>"
    assert lib.nyrt_call(p, b"getX", ffi.NULL, 0, new()) == lib.NYRT_E_NOT_FOUND
    assert message() == "Method 'getX' not found in Point" and lib.nyrt_last_error_kind() == 1
    release(p, out)


def test_call_bare_calls_me_s_method_else_undefined_function(program):
    prog, seen = make_point_program(program)
    p = alloc(prog, "Point")
    set_field(p, "x", int_(1))
    out = new()
    assert lib.nyrt_x_call_bare(3, prog.name_id("add"), p, args_of(int_(2)), 1, out) == OK
    assert text(out) == "3" and seen == [4]
    assert lib.nyrt_x_call_bare(0, prog.name_id("f"), p, args_of(), 0, new()) == FAIL
    assert message() == "Undefined function 'f'"
    void = new()
    lib.nyrt_val_void(void)
    assert lib.nyrt_x_call_bare(0, prog.name_id("getX"), void, args_of(), 0, new()) == FAIL
    assert message() == "Undefined function 'getX'"
    assert lib.nyrt_x_call_bare(0, prog.name_id("add"), p, args_of(), 0, new()) == FAIL
    assert message() == "Method add expects 1 argument, got 0"
    release(p)


def test_from_call_runs_parent_constructors_and_methods_with_the_current_me(program):
    calls = []

    def parent_birth(depth, me, args, out):
        calls.append(("birth", depth))
        lib.nyrt_x_set_field(me, b"name", args + 0)
        lib.nyrt_val_void(out)
        return OK

    def greet(depth, me, args, out):
        calls.append(("greet", depth))
        return lib.nyrt_x_get_field(me, b"name", out)

    prog = program([Box("Parent", ["name"], methods={"greet": (0, greet)}, ctors={1: parent_birth}),
                    Box("Child", ["name", "extra"])], extra_names=["birth", "init", "pack", "zzz"])
    parent, child = prog.index["Parent"], alloc(prog, "Child")
    out = new()
    assert lib.nyrt_x_from_call(2, parent, prog.name_id("birth"), child, args_of(string("Rex")), 1, out) == OK
    assert lib.nyrt_val_equals(out, child) and lib.nyrt_val_refcount(child) == 2 and calls == [("birth", 3)]
    release(out)
    assert text(get_field(child, "name")[1]) == "Rex"
    out = new()
    assert lib.nyrt_x_from_call(0, parent, prog.name_id("init"), child, args_of(), 0, out) == OK   # none: fine
    assert lib.nyrt_val_equals(out, child)
    release(out)
    assert lib.nyrt_x_from_call(0, parent, prog.name_id("pack"), child, args_of(int_(1), int_(2)), 2, new()) == FAIL
    assert message() == "No constructor found for parent class 'Parent' with 2 arguments"
    out = new()
    assert lib.nyrt_x_from_call(0, parent, prog.name_id("greet"), child, args_of(), 0, out) == OK
    assert text(out) == "Rex" and calls[-1] == ("greet", 1)
    assert lib.nyrt_x_from_call(0, parent, prog.name_id("zzz"), child, args_of(), 0, new()) == FAIL
    assert message() == "Method 'zzz' not found in parent class 'Parent'"
    assert lib.nyrt_x_from_call(0, parent, prog.name_id("greet"), child, args_of(int_(1)), 1, new()) == FAIL
    assert message() == "Parent method Parent.greet expects 0 arguments, got 1"
    release(child, out)


def test_expect_instance_passes_instances_and_otherwise_makes_the_call_s_error(program):
    prog, _ = make_point_program(program)
    p = alloc(prog, "Point")
    key = lambda name: lib.nyrt_method_id(name.encode(), 0)  # noqa: E731
    assert lib.nyrt_x_expect_instance(p, prog.name_id("nope"), key("nope")) == OK
    s = string("abc")
    assert lib.nyrt_x_expect_instance(s, prog.name_id("length"), key("length")) == OK
    assert lib.nyrt_val_refcount(s) == 1
    assert lib.nyrt_x_expect_instance(int_(1), prog.name_id("getX"), key("getX")) == FAIL
    assert message() == "Unknown method 'getX' for IntegerBox"
    release(p, s)


# ---- new -------------------------------------------------------------------------------------------------------
def test_new_of_a_user_box_picks_the_constructor_by_argument_count(program):
    prog, seen = make_point_program(program)
    status, p = x_new("Point", int_(1), int_(2), depth=7)
    assert status == OK and seen == [8] and text(p) == "<Point instance #1>"
    assert text(lib.nyrt_x_field_slot(p, 0)) == "1" and text(lib.nyrt_x_field_slot(p, 1)) == "2"
    assert x_new("Point", int_(1))[0] == FAIL and message() == "No constructor found for Point with 1 argument"
    status, q = x_new("Plain")                                   # no constructor, no arguments: fields void
    assert status == OK and text(q) == "<Plain instance #2>"     # the failed `new` took no serial number
    assert x_new("Plain", int_(1))[0] == FAIL and message() == "No constructor found for Plain with 1 argument"
    assert x_new("Registry")[0] == FAIL and message() == "Unknown Box type: Registry"
    assert x_new("Nope")[0] == FAIL and message() == "Unknown Box type: Nope"
    release(p, q)


def test_a_failing_constructor_releases_the_new_instance(program):
    def birth(depth, me, args, out):
        lib.nyrt_x_set_field(me, b"held", args + 0)
        return lib.nyrt_x_fail(4, b"bad birth")

    prog = program([Box("Bad", [], ctors={1: birth})])
    s = string("kept")
    before = live()
    assert x_new("Bad", s)[0] == FAIL and pending() == ("bad birth", 4)
    lib.nyrt_x_clear_pending()
    assert live() == before and lib.nyrt_val_refcount(s) == 1
    release(s)


def to_python(v):
    """The Python runtime value of a simple nyrt value (for constructor results)."""
    kind = lib.nyrt_val_kind(v)
    if kind == lib.NYRT_TID_INTEGER:
        return lib.nyrt_val_as_int(v)
    if kind == lib.NYRT_TID_FLOAT:
        return lib.nyrt_val_as_float(v)
    if kind == lib.NYRT_TID_BOOL:
        return bool(v.box_handle)
    if kind == lib.NYRT_TID_NULL:
        return NULL
    return text(v)


BUILTIN_CASES = [
    ("StringBox", ()), ("StringBox", ("a",)), ("StringBox", (3,)), ("StringBox", (1.5,)), ("StringBox", (True,)),
    ("StringBox", ("a", "b")), ("IntegerBox", ()), ("IntegerBox", (3,)), ("IntegerBox", (2.9,)),
    ("IntegerBox", (-2.9,)), ("IntegerBox", (math.nan,)), ("IntegerBox", (1e300,)), ("IntegerBox", (-1e300,)),
    ("IntegerBox", ("42",)), ("IntegerBox", ("+7",)), ("IntegerBox", ("-0",)), ("IntegerBox", (" 42",)),
    ("IntegerBox", ("9223372036854775807",)), ("IntegerBox", ("9223372036854775808",)),
    ("IntegerBox", ("-9223372036854775808",)), ("IntegerBox", ("",)), ("IntegerBox", ("+",)),
    ("IntegerBox", ("1.5",)), ("IntegerBox", (True,)), ("IntegerBox", (1, 2)), ("FloatBox", ()),
    ("FloatBox", (2,)), ("FloatBox", (2.5,)), ("FloatBox", ("1e3",)), ("FloatBox", (".5",)), ("FloatBox", ("1.",)),
    ("FloatBox", ("-1.25E-2",)), ("FloatBox", ("inf",)), ("FloatBox", ("-Infinity",)), ("FloatBox", ("nan",)),
    ("FloatBox", ("1e999",)), ("FloatBox", ("0.1",)), ("FloatBox", ("e3",)), ("FloatBox", ("0x10",)),
    ("FloatBox", (".",)), ("FloatBox", ("1e",)), ("FloatBox", ("infinit",)), ("FloatBox", (" 1",)),
    ("FloatBox", (False,)), ("BoolBox", ()), ("BoolBox", (True,)), ("BoolBox", ("TRUE",)), ("BoolBox", ("False",)),
    ("BoolBox", ("yes",)), ("BoolBox", (1,)), ("BoolBox", ("true ",)), ("NullBox", ()), ("NullBox", (1,)),
    ("ArrayBox", ()), ("ArrayBox", (1,)), ("MapBox", ()), ("ConsoleBox", ()), ("MathBox", ()), ("MathBox", (1,)),
    ("ResultBox", (5,)), ("ResultBox", ()), ("ResultBox", (1, 2)), ("ErrorBox", ("x",)), ("VoidBox", ()),
    ("FunctionBox", ()), ("Nope", ()),
]


def nyrt_of(x):
    if type(x) is bool:
        return bool_(x)
    if type(x) is int:
        return int_(x)
    if type(x) is float:
        return float_(x)
    return string(x)


@pytest.mark.parametrize("name,args", BUILTIN_CASES)
def test_new_of_builtin_boxes_matches_the_python_constructors(program, name, args):
    program([Box("Point", [])])
    try:
        expected, error = construct(name, list(args)), None
    except NyashRuntimeError as exc:
        expected, error = None, str(exc)
    status, out = x_new(name, *[nyrt_of(a) for a in args])
    if error is not None:
        assert status == FAIL and message() == error
        return
    assert status == OK, message()
    assert ffi.string(lib.nyrt_val_type_name(out)).decode() == py_type_name(expected)
    got = to_python(out)
    if type(expected) is float and math.isnan(expected):
        assert math.isnan(got)
    elif type(expected) in (int, float, bool) or expected is NULL:
        assert got == expected and type(got) is type(expected)
    else:
        assert got == py_display(expected)
    release(out)


def test_new_builtin_conversions_display_their_argument(program):
    prog = program([Box("Point", [])])
    p = alloc(prog, "Point")
    status, s = x_new("StringBox", p)
    assert status == OK and text(s) == "<Point instance #1>"
    assert x_new("IntegerBox", p)[0] == FAIL and message() == "Cannot convert '<Point instance #1>' to integer"
    assert x_new("BoolBox", string("T\u0130"))[0] == FAIL        # lower() is Python's: 't' + 'i̇'
    assert message() == "Cannot convert 'T\u0130' to boolean"
    status, r = x_new("ResultBox", p)
    assert status == OK and text(r) == "Ok(<Point instance #1>)" and lib.nyrt_val_refcount(p) == 2
    release(p, s, r)


def test_new_reaches_plugin_types_by_their_short_name(program, loader):
    ffi_, lib_ = loader.ffi, loader.lib
    assert (ffi_, lib_) == (ffi, lib)
    pid, prefix = loader.good()
    program([Box("Point", [])])
    status, c = x_new("Counter", int_(41))
    assert status == OK, message()
    assert ffi.string(lib.nyrt_val_type_name(c)).decode() == "Counter"
    status, out = x_new("Counter", int_(1), int_(2))
    assert status == FAIL and message() == "No constructor found for Counter with 2 arguments"
    release(c)


# ---- depth -----------------------------------------------------------------------------------------------------
def test_user_code_runs_up_to_depth_10000_and_no_further(program):
    prog, seen = make_point_program(program)
    p = alloc(prog, "Point")
    assert call_method(prog, p, "getX", depth=9999)[0] == OK and seen == [10000]
    assert call_method(prog, p, "getX", depth=10000)[0] == FAIL and message() == "Maximum call depth exceeded"
    assert seen == [10000]
    assert lib.nyrt_x_call_bare(10000, prog.name_id("getX"), p, args_of(), 0, new()) == FAIL
    assert message() == "Maximum call depth exceeded" and seen == [10000]
    status, q = x_new("Point", int_(1), int_(2), depth=10000)
    assert status == FAIL and message() == "Maximum call depth exceeded"
    status, q = x_new("Plain")
    assert text(q) == "<Plain instance #3>"                     # the refused `new` had taken #2, as in the VM
    release(p, q)


def test_a_singleton_is_created_before_its_static_block_and_kept_when_it_fails(program):
    runs = []

    def static_init(depth, me, args, out):
        runs.append(depth)
        lib.nyrt_x_set_field(me, b"count", int_(0))
        return lib.nyrt_x_fail(2, b"static failed") if len(runs) == 1 else OK

    prog = program([Box("Registry", ["count"], static=True, static_init=static_init), Box("Point", [])])
    reg = prog.index["Registry"]
    out = new()
    assert lib.nyrt_x_singleton(10000, reg, out) == FAIL and message() == "Maximum call depth exceeded"
    assert runs == []
    assert lib.nyrt_x_singleton(0, reg, out) == OK and runs == [] and text(out) == "<Registry_singleton instance #1>"
    release(out)
    assert lib.nyrt_x_singleton(0, prog.index["Point"], out) == FAIL
    assert message() == "nyrt_x_singleton: Point is not a static box"


def test_a_singleton_runs_its_static_block_once_at_first_use(program):
    runs = []

    def static_init(depth, me, args, out):
        runs.append(depth)
        lib.nyrt_x_set_field(me, b"count", int_(0))
        p = new()
        assert lib.nyrt_x_alloc(1, p) == OK                      # made inside: a later serial number
        lib.nyrt_x_set_field(me, b"first", p)
        lib.nyrt_val_release(p)
        return lib.nyrt_x_fail(2, b"static failed")

    prog = program([Box("Registry", ["count"], static=True, static_init=static_init), Box("Point", [])])
    out = new()
    assert lib.nyrt_x_singleton(4, 0, out) == FAIL and runs == [5] and pending() == ("static failed", 2)
    lib.nyrt_x_clear_pending()
    assert lib.nyrt_x_singleton(0, 0, out) == OK and runs == [5]      # stays created, the block is not rerun
    assert text(out) == "<Registry_singleton instance #1>"
    assert text(get_field(out, "first")[1]) == "<Point instance #2>"
    release(out)


# ---- exceptions ------------------------------------------------------------------------------------------------
def test_throw_catch_and_rethrow_keep_the_message_and_the_position(program):
    assert lib.nyrt_x_pending() == 0 and pending() == ("", -1)
    assert lib.nyrt_x_throw(3, string("boom")) == FAIL
    assert lib.nyrt_x_pending() == 1 and pending() == ("Uncaught exception: boom", 3)
    exc = new()
    assert lib.nyrt_x_catch(exc) == OK and lib.nyrt_x_pending() == 0 and pending() == ("", -1)
    assert text(exc) == "ErrorBox(boom)" and lib.nyrt_val_refcount(exc) == 1
    assert lib.nyrt_x_fail_nyrt(9) == FAIL and lib.nyrt_x_catch(new()) == OK   # something else in between
    assert lib.nyrt_x_rethrow(exc) == FAIL and pending() == ("Uncaught exception: boom", 3)
    again = new()
    assert lib.nyrt_x_catch(again) == OK and again.box_handle == exc.box_handle   # the same ErrorBox
    assert lib.nyrt_val_refcount(exc) == 2
    release(exc, again)


def test_an_errorbox_is_thrown_as_it_is_and_anything_else_by_its_display(program):
    prog = program([Box("Point", [])])
    err, out = new(), new()
    assert lib.nyrt_errbox_new(b"as is", err) == 0
    assert lib.nyrt_x_throw(1, err) == FAIL and pending() == ("Uncaught exception: as is", 1)
    assert lib.nyrt_x_catch(out) == OK and out.box_handle == err.box_handle and lib.nyrt_val_refcount(err) == 2
    release(out, err)
    p = alloc(prog, "Point")
    assert lib.nyrt_x_throw(2, p) == FAIL and pending() == ("Uncaught exception: <Point instance #1>", 2)
    assert lib.nyrt_x_catch(out) == OK and text(out) == "ErrorBox(<Point instance #1>)"
    release(out)
    assert lib.nyrt_x_throw(2, int_(42)) == FAIL and lib.nyrt_x_catch(out) == OK and text(out) == "ErrorBox(42)"
    release(out, p)


def test_a_caught_runtime_error_is_rethrown_as_that_error(program):
    assert lib.nyrt_x_undefined(b"v") == FAIL and message() == "Undefined variable 'v'"
    assert lib.nyrt_x_fail_nyrt(7) == FAIL and pending() == ("Undefined variable 'v'", 7)
    exc = new()
    assert lib.nyrt_x_catch(exc) == OK and text(exc) == "ErrorBox(Undefined variable 'v')"
    assert lib.nyrt_x_rethrow(exc) == FAIL and pending() == ("Undefined variable 'v'", 7)   # no "Uncaught"
    lib.nyrt_x_clear_pending()
    assert lib.nyrt_x_throw(8, exc) == FAIL and pending() == ("Uncaught exception: Undefined variable 'v'", 8)
    out = new()
    assert lib.nyrt_x_catch(out) == OK and lib.nyrt_x_rethrow(out) == FAIL
    assert pending() == ("Uncaught exception: Undefined variable 'v'", 8)
    lib.nyrt_x_clear_pending()
    release(exc, out)


def test_fail_nyrt_keeps_the_innermost_pending_exception(program):
    def inner(depth, me, args, out):
        assert lib.nyrt_x_get_field(me, b"missing", out) == FAIL
        return lib.nyrt_x_fail_nyrt(5)

    prog = program([Box("Point", [], methods={"inner": (0, inner)})])
    p = alloc(prog, "Point")
    assert call_method(prog, p, "inner")[0] == FAIL
    lib.nyrt_x_undefined(b"later")                              # a later nyrt error does not replace it
    assert lib.nyrt_x_fail_nyrt(9) == FAIL and pending() == ("Field 'missing' not found in Point", 5)
    lib.nyrt_x_clear_pending()
    # a failure without a position (the callee's depth check) takes the caller's
    assert lib.nyrt_x_fail(-1, b"Maximum call depth exceeded") == FAIL and pending() == ("Maximum call depth exceeded", -1)
    assert lib.nyrt_x_fail_nyrt(4) == FAIL and pending() == ("Maximum call depth exceeded", 4)
    lib.nyrt_x_clear_pending()
    assert lib.nyrt_x_catch(new()) == FAIL and message() == "nyrt_x_catch: no exception is pending"
    release(p)


# ---- small operations ------------------------------------------------------------------------------------------
def test_result_ok_tests_results_and_names_anything_else(program):
    prog = program([Box("Point", [])])
    ok, res = ffi.new("int32_t *"), new()
    assert lib.nyrt_res_new(1, int_(1), res) == 0 and lib.nyrt_x_result_ok(res, ok) == OK and ok[0] == 1
    release(res)
    assert lib.nyrt_res_new(0, int_(1), res) == 0 and lib.nyrt_x_result_ok(res, ok) == OK and ok[0] == 0
    release(res)
    assert lib.nyrt_x_result_ok(int_(1), ok) == FAIL and message() == "'?' expects a ResultBox, got IntegerBox"
    p = alloc(prog, "Point")
    assert lib.nyrt_x_result_ok(p, ok) == FAIL and message() == "'?' expects a ResultBox, got Point"
    release(p)


def test_intern_fills_a_slot_once_with_an_immortal_string():
    slot = ffi.new("nyrt_nyash_value *")                         # zeroed, as compiled code keeps it
    assert lib.nyrt_x_intern("héllo".encode(), 6, slot) == OK and text(slot) == "héllo"
    first = slot.box_handle
    assert lib.nyrt_x_intern(b"other", 5, slot) == OK and slot.box_handle == first
    assert lib.nyrt_val_refcount(slot) == IMMORTAL
    lib.nyrt_val_retain(slot)
    release(slot, slot, slot)
    assert lib.nyrt_val_refcount(slot) == IMMORTAL and text(slot) == "héllo"


@pytest.fixture
def captured():
    lines = []

    @ffi.callback(ffi.typeof(lib.nyrt_set_output).args[0])
    def write(data, size):
        lines.append(ffi.unpack(data, size).decode())

    lib.nyrt_set_output(write)
    yield lines
    lib.nyrt_set_output(ffi.NULL)


def test_print_writes_the_display_and_a_newline_through_the_output_hook(program, captured):
    prog = program([Box("Point", [])])
    p, arr = alloc(prog, "Point"), new()
    assert lib.nyrt_arr_new(arr) == 0 and lib.nyrt_arr_push(arr, p) == 0 and lib.nyrt_arr_push(arr, float_(0.5)) == 0
    for v in (p, string("hi"), arr, int_(-3)):
        assert lib.nyrt_x_print(v) == OK
    assert captured == ["<Point instance #1>\n", "hi\n", "[<Point instance #1>, 0.5]\n", "-3\n"]
    release(p, arr)


def test_argv_is_an_array_of_strings():
    out = new()
    argv = [ffi.new("char[]", s.encode()) for s in ("a", "b c", "ü")]
    assert lib.nyrt_x_argv(3, ffi.new("const char *[]", argv), out) == OK
    assert text(out) == "[a, b c, ü]" and lib.nyrt_arr_len(out) == 3
    release(out)
    assert lib.nyrt_x_argv(0, ffi.NULL, out) == OK and text(out) == "[]"
    release(out)


# ---- the program and memory ------------------------------------------------------------------------------------
def test_program_init_resets_serials_singletons_and_the_pending_exception(program):
    prog = program([Box("Registry", [], static=True), Box("Point", [])])
    reg = new()
    assert lib.nyrt_x_singleton(0, 0, reg) == OK and text(reg) == "<Registry_singleton instance #1>"
    release(reg)
    objects = lib.nyrt_mem_live_objects()
    lib.nyrt_x_fail(3, b"left over")
    assert lib.nyrt_x_current_program() == prog.program
    prog2 = program([Box("Registry", [], static=True), Box("Point", [])])
    assert lib.nyrt_x_current_program() == prog2.program
    assert lib.nyrt_mem_live_objects() == objects - 1 and lib.nyrt_x_pending() == 0
    assert lib.nyrt_x_singleton(0, 0, reg) == OK and text(reg) == "<Registry_singleton instance #1>"
    release(reg)


def test_program_init_refuses_malformed_tables(program):
    prog = program([Box("Point", [])])
    bad = ffi.new("nyrt_x_program *")
    bad.nclasses, bad.classes = 2, ffi.NULL
    assert lib.nyrt_x_program_init(bad) == FAIL and message() == "nyrt_x_program_init: malformed program (class table)"
    assert lib.nyrt_x_current_program() == prog.program          # the installed program stays
    cls = ffi.new("nyrt_x_class[]", 1)
    entries = ffi.new("nyrt_x_entry[]", 1)
    entries[0].name_id, entries[0].nparams = 3, 0                # no such name
    cls[0].name, cls[0].nmethods, cls[0].methods = prog.cstr("Bad"), 1, entries
    bad.nclasses, bad.classes, bad.main_class = 1, cls, -1
    assert lib.nyrt_x_program_init(bad) == FAIL and message() == "nyrt_x_program_init: malformed program (method entry)"
    entries[0].fn = prog.callback(lambda depth, me, args, out: OK)
    assert lib.nyrt_x_program_init(bad) == FAIL
    assert message() == "nyrt_x_program_init: malformed program (method name_id out of range)"


def test_methods_are_found_by_name_text_even_when_names_repeat(program):
    def get(depth, me, args, out):
        lib.nyrt_val_int(1, out)
        return OK

    prog = program([Box("Point", [], methods={"get": (0, get)})])
    names = ffi.new("const char *[]", [prog.cstr("get"), prog.cstr("other"), prog.cstr("get")])
    prog.program.nnames, prog.program.names = 3, names
    assert lib.nyrt_x_program_init(prog.program) == OK
    p, out = alloc(prog, "Point"), new()
    assert lib.nyrt_x_call_method(0, p, 2, lib.nyrt_method_id(b"get", 0), args_of(), 0, out) == OK
    assert text(out) == "1"
    release(p)


def test_a_long_chain_of_instances_frees_without_recursion_and_leaks_nothing(program):
    prog = program([Box("Node", ["next"])])
    before = live()
    head = alloc(prog, "Node")
    for _ in range(100_000):
        node = alloc(prog, "Node")
        assert set_field(node, "next", head) == OK
        release(head)
        head = node
    label = string("extra fields are freed too")
    assert set_field(head, "label", label) == OK
    release(label)
    assert live()[1] == before[1] + 100_002
    release(head)
    assert live() == before


def test_instances_and_their_fields_leak_nothing(program, captured):
    prog, _ = make_point_program(program)
    before = live()
    a = string("a")
    status, p = x_new("Point", a, int_(2))
    assert status == OK
    release(a)
    for i in range(20):
        v = string(str(i))
        assert set_field(p, f"f{i}", v) == OK
        release(v, get_field(p, f"f{i}")[1])
    arr = new()
    assert lib.nyrt_arr_new(arr) == 0 and lib.nyrt_arr_push(arr, p) == 0
    status, out = call_method(prog, p, "toString")
    assert status == OK and lib.nyrt_x_print(arr) == OK
    release(out)
    lib.nyrt_x_throw(1, p)
    exc = new()
    assert lib.nyrt_x_catch(exc) == OK
    release(exc, arr, p)
    assert live() == before


def test_the_cdef_carries_nyrt_exec_h_with_its_function_pointer_typedefs():
    cdef = nyrt_build.cdef_text()
    assert "typedef int32_t (*nyrt_x_fn)(int64_t depth" in cdef and "#define NYRT_X_MAX_DEPTH 10000\n" in cdef
    assert "NYRT_X_INSTANCE_TYPE" not in cdef                    # a string #define stays out
    assert ffi.sizeof("nyrt_x_class") == 72 and ffi.typeof(lib.nyrt_x_call_method).result is ffi.typeof("int32_t")
