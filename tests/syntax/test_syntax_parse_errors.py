"""Parse errors: every message kind of §2.2 at the token at fault, and recovery for `nyash check`."""
import pytest

from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.lexer import tokenize
from nyash_run.syntax.parser import parse, parse_all


def parse_error(text):
    with pytest.raises(NyashSyntaxError) as info:
        parse(tokenize(text, "t.ny"), "t.ny")
    err = info.value
    return f"{err.span.line}:{err.span.col}: {err.message}"


def all_errors(text):
    _, errors = parse_all(tokenize(text, "t.ny"), "t.ny")
    return [f"{e.span.line}:{e.span.col}: {e.message}" for e in errors]


# ------------------------------------------------------------------------------ Unexpected token X, expected Y

@pytest.mark.parametrize("source, message", [
    ("if x\n{ }", "1:5: Unexpected token NEWLINE, expected LBRACE"),
    ("loop\n{ }", "1:5: Unexpected token NEWLINE, expected LBRACE"),
    ("function f()\n{ }", "1:13: Unexpected token NEWLINE, expected LBRACE"),
    ("if x { }\nelse\n{ }", "2:5: Unexpected token NEWLINE, expected LBRACE"),
    ("print 1", "1:7: Unexpected token INTEGER, expected LPAREN"),
    ("print(1, 2)", "1:8: Unexpected token COMMA, expected RPAREN"),
    ("f(1 2", "1:6: Unexpected token EOF, expected RPAREN"),
    ("f(1;", "1:4: Unexpected token SEMICOLON, expected RPAREN"),
    ("a.if", "1:3: Unexpected token IF, expected IDENTIFIER"),
    ("a.print()", "1:3: Unexpected token PRINT, expected IDENTIFIER"),
    ("a.3", "1:3: Unexpected token INTEGER, expected IDENTIFIER"),
    ("from A.local()", "1:8: Unexpected token LOCAL, expected IDENTIFIER"),
    ("from A()", "1:7: Unexpected token LPAREN, expected DOT"),
    ("new Foo", "1:8: Unexpected token EOF, expected LPAREN"),
    ("new Foo<3>()", "1:9: Unexpected token INTEGER, expected IDENTIFIER"),
    ("new Foo<T()", "1:10: Unexpected token LPAREN, expected GREATER"),
    ("local 3", "1:7: Unexpected token INTEGER, expected IDENTIFIER"),
    ("global g", "1:9: Unexpected token EOF, expected ASSIGN"),
    ("nowait f g()", "1:10: Unexpected token IDENTIFIER, expected ASSIGN"),
    ("function 3() { }", "1:10: Unexpected token INTEGER, expected IDENTIFIER"),
    ("function f(a, 1) { }", "1:15: Unexpected token INTEGER, expected IDENTIFIER"),
    ("function f(a 1) { }", "1:14: Unexpected token INTEGER, expected RPAREN"),
    ("function f { }", "1:12: Unexpected token LBRACE, expected LPAREN"),
    ("static function A. () { }", "1:20: Unexpected token LPAREN, expected IDENTIFIER"),
    ("static x", "1:8: Unexpected token IDENTIFIER, expected BOX"),
    ("box A : B { }", "1:7: Unexpected token COLON, expected LBRACE"),
    ("box { }", "1:5: Unexpected token LBRACE, expected IDENTIFIER"),
    ("box A from { }", "1:12: Unexpected token LBRACE, expected IDENTIFIER"),
    ("box A<T { }", "1:9: Unexpected token LBRACE, expected GREATER"),
    ("box A {\n x: 3\n}", "2:5: Unexpected token INTEGER, expected IDENTIFIER"),
    ("box A { init { a; b } }", "1:17: Unexpected token SEMICOLON, expected RBRACE"),
    ("box A { public }", "1:16: Unexpected token RBRACE, expected IDENTIFIER"),
    ("box A { override 3() { } }", "1:18: Unexpected token INTEGER, expected IDENTIFIER"),
    ("box A { birth { } }", "1:15: Unexpected token LBRACE, expected LPAREN"),
    ("box A {\n x()", "2:5: Unexpected token EOF, expected LBRACE"),
    ("box A {", "1:8: Unexpected token EOF, expected RBRACE"),
    ("{ x", "1:4: Unexpected token EOF, expected RBRACE"),
    ("try { } catch e { }", "1:15: Unexpected token IDENTIFIER, expected LPAREN"),
    ("try { } catch () { }", "1:16: Unexpected token RPAREN, expected IDENTIFIER"),
    ("try { } catch (A b c) { }", "1:20: Unexpected token IDENTIFIER, expected RPAREN"),
    ("loop(x { }", "1:8: Unexpected token LBRACE, expected RPAREN"),
    ("include x", "1:9: Unexpected token IDENTIFIER, expected STRING"),
    ("peek x { 1 2 }", "1:12: Unexpected token INTEGER, expected ARROW"),
    ("peek x { else 1 }", "1:15: Unexpected token INTEGER, expected ARROW"),
    ("peek x { else => 1 )", "1:20: Unexpected token RPAREN, expected RBRACE"),
    ("f = fn x { }", "1:8: Unexpected token IDENTIFIER, expected LPAREN"),
    ("(1 + 2", "1:7: Unexpected token EOF, expected RPAREN"),
])
def test_unexpected_token_names_found_and_wanted(source, message):
    assert parse_error(source) == message


