"""The VM backend: identical behaviour to the interpreter, lowering completeness, lazy imports."""
from __future__ import annotations

import subprocess
import sys

import pytest

from nyash_run.driver import RunOptions, run_file
from nyash_run.mir.ops import OPS
from nyash_run.modes import ExecutionMode, available_modes
from nyash_run.runtime.output import Capture
from nyash_run.backends.vm.codegen import OpLowering


def run(path, capsys, mode: ExecutionMode, argv=()):
    with Capture() as out:
        status = run_file(str(path), RunOptions(mode=mode, argv=list(argv)))
    return status, out.text(), capsys.readouterr().err


PARITY_PROGRAMS = {
    "error_inside_function": "function f(a) {\n  return a / 0\n}\nprint(\"x\")\nf(1)\n",
    "error_in_method_in_loop": ("box B {\n m(i) { if i == 3 { return me.nope } return i }\n}\n"
                                "local b = new B()\nlocal i = 0\nloop(i < 5) { print(b.m(i))\n i = i + 1 }\n"),
    "depth_limit_exact": "function d(n) { if n == 0 { return 0 } return d(n - 1) + 1 }\nprint(d(9999))\nd(10000)\n",
    "depth_in_method": "box R {\n go(n) { return me.go(n + 1) }\n}\nnew R().go(0)\n",
    "depth_in_constructor": "box C {\n birth(n) { new C(n + 1) }\n}\nnew C(0)\n",
    "undefined_local_before_local": "function f() {\n print(x)\n local x = 1\n}\nf()\n",
    "unbound_on_one_path": "local i = 0\nloop(i < 3) {\n if i == 2 { print(y) }\n local y = i\n i = i + 1\n}\n",
    "int_wrap_and_division": ("local a = 9223372036854775807\nprint(a + 1)\nprint(-a - 2)\nprint(a * 3)\n"
                              "print(-7 / 2)\nprint(-7 % 2)\nprint(0 - 9223372036854775807 - 1 / -1)\n"),
    "float_mixing": "local x = 1\nlocal y = 2.5\nprint(x + y)\nprint(y * x)\nprint(x < y)\nprint(1 == 1.0)\n",
    "string_concat_typed": 'local s = "a"\nlocal i = 0\nloop(i < 3) { s = s + i\n i = i + 1 }\nprint(s)\n',
    "try_in_loop_with_continue": ("local i = 0\nloop(i < 5) {\n i = i + 1\n try {\n if i == 2 { continue }\n"
                                  " if i == 4 { throw \"four\" }\n print(i)\n } catch (e) { print(e) }"
                                  " finally { print(\"f\" + i) }\n}\n"),
    "finally_return_and_break": ("function f() {\n loop {\n try { break } finally { print(\"fin\") }\n }\n"
                                 " try { return 1 } finally { print(\"fin2\") }\n}\nprint(f())\n"),
    "nested_finally_exception_replaced": ("function g() {\n try {\n try { throw \"a\" } finally { throw \"b\" }\n"
                                          " } catch (e) { return e }\n}\nprint(g())\n"),
    "uncaught_runtime_error_through_finally": "try { print(1 / 0) } finally { print(\"cleanup\") }\n",
    "rethrow_keeps_message": "try { 1 / 0 } catch (e) {\n throw e\n}\n",
    "static_init_order": ("static box S {\n init { v }\n static { print(\"init S\")\n me.v = 1 }\n}\n"
                          "print(\"before\")\nprint(S.v)\nprint(S.v)\n"),
    "peek_and_question_mark": ('function c(n) { return peek n { 1 => "one", 2 => { local t = "two"; t } '
                               'else => "many" } }\nprint(c(1) + c(2) + c(3))\n'
                               'function h(r) { local v = r?\n return v + 1 }\n'
                               'print(h(Result.Ok(1)))\nprint(h(Result.Err("e")))\n'),
    "bare_call_to_own_method": "box A {\n run() { return helper(2) }\n helper(x) { return x * 21 }\n}\nprint(new A().run())\n",
    "main_args_and_exit": "static box Main {\n main(args) { print(args)\n return args.length() + 40 }\n}\n",
    "from_parent_method": ("box P {\n hi() { return \"P\" }\n}\nbox C from P {\n hi() { return from P.hi() + \"C\" }\n}\n"
                           "print(new C().hi())\n"),
    "arity_errors": "function f(a) { return a }\ntry { f(1, 2) } catch (e) { print(e) }\nf()\n",
    # typed functions failing deep inside typed callers (LLVM's quiet convention), caught, then used again
    "typed_failure_caught_then_reused": ("function q(n) { if n == 0 { return 1 / n } return q(n - 1) + 1 }\n"
                                         "function r(n) { local i = 0\n local s = 0\n loop(i < n) { s = s + q(3 - i)\n"
                                         " i = i + 1 }\n return s }\n"
                                         "try { print(r(5)) } catch (e) { print(e) }\nprint(q(4))\nprint(r(3))\n"),
    "depth_limit_in_typed_recursion_caught": ("function d(n) { return d(n + 1) + 1 }\n"
                                              "try { d(0) } catch (e) { print(e) }\nprint(\"after\")\n"),
    # the same field name at different places in different boxes, fields created by assignment
    "fields_of_many_boxes": ("box A {\n init { x, y }\n}\nbox B {\n init { y, x, z }\n}\n"
                             "function sum(o) { return o.x + o.y }\nlocal a = new A()\na.x = 1\na.y = 2\n"
                             "local b = new B()\nb.x = 10\nb.y = 20\nprint(sum(a) + sum(b))\n"
                             "a.extra = \"e\"\nprint(a.extra)\nprint(sum(3))\n"),
    "string_methods_direct_and_dispatched": ('local s = "héllo, wörld"\nlocal a = new ArrayBox()\na.push("o")\na.push(5)\n'
                                             'print(s.substring(2))\nprint(s.substring(-3, 4))\nprint(s.substring(8, 99))\n'
                                             'print(s.indexOf("o"))\nprint(s.indexOf(a.get(0), 6))\n'
                                             'print(s.indexOf(a.get(1)))\nprint(s.indexOf("o", 999))\n'
                                             'print(s.length())\nprint(s.indexOf(a.get(0), -4))\n'),
    "map_methods_direct_and_dispatched": ('local m = new MapBox()\nprint(m.set("a", 1))\nprint(m.set(2, "two"))\n'
                                          'print(m.get("a"))\nprint(m.get("2"))\nprint(m.get("zz"))\nprint(m.has(2))\n'
                                          'print(m.has("b"))\nlocal k = "a"\nm.set(k, m.get(k) + 41)\nprint(m.get(k))\n'),
    "dynamic_int_ops_meet_other_kinds": ("function f(a, b) { return a + b * 2 - a / b % 3 }\n"
                                         "print(f(7, 2))\nprint(f(7.5, 2))\nprint(f(9223372036854775807, 1))\n"
                                         "print(f(\"s\", 1))\n"),
    # indexes read from an ArrayBox are dynamic: Ints take the direct path, anything else the dispatch
    "array_get_set_with_dynamic_indexes": ('local idx = new ArrayBox()\nidx.push(1)\nidx.push(1.5)\nidx.push("2")\n'
                                           'idx.push(-1)\nidx.push(7)\nlocal a = new ArrayBox()\na.push("x")\na.push("y")\n'
                                           'a.push(3)\nlocal i = 0\nloop(i < 5) {\n local k = idx.get(i)\n'
                                           ' print(a.get(k))\n print(a.set(k, i))\n a.set(k, "z" + i)\n i = i + 1\n}\n'
                                           'print(a)\nprint(a.get(idx.get(9)))\n'),
}


