"""Parser: every construct of §2.1, the precedence of §2.3 and the AST spans."""
import pytest

from nyash_run.syntax import ast
from nyash_run.syntax.lexer import tokenize
from nyash_run.syntax.parser import parse


def items(text):
    return parse(tokenize(text, "t.ny"), "t.ny").items


def one(text):
    result = items(text)
    assert len(result) == 1, result
    return result[0]


def expr(text):
    stmt = one(text)
    assert isinstance(stmt, ast.ExprStmt)
    return stmt.expr


def sexp(node):
    """A compact rendering of an expression tree for precedence checks."""
    if isinstance(node, (ast.Binary, ast.Logical)):
        return f"({sexp(node.left)} {node.op} {sexp(node.right)})"
    if isinstance(node, ast.Unary):
        return f"({node.op} {sexp(node.operand)})"
    if isinstance(node, ast.Await):
        return f"(await {sexp(node.operand)})"
    if isinstance(node, ast.Propagate):
        return f"{sexp(node.operand)}?"
    if isinstance(node, ast.MethodCall):
        return f"{sexp(node.receiver)}.{node.name}({', '.join(sexp(a) for a in node.args)})"
    if isinstance(node, ast.FieldGet):
        return f"{sexp(node.obj)}.{node.name}"
    if isinstance(node, ast.Call):
        return f"{node.name}({', '.join(sexp(a) for a in node.args)})"
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, (ast.IntLit, ast.FloatLit, ast.BoolLit)):
        return repr(node.value)
    return type(node).__name__


def pos(node):
    return (node.span.line, node.span.col)


@pytest.mark.parametrize("source, tree", [
    ("not a == b", "((not a) == b)"),
    ("-x.abs()", "(- x.abs())"),
    ("a < b < c", "((a < b) < c)"),
    ("a == 0 and b == 1", "((a == 0) and (b == 1))"),
    ("a or b and c", "(a or (b and c))"),
    ("a && b || !c", "((a and b) or (not c))"),
    ("1 + 2 * 3 - 4 / 5 % 6", "((1 + (2 * 3)) - ((4 / 5) % 6))"),
    ("a - b - c", "((a - b) - c)"),
    ("a != b == c", "((a != b) == c)"),
    ("a <= b >= c > d", "(((a <= b) >= c) > d)"),
    ("- - a", "(- (- a))"),
    ("not not a", "(not (not a))"),
    ("await f() + 1", "((await f()) + 1)"),
    ("-f()? * 2", "((- f()?) * 2)"),
    ("(1 + 2) * 3", "((1 + 2) * 3)"),
    ("a.b.c(1, 2).d", "a.b.c(1, 2).d"),
])
def test_operator_precedence(source, tree):
    assert sexp(expr(source)) == tree


def test_logical_and_binary_node_spans_are_operators():
    node = expr("a + b or c")
    assert isinstance(node, ast.Logical) and pos(node) == (1, 7)
    assert isinstance(node.left, ast.Binary) and pos(node.left) == (1, 3)


def test_literals():
    nodes = [s.expr for s in items('1; 2.5; "s"; true; false; null; void; me; this')]
    assert [type(n) for n in nodes] == [ast.IntLit, ast.FloatLit, ast.StringLit, ast.BoolLit, ast.BoolLit,
                                        ast.NullLit, ast.VoidLit, ast.Me, ast.Me]
    assert [getattr(n, "value", None) for n in nodes[:5]] == [1, 2.5, "s", True, False]


def test_call_method_call_and_field_spans():
    node = expr("obj.method(a).field")
    assert isinstance(node, ast.FieldGet) and pos(node) == (1, 15)
    assert isinstance(node.obj, ast.MethodCall) and pos(node.obj) == (1, 5)
    call = expr("  f(1)")
    assert isinstance(call, ast.Call) and pos(call) == (1, 3)


def test_arguments_allow_optional_and_trailing_commas_and_line_breaks():
    assert len(expr("f(1 2, 3,)").args) == 3
    assert len(expr("f(\n1,\n2\n)").args) == 2
    assert expr("f()").args == ()


def test_new_with_erased_type_arguments():
    node = expr("new Map<K, List<V>>(1)")
    assert isinstance(node, ast.New) and node.class_name == "Map" and len(node.args) == 1
    assert pos(node) == (1, 1) and node.name_span.col == 5


