"""MIR as text, for `nyash dump mir` and snapshot tests.

In: an ir.Module or ir.Function. Out: text. Every instruction prints as `%dst = opname operands` using the
operand notation of mir/ops.py (immediates with repr, values as %N); a terminator's targets print as
`bbN(%a, %b)`; a block header shows its parameters, handler and loop exit; a value's inferred type, when
the type pass ran, follows as `%3:int`.
"""
from __future__ import annotations

from nyash_run.mir.ir import Block, Function, Instr, Module, Value


def format_module(module: Module) -> str:
    parts = []
    for name, info in module.classes.items():
        kind = "static box" if info.is_static else "box"
        parents = f" from {', '.join(info.parents)}" if info.parents else ""
        parts.append(f"{kind} {name}{parents} fields={info.fields} methods={info.methods} "
                     f"constructors={info.constructors}")
    if parts:
        parts.append("")
    for fn in module.functions.values():
        parts.append(format_function(fn))
    return "\n".join(parts)


def format_value(value: Value) -> str:
    if value is None:
        return "%?"
    text = f"%{value.id}"
    if value.type is not None:
        text += f":{value.type}"
    return text


def format_function(fn: Function) -> str:
    params = [format_value(p) for p in fn.params]
    if fn.self_value is not None:
        params.insert(0, "me=" + format_value(fn.self_value))
    lines = [f"{fn.kind} {fn.name}({', '.join(params)})" + (f" slots={fn.slots}" if fn.slots else "") + " {"]
    for block in fn.blocks:
        lines.append(_block_header(block))
        lines.extend("    " + format_instr(instr) for instr in block.instrs)
    lines.append("}")
    return "\n".join(lines)


def _block_header(block: Block) -> str:
    params = f"({', '.join(format_value(p) for p in block.params)})" if block.params else ""
    notes = []
    if block.handler is not None:
        notes.append(f"handler bb{block.handler.id}")
    if block.loop_exit is not None:
        notes.append(f"loop exit bb{block.loop_exit.id}")
    label = f"  ; {block.label}" if block.label else ""
    tail = f"  [{', '.join(notes)}]" if notes else ""
    return f"  bb{block.id}{params}:{tail}{label}"


def format_instr(instr: Instr) -> str:
    operands = []
    kinds = [kind for _, kind in instr.op.fields]
    for index, arg in enumerate(instr.args):
        kind = kinds[min(index, len(kinds) - 1)] if kinds else "value"
        operands.append(repr(arg) if kind == "imm" else format_value(arg))
    for target, args in instr.targets:
        operands.append(f"bb{target.id}" + (f"({', '.join(format_value(a) for a in args)})" if args else ""))
    text = instr.name.lower() + (" " + ", ".join(operands) if operands else "")
    if instr.merge is not None:
        text += f"  ; join bb{instr.merge.id}"
    if instr.dst is not None:
        text = f"{format_value(instr.dst)} = {text}"
    return text
