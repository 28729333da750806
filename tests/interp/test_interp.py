"""Interpreter semantics beyond the conformance programs: Tier 2, call depth, scoping, unwinding."""
from __future__ import annotations

import pytest

from nyash_run.driver import RunOptions, run_file
from nyash_run.modes import ExecutionMode
from nyash_run.runtime.output import Capture


def run(program, capsys, text: str, argv=()):
    path = program(text)
    with Capture() as out:
        status = run_file(str(path), RunOptions(mode=ExecutionMode.INTERP, argv=list(argv)))
    return status, out.text(), capsys.readouterr().err


def test_call_depth_allows_exactly_ten_thousand_active_calls(program, capsys):
    text = "function d(n) { if n == 0 { return 0 } return d(n - 1) + 1 }\nprint(d(9999))\nprint(d(10000))\n"
    status, out, err = run(program, capsys, text)
    assert out == "9999\n" and status == 1
    assert "error: Maximum call depth exceeded" in err


def test_call_depth_error_is_catchable(program, capsys):
    text = "function f() { return f() }\ntry { f() } catch (e) { print(e) }\n"
    status, out, _ = run(program, capsys, text)
    assert (status, out) == (0, "ErrorBox(Maximum call depth exceeded)\n")


def test_methods_recursing_deeply_do_not_overflow_python(program, capsys):
    text = ("box R {\n down(n) { if n == 0 { return 0 } return me.down(n - 1) + 1 }\n}\n"
            "print(new R().down(9990))\n")
    assert run(program, capsys, text)[1] == "9990\n"


def test_peek_chooses_first_equal_arm_and_block_arm_value(program, capsys):
    text = ('function c(n) {\n return peek n {\n 1 => "one"\n -2 => { local t = "neg"; t + "!" }\n'
            ' else => "other"\n }\n}\nprint(c(1) + c(-2) + c(3) + c(1.0))\n')
    assert run(program, capsys, text)[1] == "oneneg!otherone\n"


def test_return_inside_peek_block_arm_leaves_the_function(program, capsys):
    text = ('function f(n) {\n local x = peek n {\n 0 => { return "early" }\n else => "late"\n }\n'
            ' return x\n}\nprint(f(0) + " " + f(1))\n')
    assert run(program, capsys, text)[1] == "early late\n"


def test_break_inside_peek_block_arm_leaves_the_loop(program, capsys):
    text = ('local i = 0\nloop(i < 10) {\n i = i + 1\n peek i {\n 3 => { break }\n else => 0\n }\n}\n'
            'print(i)\n')
    assert run(program, capsys, text)[1] == "3\n"


def test_lambda_captures_values_at_creation_and_assignments_stay_inside(program, capsys):
    text = ("local k = 10\nlocal add = fn(x) { k = k + 1; x + k }\nk = 99\n"
            "print(add(1) + \" \" + add(1) + \" \" + k + \" \" + add.call(5) + \" \" + add)\n")
    assert run(program, capsys, text)[1] == "12 12 99 16 FunctionBox()\n"


def test_lambda_arity_is_checked(program, capsys):
    status, _, err = run(program, capsys, "local f = fn(a) { a }\nf(1, 2)\n")
    assert status == 1 and "error: Lambda expects 1 argument, got 2" in err


def test_lambda_created_in_a_method_sees_me(program, capsys):
    text = ("box B {\n init { v }\n birth() { me.v = 7 }\n getter() { return fn() { me.v } }\n}\n"
            "local g = new B().getter()\nprint(g())\n")
    assert run(program, capsys, text)[1] == "7\n"


def test_nowait_and_await_are_synchronous_futures(program, capsys):
    text = ('nowait f = 1 + 2\nnowait g = 1 / 0\nprint(await f + " " + f + " " + await g + " " + await 5)\n'
            'print(f.isReady() + " " + f.get())\n')
    assert run(program, capsys, text)[1] == "3 Future(ready: 3) ErrorBox(Division by zero) 5\ntrue 3\n"


def test_question_mark_returns_err_from_the_function_and_runs_finally(program, capsys):
    text = ('function half(n) {\n if n % 2 != 0 { return Result.Err("odd") }\n return Result.Ok(n / 2)\n}\n'
            'function q(n) {\n try { local h = half(n)?\n return half(h) } finally { print("fin " + n) }\n}\n'
            'print(q(8))\nprint(q(5))\n')
    assert run(program, capsys, text)[1] == "fin 8\nOk(2)\nfin 5\nErr(odd)\n"


def test_question_mark_on_non_result_is_an_error(program, capsys):
    status, _, err = run(program, capsys, "function f() { return 5? }\nf()\n")
    assert status == 1 and "error: '?' expects a ResultBox, got IntegerBox" in err


def test_include_runs_statements_in_place_once(program, capsys, tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "util.ny").write_text('print("util loaded")\nfunction twice(x) { return x * 2 }\n')
    text = 'print("start")\ninclude "lib/util.ny"\ninclude "lib/util.ny"\nprint(twice(21))\n'
    assert run(program, capsys, text)[1] == "start\nutil loaded\n42\n"


def test_finally_return_replaces_a_pending_exception(program, capsys):
    text = 'function f() {\n try { throw "x" } finally { return "finally wins" }\n}\nprint(f())\n'
    assert run(program, capsys, text)[1] == "finally wins\n"


def test_uncaught_throw_reports_the_last_throw_position(program, capsys):
    text = 'try {\n  throw "first"\n} catch (e) {\n  throw e\n}\n'
    status, _, err = run(program, capsys, text)
    assert status == 1
    assert "main.ny:4:3: error: Uncaught exception: first\n" in err


def test_locals_of_the_caller_are_invisible_to_the_callee(program, capsys):
    text = "function f() { return x }\nlocal x = 1\nf()\n"
    status, _, err = run(program, capsys, text)
    assert status == 1 and "main.ny:1:23: error: Undefined variable 'x'" in err


def test_local_read_before_its_declaration_is_undefined_not_global(program, capsys):
    text = "x = 5\nfunction f() { print(x)\n local x = 1 }\nf()\n"
    status, _, err = run(program, capsys, text)
    assert status == 1 and "Undefined variable 'x'" in err


def test_bare_call_prefers_global_function_over_own_method(program, capsys):
    text = ('function greet() { return "global" }\nbox A {\n greet() { return "method" }\n'
            ' run() { return greet() + " " + hello() }\n hello() { return "own" }\n}\nprint(new A().run())\n')
    assert run(program, capsys, text)[1] == "global own\n"


def test_main_with_too_many_parameters_is_an_error_at_its_declaration(program, capsys):
    status, _, err = run(program, capsys, "static box Main {\n  main(a, b) { print(1) }\n}\n")
    assert status == 1 and "main.ny:2:3: error: Method main expects 2 arguments, got 0" in err


@pytest.mark.parametrize("value, status", [("7", 7), ("-1", 255), ("256", 0), ('"s"', 0), ("3.0", 0)])
def test_exit_status_follows_main_result(program, capsys, value, status):
    assert run(program, capsys, f"static box Main {{\n main() {{ return {value} }}\n}}\n")[0] == status


def test_main_ending_in_an_expression_statement_returns_its_value(program, capsys):
    assert run(program, capsys, "static box Main {\n main() { 5 }\n}\n")[0] == 5
