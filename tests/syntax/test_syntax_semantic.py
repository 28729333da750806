"""Load-time checks: declaration errors (§3.1, §5.4) and context errors (§4, §5, §9, §0)."""
import pytest

from nyash_run.syntax import ast
from nyash_run.syntax.lexer import tokenize
from nyash_run.syntax.parser import parse
from nyash_run.syntax.semantic import check_context, collect_declarations


def program_items(text):
    return parse(tokenize(text, "t.ny"), "t.ny").items


def declaration_errors(text):
    _, errors = collect_declarations(program_items(text))
    return [f"{e.span.line}:{e.span.col}: {e.message}" for e in errors]


def context_errors(text, unsupported=frozenset()):
    items = program_items(text)
    decls, _ = collect_declarations(items)
    return [f"{e.span.line}:{e.span.col}: {e.message}" for e in check_context(items, decls, unsupported)]


# -------------------------------------------------------------------------------------------- declarations

def test_declarations_are_registered_by_namespace():
    decls, errors = collect_declarations(program_items(
        "box A { }\nstatic box Main { }\nfunction f() { }\nstatic function g() { }\n"
        "static function A.f() { }\nstatic function Nowhere.f() { }"))
    assert errors == []
    assert set(decls.boxes) == {"A", "Main"} and isinstance(decls.boxes["A"], ast.BoxDecl)
    assert set(decls.functions) == {"f", "g"}
    assert set(decls.static_functions) == {("A", "f"), ("Nowhere", "f")}


def test_duplicate_box_declaration_at_second_name():
    assert declaration_errors("box A { }\nstatic box A { }") == ["2:12: Duplicate declaration of 'A'"]


def test_duplicate_function_including_unprefixed_static_function():
    errors = declaration_errors("function f() { }\nstatic function f(x) { }")
    assert errors == ["2:17: Duplicate declaration of 'f'"]


def test_duplicate_static_function_uses_qualified_name():
    assert declaration_errors("static function B.f() { }\nstatic function B.f() { }\nfunction f() { }") == [
        "2:17: Duplicate declaration of 'B.f'"]


def test_first_declaration_wins():
    decls, _ = collect_declarations(program_items("function f(a) { }\nfunction f() { }"))
    assert len(decls.functions["f"].params) == 1


@pytest.mark.parametrize("name", ["IntegerBox", "StringBox", "ArrayBox", "MapBox", "FutureBox", "Result"])
def test_cannot_redefine_builtin_box(name):
    assert declaration_errors(f"x = 1\nstatic box {name} {{ }}") == [f"2:12: Cannot redefine builtin box '{name}'"]


def test_undefined_parent_class():
    assert declaration_errors("box A from B, C { }\nbox C { }") == ["1:12: Undefined class 'B'"]


def test_builtin_and_static_boxes_are_not_valid_parents():
    assert declaration_errors("box S from StringBox { }\nstatic box T { }\nbox U from T { }") == [
        "1:12: Undefined class 'StringBox'", "3:12: Undefined class 'T'"]


def test_static_box_may_delegate_to_ordinary_box():
    assert declaration_errors("box A { }\nstatic box Main from A { }") == []


def test_cyclic_delegation():
    assert declaration_errors("box A from B { }\nbox B from C { }\nbox C from A { }") == [
        "1:12: Cyclic delegation involving 'A'", "2:12: Cyclic delegation involving 'B'",
        "3:12: Cyclic delegation involving 'C'"]
    assert declaration_errors("box Self from Self { }") == ["1:15: Cyclic delegation involving 'Self'"]


def test_diamond_delegation_is_not_a_cycle():
    assert declaration_errors("box Base { }\nbox L from Base { }\nbox R from Base { }\nbox D from L, R { }") == []


def test_declaration_errors_come_in_source_order():
    assert declaration_errors("box A from X { }\nfunction f() { }\nbox A { }\nfunction f() { }") == [
        "1:12: Undefined class 'X'", "3:5: Duplicate declaration of 'A'", "4:10: Duplicate declaration of 'f'"]


# ------------------------------------------------------------------------------------------------ context

def test_me_allowed_in_methods_constructors_static_blocks_and_their_lambdas():
    text = """box A {
  birth() { me.x = 1 }
  m() { return fn() { me } }
}
static box S { static { me.y = 2 } }"""
    assert context_errors(text) == []


