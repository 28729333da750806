"""Compiled code owns references exactly: after a run that builds and drops thousands of instances, Strings,
arrays, maps and exceptions, only a constant number of nyrt objects is left (interned literals)."""
from __future__ import annotations

import pytest

pytest.importorskip("llvmlite")

from nyash_run.driver import build_mir  # noqa: E402
from nyash_run.runtime.output import Capture  # noqa: E402
from nyash_run.syntax.loader import load_program  # noqa: E402

PROGRAM = """box P {
    init { x, next }
    birth(x) { me.x = x }
    get() { return me.x }
}
function make(n) {
    local head = null
    local i = 0
    loop(i < n) {
        local p = new P(i)
        p.next = head
        head = p
        i = i + 1
    }
    return head
}
local total = 0
local round = 0
loop(round < ROUNDS) {
    local h = make(300)
    local s = ""
    local k = 0
    loop(k < 30) { s = s + h.get() + ","
        k = k + 1 }
    local a = new ArrayBox()
    a.push(h)
    a.push(s)
    local m = new MapBox()
    m.set("k", a)
    try { if round % 2 == 1 { throw "odd " + round } } catch (e) { total = total + e.getMessage().length() }
    total = total + h.get() + s.length()
    round = round + 1
}
print(total)
"""


# Inside functions every value is an SSA value that dies at its last use: on one branch only, on entry to a
# handler (a failure in the middle of an expression), as a loop-carried block parameter.
FUNCTIONS = """box Q {
    init { label }
    birth(l) { me.label = l }
}
function branchy(i) {
    local s = "n" + i
    local q = new Q(s)
    if i % 3 == 0 { return q.label.length() }
    if i % 3 == 1 { local t = s + s
        return t.length() }
    return 0
}
function failing(i) {
    local parts = new ArrayBox()
    parts.push("p" + i)
    try {
        local d = new Q("in try " + i)
        local x = parts.get(0) + d.label + (10 / (i % 2))
        return x.length()
    } catch (e) {
        return e.getMessage().length()
    }
}
function carried(n) {
    local s = ""
    local acc = new ArrayBox()
    local i = 0
    loop(i < n) {
        s = s + "x"
        acc.push(new Q(s))
        local k = acc.get(i % 2)
        if k != null { s = s + k.label.length() }
        i = i + 1
    }
    return s.length()
}
local total = 0
local round = 0
loop(round < ROUNDS) {
    total = total + branchy(round) + failing(round) + carried(20)
    round = round + 1
}
print(total)
"""


def live_after(program, rounds: int, text: str = PROGRAM) -> int:
    from nyash_run.backends.llvm.program import LLVMProgram
    compiled = LLVMProgram(build_mir(load_program(str(program(text.replace("ROUNDS", str(rounds)),
                                                              f"leak{rounds}.ny")))))
    before = compiled.lib.nyrt_mem_live_objects()
    with Capture():
        compiled.run([])
    return compiled.lib.nyrt_mem_live_objects() - before


def test_objects_built_in_loops_are_all_freed(program):
    few, many = live_after(program, 2), live_after(program, 12)
    assert few == many and many < 20


def test_values_dying_on_branches_in_handlers_and_loops_are_all_freed(program):
    few, many = live_after(program, 3, FUNCTIONS), live_after(program, 30, FUNCTIONS)
    assert few == many and many < 20