# ----------------------------------------------------------------------------------------- Invalid statement

@pytest.mark.parametrize("source, message", [
    ("local a = 1, b = 2", "1:12: Invalid statement"),
    ("local a, b = 5", "1:12: Invalid statement"),
    ("i = 0\nwhile i < 3 {\n}", "2:13: Invalid statement"),
    ("x = 1 { }", "1:7: Invalid statement"),
    ("else { }", "1:1: Invalid statement"),
    ("if a { }\ncatch (e) { }", "2:1: Invalid statement"),
    ("finally { }", "1:1: Invalid statement"),
    ("}", "1:1: Invalid statement"),
    ("x = 1 )", "1:7: Invalid statement"),
    ("a\n+ b", "2:1: Invalid statement"),
    ("init { }", "1:1: Invalid statement"),
    ("=> 1", "1:1: Invalid statement"),
    ("print(1).x", "1:9: Invalid statement"),
    ("if a { } ; else { }", "1:12: Invalid statement"),
])
def test_invalid_statement(source, message):
    assert parse_error(source) == message


# ---------------------------------------------------------------------------------------- Invalid expression

@pytest.mark.parametrize("source, message", [
    ("loop() { }", "1:6: Invalid expression"),
    ("x = ", "1:5: Invalid expression"),
    ("x = 1 +\n\n )", "3:2: Invalid expression"),
    ("x = a >> b", "1:8: Invalid expression"),
    ("x += 1", "1:4: Invalid expression"),
    ("x = a++", "1:7: Invalid expression"),
    ("x = 5 % {", "1:9: Invalid expression"),
    ("print()", "1:7: Invalid expression"),
    ("f(1,,2)", "1:5: Invalid expression"),
    ("if { }", "1:4: Invalid expression"),
    ("x = birth", "1:5: Invalid expression"),
    ("return else", "1:8: Invalid expression"),
    ("peek x { y => 1 else => 2 }", "1:10: Invalid expression"),
    ("peek x { - y => 1 else => 2 }", "1:12: Invalid expression"),
])
def test_invalid_expression(source, message):
    assert parse_error(source) == message


# --------------------------------------------------------------------------------------------- other kinds

@pytest.mark.parametrize("source, message", [
    ("f() = 1", "1:1: Invalid assignment target"),
    ("a.b() = 1", "1:1: Invalid assignment target"),
    ("me = 1", "1:1: Invalid assignment target"),
    ("x\n  1 = 2", "2:3: Invalid assignment target"),
    ("(a) = 1", "1:1: Invalid assignment target"),
    ("a + b = 1", "1:1: Invalid assignment target"),
])
def test_invalid_assignment_target(source, message):
    assert parse_error(source) == message


@pytest.mark.parametrize("source, message", [
    ("box A {\n  3\n}", "2:3: Invalid box member"),
    ("box A { local x }", "1:9: Invalid box member"),
    ("box A { function f() { } }", "1:9: Invalid box member"),
    ("box A { x = 1 }", "1:11: Invalid box member"),
    ("box A { static { } }", "1:9: Invalid box member"),
    ("static box A { birth() { } }", "1:16: Invalid box member"),
    ("static box A { init(x) { } }", "1:16: Invalid box member"),
    ("static box A { pack() { } }", "1:16: Invalid box member"),
    ("static box A { static { }\n static { } }", "2:2: Invalid box member"),
    ("box A { a\n (x) { } }", "2:2: Invalid box member"),
])
def test_invalid_box_member(source, message):
    assert parse_error(source) == message


def test_try_without_catch_or_finally():
    assert parse_error("try { x }\nprint(1)") == "1:10: Expected catch or finally after try block"
    assert parse_error("try { x } print(1)") == "1:11: Expected catch or finally after try block"
    assert parse_error("try { x } ; catch (e) { }") == "1:11: Expected catch or finally after try block"


