"""Type inference, specialisation and the clean-up passes, checked on small programs."""
from __future__ import annotations

from nyash_run.mir.build import build_module
from nyash_run.mir.passes import optimize_module
from nyash_run.mir.types import binop_kind, infer_types, join, label
from nyash_run.syntax.loader import load_program


def compile_mir(program, text: str):
    module = build_module(load_program(str(program(text))))
    optimize_module(module)
    infer_types(module)
    optimize_module(module)
    return module


def instrs(fn, name=None):
    return [i for b in fn.blocks for i in b.instrs if name is None or i.name == name]


def test_binop_kinds_follow_the_operator_table():
    assert binop_kind("+", "int", "int") == "int"
    assert binop_kind("/", "int", "float") == "float"
    assert binop_kind("+", "string", "dyn") == "string"
    assert binop_kind("+", "bool", "bool") == "int"
    assert binop_kind("*", "string", "int") == "string"
    assert binop_kind("<", "dyn", "dyn") == "bool"
    assert binop_kind("-", "dyn", "int") == "dyn"


def test_join_widens_to_dyn_but_keeps_unbound_apart():
    assert label(join(frozenset({"int"}), frozenset({"int"}))) == "int"
    assert label(join(frozenset({"int"}), frozenset({"float"}))) == "dyn"
    widened = join(frozenset({"dyn"}), frozenset({"unbound"}))
    assert "unbound" in widened and label(widened) == "dyn"


def test_call_with_int_argument_gets_an_int_specialisation(program):
    module = compile_mir(program, "function sq(x) { return x * x }\nprint(sq(3))\n")
    spec = module.functions["fn:sq#void,int"]
    assert spec.params[0].type == "int"
    (mul,) = instrs(spec, "BINOP")
    assert mul.dst.type == "int"
    (call,) = instrs(module.functions[module.top], "CALL")
    assert call.args[0] == "fn:sq#void,int"


def test_recursive_specialisation_returns_int(program):
    module = compile_mir(program, "function f(n) { if n < 2 { return n } return f(n - 1) + f(n - 2) }\n"
                                  "print(f(5))\n")
    spec = module.functions["fn:f#void,int"]
    returns = [i.args[0].type for i in instrs(spec, "RETURN")]
    assert returns and all(kind == "int" for kind in returns)


def test_untyped_numeric_parameter_gets_a_guarded_entry(program):
    module = compile_mir(program, "g = 5\nfunction f(n) { return n - 1 }\nprint(f(g))\n")
    generic = module.functions["fn:f"]
    assert generic.guarded_entry is not None
    target, kinds = generic.guarded_entry
    assert kinds == ("int",) and target in module.functions


def test_bound_checks_vanish_where_a_value_is_certain(program):
    module = compile_mir(program, "local i = 0\nloop(i < 3) { i = i + 1 }\nprint(i)\n")
    assert instrs(module.functions[module.top], "CHECK_BOUND") == []


def test_bound_check_stays_where_a_path_leaves_the_name_unbound(program):
    module = compile_mir(program, "local c = 1\nif c > 5 { local y = 1 }\nprint(y)\n")
    assert len(instrs(module.functions[module.top], "CHECK_BOUND")) == 1


def test_method_call_on_known_box_is_resolved_when_compiling(program):
    module = compile_mir(program, "box P {\n v() { return 7 }\n}\nlocal p = new P()\nprint(p.v())\n")
    (known,) = instrs(module.functions[module.top], "CALL_KNOWN_METHOD")
    assert known.args[0].startswith("m:P.v")


def test_constant_folding_uses_the_runtime_and_keeps_errors(program):
    module = compile_mir(program, 'print(2 * 3 + 1)\nprint("a" + 1)\nprint(1 / 0)\n')
    top = module.functions[module.top]
    consts = [i.args[0] for i in instrs(top, "CONST")]
    assert 7 in consts and "a1" in consts
    divisions = [i for i in instrs(top, "BINOP") if i.args[0] == "/"]
    assert len(divisions) == 1, "1 / 0 must still raise at run time"


def test_branch_on_constant_condition_drops_the_dead_arm(program):
    module = compile_mir(program, 'if 1 < 2 { print("yes") } else { print("no") }\n')
    top = module.functions[module.top]
    assert instrs(top, "BRANCH") == []
    printed = [i.args[0] for i in instrs(top, "CONST")]
    assert "yes" in printed and "no" not in printed


def test_trivial_block_parameters_are_removed(program):
    module = compile_mir(program, "local a = 1\nlocal b = 2\nif a < b and b > 0 { a = 3 }\nprint(a + b)\n")
    top = module.functions[module.top]
    for block in top.blocks:
        assert len(block.params) <= 1
