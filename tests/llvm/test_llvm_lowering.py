"""Typed functions lowered to LLVM and called one by one: results equal the interpreter's, errors carry its
message and span, the depth limit is exact; every op has a lowering and every function of a program lowers."""
from __future__ import annotations

import ctypes

import pytest

pytest.importorskip("llvmlite")

from nyash_run.driver import build_mir  # noqa: E402
from nyash_run.mir.ops import OPS  # noqa: E402
from nyash_run.runtime.display import display  # noqa: E402
from nyash_run.runtime.errors import NyashRuntimeError  # noqa: E402
from nyash_run.syntax.loader import load_program  # noqa: E402

from nyash_run.backends.llvm.jit import compile_functions  # noqa: E402
from nyash_run.backends.llvm.lower import lower_program  # noqa: E402
from nyash_run.backends.llvm.ops import OpLowering  # noqa: E402

MAX = 9223372036854775807
MIN = -MAX - 1


def source(value) -> str:
    """A Nyash expression for a Python int/float/bool argument."""
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is int and value == MIN:
        return f"({-MAX} - 1)"
    text = repr(value) if "e" not in repr(value) else f"{value:f}"     # no exponents in Nyash literals
    assert type(value)(text) == value
    return text


def compare(jit, interpret, functions: str, calls: list[tuple[str, str, tuple]]):
    """Run each call (Nyash name, MIR specialisation, args) in the interpreter and through the JIT."""
    text = functions + "".join(f"print({name}({', '.join(map(source, args))}))\n" for name, _, args in calls)
    expected, error = interpret(text)
    assert error is None
    compiled = jit(text, *sorted({spec for _, spec, _ in calls}))
    actual = "".join(display(compiled[spec](*args)) + "\n" for _, spec, args in calls)
    assert actual == expected


def test_fib_matches_interpreter(jit, interpret):
    fib = "function fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }\n"
    compare(jit, interpret, fib, [("fib", "fn:fib#void,int", (n,)) for n in (0, 1, 2, 10, 20, 25)])


def test_int_arithmetic_wraps_at_both_ends(jit, interpret):
    functions = ("function add(a, b) { return a + b }\nfunction sub(a, b) { return a - b }\n"
                 "function mul(a, b) { return a * b }\nfunction neg(a) { return -a }\n")
    pairs = [(MAX, 1), (MIN, -1), (MAX, MAX), (MIN, MIN), (MAX, MIN), (MIN, 1), (3037000500, 3037000500),
             (-3037000500, 3037000500), (0, 0), (123456789, -987654321)]
    calls = [(op, f"fn:{op}#void,int,int", pair) for op in ("add", "sub", "mul") for pair in pairs]
    calls += [("neg", "fn:neg#void,int", (a,)) for a in (MIN, MAX, 0, -5)]
    compare(jit, interpret, functions, calls)


def test_truncating_division_and_modulo(jit, interpret):
    functions = "function dv(a, b) { return a / b }\nfunction md(a, b) { return a % b }\n"
    pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (MIN, -1), (MIN, 1), (MAX, -1), (MIN, 2), (MIN, MAX),
             (MAX, MIN), (0, -3), (1, MIN), (-1, 3)]
    calls = [(op, f"fn:{op}#void,int,int", pair) for op in ("dv", "md") for pair in pairs]
    compare(jit, interpret, functions, calls)


def test_floats_mixed_with_ints(jit, interpret):
    functions = ("function mix(i, x) { return i * x + i / x - x % 2 }\n"
                 "function lt(i, x) { return i < x }\nfunction fe(x, i) { return x == i }\n")
    calls = [("mix", "fn:mix#void,int,float", (i, x)) for i, x in ((3, 0.5), (-7, 2.5), (MAX, 3.0), (0, -0.25))]
    calls += [("lt", "fn:lt#void,int,float", (i, x)) for i, x in ((1, 1.5), (2, 1.5), (MAX, 9.2e18))]
    calls += [("fe", "fn:fe#void,float,int", (x, i)) for x, i in ((1.0, 1), (0.5, 0), (9007199254740992.0, 2**53 + 1))]
    compare(jit, interpret, functions, calls)


def test_bools_truthiness_and_not(jit, interpret):
    functions = ("function b(p, q) { if p and not q { return 1 } if p == q { return 2 } return 3 }\n"
                 "function t(n) { if n { return not (n > 3) } return false }\n"
                 "function o(p, q) { return p < q }\nfunction s(p, q) { return p + q }\n"
                 "function ne(p, n) { return p != n }\n")
    calls = [("b", "fn:b#void,bool,bool", (p, q)) for p in (True, False) for q in (True, False)]
    calls += [("t", "fn:t#void,int", (n,)) for n in (0, 1, 5, -1)]
    calls += [("o", "fn:o#void,bool,bool", (p, q)) for p in (True, False) for q in (True, False)]
    calls += [("s", "fn:s#void,bool,bool", (True, True)), ("ne", "fn:ne#void,bool,int", (True, 1))]
    compare(jit, interpret, functions, calls)