@pytest.mark.parametrize("source, message", [
    ("function f(a, b, a) { }", "1:18: Duplicate parameter 'a'"),
    ("box A { m(x x) { } }", "1:13: Duplicate parameter 'x'"),
    ("box A { birth(x, x) { } }", "1:18: Duplicate parameter 'x'"),
    ("f = fn(y, y) { }", "1:11: Duplicate parameter 'y'"),
    ("static function B.f(q, q) { }", "1:24: Duplicate parameter 'q'"),
])
def test_duplicate_parameter(source, message):
    assert parse_error(source) == message


def test_method_named_like_its_box():
    assert parse_error("box Point {\n  Point(x) { }\n}") == "2:3: Use birth() as the constructor, not Point()"
    assert parse_error("box P { override P() { } }") == "1:18: Use birth() as the constructor, not P()"


@pytest.mark.parametrize("source, message", [
    ("if a {\n  function f() { }\n}", "2:3: Declarations are only allowed at top level"),
    ("function g() { box A { } }", "1:16: Declarations are only allowed at top level"),
    ("loop { static box A { } }", "1:8: Declarations are only allowed at top level"),
    ("{ static function f() { } }", "1:3: Declarations are only allowed at top level"),
    ('{ include "x.ny" }', "1:3: Declarations are only allowed at top level"),
    ("box A { m() { fn f() { } } }", "1:15: Declarations are only allowed at top level"),
])
def test_declarations_only_at_top_level(source, message):
    assert parse_error(source) == message


def test_old_constructor_spelling_is_an_ordinary_method():
    program = parse(tokenize("box A { constructor(x) { } }", "t.ny"), "t.ny")
    assert [m.name for m in program.items[0].methods] == ["constructor"]


def test_function_followed_by_paren_inside_block_is_a_lambda():
    parse(tokenize("{ function(x) { x } }", "t.ny"), "t.ny")


@pytest.mark.parametrize("source, message", [
    ("peek x { 1 => 2 }", "1:17: peek requires a final else arm"),
    ("peek x { }", "1:10: peek requires a final else arm"),
    ("peek x { else => 1\n 2 => 3 }", "2:2: peek requires a final else arm"),
    ("peek x { else => 1, else => 2 }", "1:21: peek requires a final else arm"),
    ("x = peek y {\n 1 => 2", "2:8: peek requires a final else arm"),
])
def test_peek_requires_final_else_arm(source, message):
    assert parse_error(source) == message


# ---------------------------------------------------------------------------------------------- recovery

def test_parse_all_reports_several_errors_one_per_statement():
    text = "local a = 1, b = 2\nprint(1)\nx = )\nfunction f() {\n  y = = 2\n  ok()\n}\nelse"
    assert all_errors(text) == ["1:12: Invalid statement", "3:5: Invalid expression",
                                "5:7: Invalid expression", "8:1: Invalid statement"]


def test_parse_all_keeps_the_statements_it_could_parse():
    program, errors = parse_all(tokenize("print(1)\nx = )\nprint(2)", "t.ny"), "t.ny")
    assert len(errors) == 1 and len(program.items) == 2


def test_parse_all_recovers_inside_box_bodies():
    text = "box A {\n  3\n  m() { }\n  birth(a, a) { }\n}\nbox B { }"
    program, errors = parse_all(tokenize(text, "t.ny"), "t.ny")
    assert [f"{e.span.line}:{e.span.col}: {e.message}" for e in errors] == [
        "2:3: Invalid box member", "4:12: Duplicate parameter 'a'"]
    assert [item.name for item in program.items] == ["A", "B"]
    assert [m.name for m in program.items[0].methods] == ["m"]


def test_parse_all_reports_unclosed_block_once():
    assert all_errors("function f() {\n  if x {\n    loop {\n") == ["4:1: Unexpected token EOF, expected RBRACE"]


def test_parse_all_makes_progress_on_stray_closers():
    assert all_errors("} } x )") == ["1:1: Invalid statement", "1:3: Invalid statement", "1:7: Invalid statement"]


@pytest.mark.parametrize("source", [
    "local a = 1, b = 2", "while x { }", "box A { 3 }", "f(1 2", "peek x { 1 => 2 }", "{ box A {} }",
    "try { }", "x = (1 + (2", "box A { A() {} } function f(a, a) {}",
])
def test_first_error_of_parse_all_is_the_error_parse_raises(source):
    _, errors = parse_all(tokenize(source, "t.ny"), "t.ny")
    first = parse_error(source)
    assert f"{errors[0].span.line}:{errors[0].span.col}: {errors[0].message}" == first


def test_absurdly_deep_nesting_is_a_syntax_error_not_a_crash():
    text = "x = " + "(" * 50000 + "1" + ")" * 50000
    assert parse_error(text).endswith("Program is nested too deeply")