def test_from_call_accepts_constructor_names():
    for method in ("birth", "init", "pack", "speak"):
        node = expr(f"from Parent.{method}(1)")
        assert isinstance(node, ast.FromCall) and (node.parent, node.method) == ("Parent", method)
        assert node.parent_span.col == 6


def test_statements_may_start_with_literals_parentheses_and_new():
    kinds = [type(s.expr) for s in items('"s".length()\n(1 + 2)\nnew Foo()\n-1\n3.toString()')]
    assert kinds == [ast.MethodCall, ast.Binary, ast.New, ast.Unary, ast.MethodCall]


def test_statements_need_no_separator():
    stmts = items("x = 1 y = 2 print(x) print(y)")
    assert [type(s) for s in stmts] == [ast.Assign, ast.Assign, ast.Print, ast.Print]


def test_expression_continues_after_operator_but_not_before():
    assert len(items("a +\n b")) == 1
    assert len(items("a\n- b")) == 2


def test_assignment_to_name_and_field():
    stmt = one("me.x.y = 1")
    assert isinstance(stmt, ast.Assign) and isinstance(stmt.target, ast.FieldGet) and pos(stmt) == (1, 1)
    assert isinstance(one("x = y").target, ast.Name)


def test_local_forms():
    init = one("local x = 1")
    assert [n.name for n in init.names] == ["x"] and isinstance(init.value, ast.IntLit)
    bare = one("local a, b, c")
    assert [n.name for n in bare.names] == ["a", "b", "c"] and bare.value is None


def test_global_and_nowait():
    glob = one("global g = 1")
    assert isinstance(glob, ast.Global) and glob.name.name == "g"
    nowait = one("nowait f = work()")
    assert isinstance(nowait, ast.Nowait) and nowait.name.name == "f" and isinstance(nowait.value, ast.Call)


def test_if_else_if_chain_with_else_on_later_lines():
    stmt = one("if a { }\n\nelse if (b) { }\n/* c\n */\nelse { x }")
    assert isinstance(stmt, ast.If) and isinstance(stmt.else_, ast.If)
    assert isinstance(stmt.else_.else_, ast.Block) and pos(stmt.else_) == (3, 6)


def test_else_after_semicolon_is_not_attached():
    from nyash_run.syntax.errors import NyashSyntaxError
    with pytest.raises(NyashSyntaxError, match="Invalid statement"):
        items("if a { } ; else { }")


def test_if_without_else_ends_at_newline():
    stmts = items("if a { }\nx")
    assert stmts[0].else_ is None and len(stmts) == 2


def test_loop_with_and_without_condition():
    assert one("loop(i < 3) { i = i + 1 }").cond is not None
    assert one("loop { break }").cond is None


def test_return_without_value_before_newline_semicolon_brace_and_eof():
    func = one("function f() { return\n return; return }")
    assert [s.value for s in func.body.stmts] == [None, None, None]
    assert one("return").value is None
    assert isinstance(one("return 1 + 2").value, ast.Binary)


def test_try_catch_forms_and_finally_on_later_lines():
    stmt = one("try { }\ncatch (e) { }\n\ncatch (MyError e) { }\nfinally { }")
    assert [(c.type_name, c.var.name) for c in stmt.catches] == [(None, "e"), ("MyError", "e")]
    assert stmt.finally_ is not None
    assert one("try { } finally { }").catches == ()


def test_throw_print_break_continue():
    stmts = items("throw 1\nprint(2)\nloop { break; continue }")
    assert [type(s) for s in stmts] == [ast.Throw, ast.Print, ast.Loop]
    assert [type(s) for s in stmts[2].body.stmts] == [ast.Break, ast.Continue]


def test_bare_blocks_at_line_start_and_after_separators():
    stmts = items("{ x }\n{ y }; { z } { w }")
    assert [type(s) for s in stmts] == [ast.Block] * 4


