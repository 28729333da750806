"""StringBox methods (language.md §7.2).

In: a Python str receiver and arguments already checked and converted by methodspec (`s` arguments arrive as
display strings, `i` arguments as ints). Out: `STRING_METHODS`, the method table.

Lengths and search results are UTF-8 *byte* counts while `substring` and `get` index code points. For an
ASCII receiver the two coincide, and `str.isascii()` is O(1) in CPython, so ASCII text never gets encoded.
"""
from __future__ import annotations

from nyash_run.runtime.methodspec import declare
from nyash_run.runtime.numeric import parse_i64
from nyash_run.runtime.values import ArrayBox

# The White_Space set of §1.2 plus `\n` (Python's str.strip() uses a different set, e.g. it strips U+001C).
TRIM_CHARS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def _utf8(s: str) -> bytes:
    # surrogatepass: a str reaching here cannot hold surrogates (sources are valid UTF-8), but never raise
    return s.encode("utf-8", "surrogatepass")


def utf8_length(s: str) -> int:
    """Number of UTF-8 bytes of `s`."""
    return len(s) if s.isascii() else len(_utf8(s))


def _length(s: str) -> int:
    return utf8_length(s)


def _substring(s: str, start: int, end: int | None = None) -> str:
    n = len(s)
    if end is None or end < 0 or end > n:
        end = n
    if start < 0 or start > end:
        start = end
    return s[start:end]


def _get(s: str, i: int):
    if 0 <= i < len(s):
        return s[i]
    return None  # void


def _find_from(s: str, needle: str, start: int) -> int:
    """Byte offset of the first `needle` at or after byte `start` (>= 0), or -1 (also when start > length)."""
    if s.isascii():
        return s.find(needle, start)  # a non-ASCII needle is absent from ASCII text either way
    return _utf8(s).find(_utf8(needle), start)


def _find(s: str, needle: str) -> int:
    return _find_from(s, needle, 0)


def _index_of(s: str, needle: str, start: int = 0) -> int:
    return _find_from(s, needle, max(start, 0))


def _last_index_of(s: str, needle: str) -> int:
    if s.isascii():
        return s.rfind(needle)
    return _utf8(s).rfind(_utf8(needle))


def _contains(s: str, needle: str) -> bool:
    return needle in s


def _starts_with(s: str, prefix: str) -> bool:
    return s.startswith(prefix)


def _ends_with(s: str, suffix: str) -> bool:
    return s.endswith(suffix)


def _split(s: str, sep: str) -> ArrayBox:
    if sep:
        return ArrayBox(s.split(sep))
    parts = [""]
    parts.extend(s)  # one String per code point
    parts.append("")
    return ArrayBox(parts)


def _replace(s: str, old: str, new: str) -> str:
    return s.replace(old, new)


def _trim(s: str) -> str:
    return s.strip(TRIM_CHARS)


def _to_upper(s: str) -> str:
    return s.upper()


def _to_lower(s: str) -> str:
    return s.lower()


def _to_integer(s: str) -> int:
    n = parse_i64(s.strip(TRIM_CHARS))
    return 0 if n is None else n


def _concat(s: str, other: str) -> str:
    return s + other


STRING_METHODS = declare({
    "length": ("", _length),
    "size": ("", _length),
    "len": ("", _length),
    "substring": ("i[i]", _substring),
    "get": ("i", _get),
    "find": ("s", _find),
    "indexOf": ("s[i]", _index_of),
    "lastIndexOf": ("s", _last_index_of),
    "contains": ("s", _contains),
    "startsWith": ("s", _starts_with),
    "endsWith": ("s", _ends_with),
    "split": ("s", _split),
    "replace": ("ss", _replace),
    "trim": ("", _trim),
    "toUpper": ("", _to_upper),
    "toLower": ("", _to_lower),
    "toInteger": ("", _to_integer),
    "concat": ("s", _concat),
})