def test_loops_pass_block_parameters(jit, interpret):
    functions = ("function f(n, y) {\n local s = 0.0\n local i = 0\n loop(i < n) {\n"
                 "  if i % 3 == 0 { s = s + y } else { s = s - i }\n  i = i + 1\n }\n return s\n}\n"
                 "function g(n) {\n local a = 0\n local b = 1\n local i = 0\n"
                 " loop(i < n) { local t = a + b\n a = b\n b = t\n i = i + 1 }\n return a\n}\n")
    calls = [("f", "fn:f#void,int,float", (n, 0.5)) for n in (0, 1, 10, 1000)]
    calls += [("g", "fn:g#void,int", (n,)) for n in (0, 1, 50, 100)]     # g(100) wraps
    compare(jit, interpret, functions, calls)


def error_of(interpret, text: str) -> NyashRuntimeError:
    _, error = interpret(text)
    assert error is not None
    return error


@pytest.mark.parametrize("body, args, message", [
    ("a / b", (1, 0), "Division by zero"),
    ("a % b", (1, 0), "Modulo by zero"),
    ("a / b", (1.0, 0.0), "Division by zero"),
    ("a % b", (1.5, -0.0), "Modulo by zero"),
])
def test_zero_divisor_error_has_interpreters_message_and_span(jit, interpret, body, args, message):
    text = f"function f(a, b) {{\n  local x = 1\n  return x * ({body})\n}}\nf({', '.join(map(source, args))})\n"
    expected = error_of(interpret, text)
    spec = "fn:f#void," + ",".join("int" if type(a) is int else "float" for a in args)
    with pytest.raises(NyashRuntimeError) as caught:
        jit(text, spec)[spec](*args)
    assert (caught.value.message, caught.value.span) == (expected.message, expected.span) == \
        (message, expected.span)


def test_error_return_convention_status_and_position(program):
    path = program("function dv(a, b) {\n  return a / b\n}\nprint(dv(1, 2))\n")
    functions, _ = compile_functions(build_mir(load_program(str(path))), ["fn:dv#void,int,int"])
    dv = functions["fn:dv#void,int,int"]
    out = ctypes.c_int64(99)
    assert dv.cfunc(1, 7, 2, ctypes.byref(out)) == 0 and out.value == 3
    assert dv.cfunc(1, 7, 0, ctypes.byref(out)) == 1
    error = dv.error()
    assert (error.message, error.span.line, error.span.col) == ("Division by zero", 2, 12)      # the operator


DEPTH = "function d(n) { if n == 0 { return 0 } return d(n - 1) + 1 }\nprint(d(9999))\nd(10000)\n"


def test_call_depth_limit_is_exactly_ten_thousand(jit, interpret):
    out, expected = interpret(DEPTH)
    assert out == "9999\n" and expected.message == "Maximum call depth exceeded"
    d = jit(DEPTH, "fn:d#void,int")["fn:d#void,int"]
    assert d(9999) == 9999                      # called from the top level: runs at depth 1
    with pytest.raises(NyashRuntimeError) as caught:
        d(10000)
    assert (caught.value.message, caught.value.span) == (expected.message, expected.span)
    assert d(0, depth=10_000) == 0
    with pytest.raises(NyashRuntimeError, match="Maximum call depth exceeded"):
        d(1, depth=10_000)
    with pytest.raises(NyashRuntimeError, match="Maximum call depth exceeded"):
        d(0, depth=10_001)


def test_calls_between_functions_of_different_types(jit, interpret):
    functions = ("function half(n) { return n / 2.0 }\nfunction twice(x) { return x * 2 }\n"
                 "function go(n) { local y = half(n)\n if y > 10.0 { return twice(y) } return y }\n")
    compare(jit, interpret, functions, [("go", "fn:go#void,int", (n,)) for n in (3, 30, -8)])


def module_of(program, text: str):
    return build_mir(load_program(str(program(text))))


def test_every_function_of_a_program_lowers_and_only_typed_ones_are_callable(program):
    module = module_of(program, 'box B {\n m(n) { return n + 1 }\n}\nfunction g(x) { return x }\n'
                                'print(new B().m(1))\nprint(g(1))\nprint(g("s"))\nprint("x" + g(2))\n')
    lowered = lower_program(module)
    assert lowered.program_symbol in lowered.ir_text and "nyrt_x_print" in lowered.ir_text
    with pytest.raises(ValueError, match="only functions of Ints"):
        compile_functions(module, ["m:B.m"])
    functions, _ = compile_functions(module, ["fn:g#void,int"])
    assert functions["fn:g#void,int"](5) == 5


def test_every_mir_op_has_an_llvm_lowering():
    missing = [name for name in OPS if not hasattr(OpLowering, "op_" + name)]
    assert missing == []


def test_different_roots_over_the_same_functions_do_not_clash(program):
    module = module_of(program, "function g(n) { return n * 2 }\nfunction f(n) { return g(n + 1) }\n"
                                "print(f(1) + g(2))\n")
    only_f, _ = compile_functions(module, ["fn:f#void,int"])
    both, _ = compile_functions(module, ["fn:f#void,int", "fn:g#void,int"])
    assert only_f["fn:f#void,int"](20) == both["fn:f#void,int"](20) == 42 and both["fn:g#void,int"](4) == 8


def test_same_ir_twice_is_added_once(program):
    module = module_of(program, "function inc(n) { return n + 1 }\nprint(inc(1))\n")
    first, jm1 = compile_functions(module, ["fn:inc#void,int"])
    second, jm2 = compile_functions(module, ["fn:inc#void,int"])
    assert jm1.addresses == jm2.addresses and second["fn:inc#void,int"](41) == 42