@pytest.mark.parametrize("source, message", [
    ("print(me)", "1:7: 'me' is only available inside methods"),
    ("function f() { return this }", "1:23: 'me' is only available inside methods"),
    ("static function A.f() { me.x = 1 }", "1:25: 'me' is only available inside methods"),
    ("f = fn() { me }", "1:12: 'me' is only available inside methods"),
])
def test_me_outside_methods(source, message):
    assert context_errors(source) == [message]


def test_from_outside_box_code():
    assert context_errors("from A.m()\nfunction f() { from A.birth() }\nstatic function A.g() { from A.m() }") == [
        "1:1: 'from' can only be used inside methods", "2:16: 'from' can only be used inside methods",
        "3:25: 'from' can only be used inside methods"]


def test_from_grandparent_is_not_a_direct_parent():
    text = "box Animal { }\nbox Dog from Animal { }\nbox Puppy from Dog {\n  m() { return from Animal.m() }\n}"
    assert context_errors(text) == [
        "4:16: Class 'Puppy' does not delegate to 'Animal'. Use 'box Puppy from Animal' to establish delegation."]


def test_from_direct_parent_allowed_in_every_box_member_and_lambdas_there():
    text = """box P { }
box Q { }
box C from P, Q {
  birth() { from P.birth() }
  m() { f = fn() { from Q.m() } }
}
static box S from P { static { from P.init() } }"""
    assert context_errors(text) == []


@pytest.mark.parametrize("keyword, message", [("break", "Break outside of loop"),
                                              ("continue", "Continue outside of loop")])
def test_break_and_continue_need_a_loop_of_their_own_body(keyword, message):
    text = f"""{keyword}
function f() {{ {keyword} }}
loop {{ g = fn() {{ {keyword} }} }}
loop {{ if x {{ {keyword} }} else {{ {{ {keyword} }} }} }}
loop {{ try {{ {keyword} }} catch (e) {{ {keyword} }} finally {{ {keyword} }} }}
loop {{ x = peek y {{ 1 => {{ {keyword} }} else => 0 }} }}
box A {{ m() {{ {keyword} }} }}"""
    assert context_errors(text) == [f"1:1: {message}", f"2:16: {message}", f"3:19: {message}",
                                    f"7:15: {message}"]


def test_return_outside_function():
    text = "return 1\nif x { return }\nfunction f() { return }\nf = fn() { return 2 }\nbox A { m() { return } }"
    assert context_errors(text) == ["1:1: Return outside of function", "2:8: Return outside of function"]


def test_return_inside_peek_block_arm_at_top_level_is_outside_function():
    assert context_errors("x = peek y { else => { return } }") == ["1:24: Return outside of function"]


def test_propagate_only_inside_functions():
    text = "x = r()?\nfunction f() { return r()? }\ng = fn() { r()? }\nbox A { m() { r()? } }"
    assert context_errors(text) == ["1:8: '?' can only be used inside functions"]


@pytest.mark.parametrize("feature, source, position", [
    ("peek", "x = peek y { else => 1 }", "1:5"),
    ("lambda", "f = fn() { }", "1:5"),
    ("nowait", "nowait f = g()", "1:1"),
    ("await", "x = await f", "1:5"),
    ("?", "function f() { return g()? }", "1:26"),
    ("include", 'include "lib.ny"', "1:1"),
])
def test_unsupported_feature_on_this_backend(feature, source, position):
    assert context_errors(source) == []
    assert context_errors(source, frozenset({feature})) == [
        f"{position}: Unsupported feature on this backend: {feature}"]


def test_unsupported_features_found_inside_declarations():
    text = "box A { m() { return peek x { else => fn() { await y } } } }"
    assert context_errors(text, frozenset({"peek", "lambda", "await"})) == [
        "1:22: Unsupported feature on this backend: peek",
        "1:39: Unsupported feature on this backend: lambda",
        "1:46: Unsupported feature on this backend: await"]


def test_context_errors_are_in_source_order_within_a_box():
    text = "box A {\n  m() { break }\n  birth() { continue }\n}"
    assert context_errors(text) == ["2:9: Break outside of loop", "3:13: Continue outside of loop"]


def test_propagate_error_follows_errors_in_its_operand():
    assert context_errors("x = me.f()?") == [
        "1:5: 'me' is only available inside methods", "1:11: '?' can only be used inside functions"]
