"""mir/liveness.py: where each value dies, on small programs (the LLVM backend releases values there)."""
from __future__ import annotations

from nyash_run.mir import liveness
from nyash_run.mir.build import build_module
from nyash_run.mir.passes import optimize_module
from nyash_run.mir.types import infer_types
from nyash_run.syntax.loader import load_program


def compile_mir(program, text: str):
    module = build_module(load_program(str(program(text))))
    optimize_module(module)
    infer_types(module)
    optimize_module(module)
    return module


def instrs(fn, name):
    return [i for b in fn.blocks for i in b.instrs if i.name == name]


def deaths_of(program, text: str, fn_name=None):
    module = compile_mir(program, text)
    fn = module.functions[fn_name or module.top]
    return fn, liveness.analyse(fn, lambda v: v.type not in ("int", "float", "bool"))


def died_after(fn, deaths):
    """{value id: the name of the instruction after which it dies}."""
    result = {}
    for block in fn.blocks:
        for instr, dying in zip(block.instrs, deaths.after[block.id]):
            for value_id in dying:
                result[value_id] = instr.name
    return result


def test_a_value_dies_after_its_last_use_not_at_its_definition(program):
    fn, deaths = deaths_of(program, 'local s = "a" + new ArrayBox().length()\nprint(s)\nprint(1)\n')
    (concat,) = [i for i in instrs(fn, "BINOP") if i.args[0] == "+"]
    assert died_after(fn, deaths)[concat.dst.id] == "PRINT"


def test_an_unused_result_dies_at_once(program):
    fn, deaths = deaths_of(program, "local a = new ArrayBox()\na.push(1)\nprint(a.length())\n")
    (push,) = [i for i in instrs(fn, "CALL_METHOD") if i.args[0] == "push"]
    assert died_after(fn, deaths)[push.dst.id] == "CALL_METHOD"


def test_no_value_defined_in_a_loop_body_is_live_around_the_back_edge(program):
    fn, deaths = deaths_of(program, 'local i = 0\nloop(i < 3) {\n local s = "x" + new ArrayBox().length()\n'
                                    ' print(s)\n i = i + 1\n}\n')
    (concat,) = [i for i in instrs(fn, "BINOP") if i.args[0] == "+" and i.dst.type != "int"]
    for block in fn.blocks:
        assert concat.dst.id not in deaths.live_in[block.id]
    assert died_after(fn, deaths)[concat.dst.id] == "PRINT"


def test_a_value_live_on_one_branch_dies_on_entry_to_the_other(program):
    fn, deaths = deaths_of(program, 'local s = "v" + new ArrayBox().length()\nlocal c = new ArrayBox().length()\n'
                                    'if c == 0 { print(s) } else { print("no") }\n')
    (concat,) = [i for i in instrs(fn, "BINOP") if i.args[0] == "+"]
    dropped_on_entry = [b for b in fn.blocks if concat.dst.id in deaths.on_entry[b.id]]
    assert len(dropped_on_entry) == 1
    assert concat.dst.id not in deaths.live_in[dropped_on_entry[0].id]
    assert died_after(fn, deaths)[concat.dst.id] == "PRINT"          # on the branch that prints it


def test_a_raising_block_drops_what_it_held_but_its_handler_does_not_use(program):
    fn, deaths = deaths_of(program, 'function f() {\n local s = "v" + new ArrayBox().length()\n'
                                    ' try { print(s)\n throw "e" } catch (e) { print(e) }\n}\nf()\n', "fn:f")
    (raising,) = [b for b in fn.blocks if b.handler is not None]
    held = [i.dst.id for i in raising.instrs if i.dst is not None and i.dst.type not in ("int", "float", "bool")]
    assert held and set(held) <= set(deaths.on_raise[raising.id])
    assert not set(deaths.on_raise[raising.id]) & deaths.live_in[raising.handler.id]
