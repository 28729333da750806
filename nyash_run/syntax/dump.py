"""A readable, indented rendering of the AST for `nyash dump ast`.

In: an ast.Program (or any node). Out: text, one node per line as `Kind @LINE:COL`, scalar fields inline,
child nodes indented below their field name.
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass

from nyash_run.diagnostics import Span


def dump(node, indent: int = 0) -> str:
    lines: list[str] = []
    _dump(node, indent, lines)
    return "\n".join(lines)


def _is_node(value) -> bool:
    return is_dataclass(value) and not isinstance(value, Span)


def _dump(node, indent: int, lines: list[str]) -> None:
    pad = "  " * indent
    scalars, children = [], []
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, Span) or f.name == "file":
            continue
        if _is_node(value) or (isinstance(value, tuple) and any(_is_node(v) for v in value)):
            children.append((f.name, value))
        elif value is not None and value != ():
            scalars.append(f"{f.name}={value!r}")
    span = getattr(node, "span", None)
    where = f" @{span.line}:{span.col}" if isinstance(span, Span) else ""
    lines.append(f"{pad}{type(node).__name__}{where}" + (" " + " ".join(scalars) if scalars else ""))
    for name, value in children:
        lines.append(f"{pad}  {name}:")
        for child in (value if isinstance(value, tuple) else (value,)):
            if _is_node(child):
                _dump(child, indent + 2, lines)
            else:
                lines.append(f"{pad}    {child!r}")
