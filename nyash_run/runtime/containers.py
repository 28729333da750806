"""ArrayBox and MapBox methods (language.md §7.5, §7.6).

In: an ArrayBox / MapBox receiver and arguments checked by methodspec. Out: `ARRAY_METHODS`, `MAP_METHODS`,
and `sort_values`, the §7.5 sort order for a list of values.

Mutators return the String `ok` (or the MapBox result texts); out-of-range reads give `null`. These are
returned values, never errors.
"""
from __future__ import annotations

import functools
from typing import Any

from nyash_run.runtime.display import display
from nyash_run.runtime.methodspec import declare
from nyash_run.runtime.operators import eq
from nyash_run.runtime.values import NULL, ArrayBox, MapBox

OK = "ok"

# --- ArrayBox ---------------------------------------------------------------------------------------------


def _push(a: ArrayBox, v: Any) -> str:
    a.items.append(v)
    return OK


def _pop(a: ArrayBox) -> Any:
    return a.items.pop() if a.items else NULL


def _length(a: ArrayBox) -> int:
    return len(a.items)


def _is_empty(a: ArrayBox) -> bool:
    return not a.items


def _get(a: ArrayBox, i: int) -> Any:
    items = a.items
    return items[i] if 0 <= i < len(items) else NULL


def _set(a: ArrayBox, i: int, v: Any) -> str:
    items = a.items
    if 0 <= i < len(items):
        items[i] = v
        return OK
    return "Error: index out of bounds"


def _remove(a: ArrayBox, i: int) -> Any:
    items = a.items
    return items.pop(i) if 0 <= i < len(items) else NULL


def index_of(items: list, v: Any) -> int:
    """First index whose element `==` v (§6.6), or -1."""
    for i, item in enumerate(items):
        if eq(item, v):
            return i
    return -1


def _index_of(a: ArrayBox, v: Any) -> int:
    return index_of(a.items, v)


def _contains(a: ArrayBox, v: Any) -> bool:
    return index_of(a.items, v) >= 0


def _join(a: ArrayBox, sep: str) -> str:
    return sep.join([display(v) for v in a.items])


def _clear(a: ArrayBox) -> str:
    a.items.clear()
    return OK


def _reverse(a: ArrayBox) -> str:
    a.items.reverse()
    return OK


def _slice(a: ArrayBox, start: int, end: int | None = None) -> ArrayBox:
    n = len(a.items)
    if start < 0:
        start = 0
    if end is None or end < 0 or end > n:
        end = n
    return ArrayBox(a.items[start:end] if start < end else [])


def _compare(x: tuple, y: tuple) -> int:
    """§7.5 cmp over (value, display-or-None) pairs: numerically when both are numeric, else by display."""
    if x[1] is None and y[1] is None:
        a = x[0]
        b = y[0]
        if type(a) is not int or type(b) is not int:
            a = float(a)
            b = float(b)
        return -1 if a < b else (1 if b < a else 0)  # NaN compares 0 with everything, like the spec's cmp
    dx = x[1] if x[1] is not None else display(x[0])
    dy = y[1] if y[1] is not None else display(y[0])
    return -1 if dx < dy else (1 if dy < dx else 0)


def sort_values(items: list) -> None:
    """Sort in place, stably, exactly as `list.sort(key=cmp_to_key(cmp))` with the §7.5 cmp."""
    kinds = {type(v) for v in items}
    if kinds == {int} or kinds == {str}:
        items.sort()  # a total order that agrees with cmp, so the (stable) result is identical
        return
    # Displays are computed once per element; numeric elements keep None and are displayed only if compared
    # with a non-numeric one.
    decorated = [(v, None if type(v) is int or type(v) is float else display(v)) for v in items]
    decorated.sort(key=functools.cmp_to_key(_compare))
    items[:] = [pair[0] for pair in decorated]


def _sort(a: ArrayBox) -> str:
    sort_values(a.items)
    return OK


ARRAY_METHODS = declare({
    "push": ("v", _push),
    "pop": ("", _pop),
    "length": ("", _length),
    "size": ("", _length),
    "len": ("", _length),
    "isEmpty": ("", _is_empty),
    "get": ("i", _get),
    "set": ("iv", _set),
    "remove": ("i", _remove),
    "indexOf": ("v", _index_of),
    "contains": ("v", _contains),
    "join": ("s", _join),
    "clear": ("", _clear),
    "reverse": ("", _reverse),
    "sort": ("", _sort),
    "slice": ("i[i]", _slice),
})

# --- MapBox -----------------------------------------------------------------------------------------------
# Keys arrive as display strings (signature letter `s`), so `set(1, v)` and `get("1")` meet.


def _map_set(m: MapBox, key: str, v: Any) -> str:
    m.data[key] = v  # a dict keeps an updated key in place and appends a new (or re-added) one
    return f"Set key: {key}"


def _map_get(m: MapBox, key: str) -> Any:
    data = m.data
    if key in data:
        return data[key]
    return f"Key not found: {key}"


def _map_has(m: MapBox, key: str) -> bool:
    return key in m.data


def _map_delete(m: MapBox, key: str) -> str:
    data = m.data
    if key in data:
        del data[key]
        return f"Deleted key: {key}"
    return f"Key not found: {key}"


def _map_keys(m: MapBox) -> ArrayBox:
    return ArrayBox(list(m.data))


def _map_values(m: MapBox) -> ArrayBox:
    return ArrayBox(list(m.data.values()))


def _map_size(m: MapBox) -> int:
    return len(m.data)


def _map_is_empty(m: MapBox) -> bool:
    return not m.data


def _map_contains_value(m: MapBox, v: Any) -> bool:
    return index_of(list(m.data.values()), v) >= 0


def _map_clear(m: MapBox) -> str:
    m.data.clear()
    return "Map cleared"


MAP_METHODS = declare({
    "set": ("sv", _map_set),
    "get": ("s", _map_get),
    "has": ("s", _map_has),
    "containsKey": ("s", _map_has),
    "delete": ("s", _map_delete),
    "keys": ("", _map_keys),
    "values": ("", _map_values),
    "size": ("", _map_size),
    "length": ("", _map_size),
    "len": ("", _map_size),
    "isEmpty": ("", _map_is_empty),
    "containsValue": ("v", _map_contains_value),
    "clear": ("", _map_clear),
})