COMPILED = [m for m in (ExecutionMode.VM, ExecutionMode.LLVM) if m in available_modes()]


@pytest.mark.parametrize("mode", COMPILED, ids=lambda m: m.value)
@pytest.mark.parametrize("name", sorted(PARITY_PROGRAMS))
def test_compiled_backend_matches_interpreter(name, mode, program, capsys):
    path = program(PARITY_PROGRAMS[name])
    expected = run(path, capsys, ExecutionMode.INTERP, ["a", "b"])
    actual = run(path, capsys, mode, ["a", "b"])
    assert actual == expected


def test_every_mir_op_has_a_vm_lowering():
    missing = [name for name in OPS if not hasattr(OpLowering, "op_" + name)]
    assert missing == []


def test_vm_rejects_lambdas_at_load_time(program, capsys):
    path = program("print(1)\nlocal f = fn(x) { x }\n")
    status, out, err = run(path, capsys, ExecutionMode.VM)
    assert (status, out) == (1, "")
    assert "main.ny:2:11: error: Unsupported feature on this backend: lambda" in err


def test_vm_mode_does_not_import_llvmlite_or_wasmtime(program, tmp_path):
    path = program('print("hi")\n')
    code = ("import sys\nfrom nyash_run.cli import main\nsys.argv = ['nyash', 'run', '--mode', 'vm', %r]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'llvmlite' not in sys.modules and 'wasmtime' not in sys.modules\nprint('clean')\n" % str(path))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout == "hi\nclean\n", proc.stderr
