"""The Python runtime: the executable definition of every Nyash operator, display string and builtin box
(language.md §6, §7, §9.2–9.3).

In: runtime values (values.py) handed over by a backend (the interpreter, the MIR VM) or by the constant
folder. Out: result values, program output through `output.write`, or `NyashRuntimeError(message)` without
a span; the caller attaches the position of the operator, method name or `new` that failed.

Modules: values (representation), errors, numeric (i64 wrap, Int/Float conversion, C99 math), display,
operators, methodspec (method declaration and argument checks), strings / numbers / containers / services
(method tables), methods (dispatch), constructors (`new` of builtins, Result.Ok/Err), output.
"""
from nyash_run.runtime.constructors import (
    BUILTIN_BOX_NAMES, CONSTRUCTIBLE, construct, result_err, result_ok,
)
from nyash_run.runtime.display import display, display_float, type_name
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.methods import call_method, has_method, lookup_method, register_box_class
from nyash_run.runtime.numeric import float_to_int, int_div, int_mod, int_to_float, wrap
from nyash_run.runtime.operators import (
    BINARY_OPS, UNARY_OPS, add, binop, div, eq, ge, gt, le, lt, mod, mul, ne, neg, not_, sub, truthy,
)
from nyash_run.runtime.values import (
    I64_MAX, I64_MIN, NULL, VOID, ArrayBox, ConsoleBox, ErrorBox, FunctionBox, FutureBox, Instance, MapBox,
    MathBox, NullValue, ResultBox,
)

__all__ = [
    "BUILTIN_BOX_NAMES", "CONSTRUCTIBLE", "construct", "result_err", "result_ok",
    "display", "display_float", "type_name", "NyashRuntimeError",
    "call_method", "has_method", "lookup_method", "register_box_class",
    "float_to_int", "int_div", "int_mod", "int_to_float", "wrap",
    "BINARY_OPS", "UNARY_OPS", "add", "binop", "div", "eq", "ge", "gt", "le", "lt", "mod", "mul", "ne", "neg",
    "not_", "sub", "truthy",
    "I64_MAX", "I64_MIN", "NULL", "VOID", "ArrayBox", "ConsoleBox", "ErrorBox", "FunctionBox", "FutureBox",
    "Instance", "MapBox", "MathBox", "NullValue", "ResultBox",
]