def test_function_and_static_function_declarations():
    f, g, h = items("function f(a, b) { }\nstatic function g() { }\nstatic function Util.h(x y,) { }")
    assert (f.name, f.owner, [p.name for p in f.params]) == ("f", None, ["a", "b"])
    assert (g.name, g.owner) == ("g", None)
    assert (h.name, h.owner, [p.name for p in h.params]) == ("h", "Util", ["x", "y"])
    assert pos(h) == (3, 1) and (h.name_span.line, h.name_span.col) == (3, 17)


def test_fn_spelling_at_top_level_starts_a_lambda_statement():
    assert isinstance(one("fn(x) { x }").expr, ast.Lambda)
    assert isinstance(one("function(x) { x }").expr, ast.Lambda)


def test_box_declaration_with_every_member_kind():
    box = one("""box Dog<T> from Animal, Pet {
    init { a, b
      c }
    public { d } private { e }
    f g: Map<K, V>
    public h: IntegerBox
    private i
    birth(name) { }
    init(x, y) { }
    pack() { }
    speak() { }
    override describe(x) { }
    fini() { }
}""")
    assert isinstance(box, ast.BoxDecl) and (box.name, box.is_static) == ("Dog", False)
    assert [p.name for p in box.parents] == ["Animal", "Pet"]
    assert [f.name for f in box.fields] == list("abcdefghi")
    assert [(c.kind, len(c.params)) for c in box.constructors] == [("birth", 1), ("init", 2), ("pack", 0)]
    assert [m.name for m in box.methods] == ["speak", "describe", "fini"]
    assert pos(box.methods[1]) == (12, 14) and box.name_span.col == 5


def test_static_box_with_static_block_and_separators():
    box = one("static box Main { init { count } ; static { me.count = 0 } ; main() { } }")
    assert box.is_static and box.static_init is not None and [m.name for m in box.methods] == ["main"]


def test_peek_expression_with_negative_patterns_and_block_arms():
    node = expr('peek x {\n -1 => "neg", 2.5 => { "f" }\n "s" => 1; true => 2 null => 3 void => 4\n else => 0,\n}')
    assert isinstance(node, ast.Peek)
    patterns = [a.pattern for a in node.arms]
    assert [(type(p), getattr(p, "value", None)) for p in patterns] == [
        (ast.IntLit, -1), (ast.FloatLit, 2.5), (ast.StringLit, "s"), (ast.BoolLit, True),
        (ast.NullLit, None), (ast.VoidLit, None)]
    assert pos(patterns[0]) == (2, 2) and isinstance(node.arms[1].body, ast.Block)
    assert isinstance(node.else_body, ast.IntLit)


def test_peek_with_only_else_arm():
    node = expr("peek x { else => { 1 } }")
    assert node.arms == () and isinstance(node.else_body, ast.Block)


def test_lambda_and_propagate_and_await():
    stmt = one("f = fn(a, b) { return a + b }")
    assert isinstance(stmt.value, ast.Lambda) and [p.name for p in stmt.value.params] == ["a", "b"]
    node = expr("await g()?")
    assert isinstance(node, ast.Await) and isinstance(node.operand, ast.Propagate)
    assert pos(node.operand) == (1, 10)


def test_include_statement():
    node = one('include "lib/util.ny"')
    assert isinstance(node, ast.Include) and node.path == "lib/util.ny"


def test_question_dot_is_propagate_then_field_access():
    node = expr("a?.b")
    assert isinstance(node, ast.FieldGet) and isinstance(node.obj, ast.Propagate)


def test_deeply_nested_expressions_and_blocks_parse():
    assert isinstance(expr("(" * 400 + "1" + ")" * 400), ast.IntLit)
    assert isinstance(one("if a {" * 300 + "}" * 300), ast.If)
    assert isinstance(expr("-" * 3000 + "1"), ast.Unary)
    chain = "if a { }" + " else if b { }" * 2000
    assert isinstance(one(chain), ast.If)


def test_long_binary_chain_parses():
    node = expr("1" + " + 1" * 5000)
    assert isinstance(node, ast.Binary)


def test_large_file_parses_quickly():
    import time
    line = "x = foo(a, b + 1) * 3; if x > 2 { print(\"big\" + x) } else { y = me_not(x) }\n"
    text = line * 5000
    start = time.perf_counter()
    parse(tokenize(text, "big.ny"), "big.ny")
    assert time.perf_counter() - start < 5      # generous: timing is not what this test checks
