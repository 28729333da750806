"""Integer wraparound, Int/Float conversion and C99 `<math.h>` results (language.md §6.3, §6.4, §7.4).

In: Python ints (already in the i64 range unless stated) and floats. Out: ints in the i64 range and floats.
Nothing here raises: where Python's `math` would raise (domain or range errors) the C99 result is returned
instead (`inf`, `-inf` or NaN). The few *Nyash* errors of §7.4 (sqrt/log of bad receivers) are raised by the
FloatBox methods, not here.
"""
from __future__ import annotations

import math
import re

from nyash_run.runtime.values import I64_MAX, I64_MIN

INF = math.inf
NAN = math.nan
_M = 1 << 63
_TWO_M = 1 << 64
_FLOAT_2_63 = 9223372036854775808.0  # 2**63 exactly; the first double above the Int range


def wrap(n: int) -> int:
    """Two's-complement wraparound of any Python int to 64 bits (the spec's reference formula)."""
    if I64_MIN <= n <= I64_MAX:
        return n
    return (n + _M) % _TWO_M - _M


def int_div(a: int, b: int) -> int:
    """Int division truncating toward zero; `b` must not be 0. MIN / -1 wraps to MIN."""
    if a >= 0 and b > 0:
        return a // b
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        return -q
    return q if q <= I64_MAX else I64_MIN  # only MIN / -1 gets here out of range


def int_mod(a: int, b: int) -> int:
    """Int remainder with the sign of `a` (a - b*trunc(a/b)); `b` must not be 0. MIN % -1 == 0."""
    if a >= 0 and b > 0:
        return a % b
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def int_to_float(n: int) -> float:
    """Nearest double, ties to even (Python's int -> float conversion does exactly that)."""
    return float(n)


def clamp_int(n: int) -> int:
    """Saturate an exact integer to the Int range (used after float -> integer rounding)."""
    if n > I64_MAX:
        return I64_MAX
    if n < I64_MIN:
        return I64_MIN
    return n


def float_to_int(x: float) -> int:
    """Float -> Int truncating toward zero: NaN gives 0, values beyond the range give the nearest limit."""
    if x != x:
        return 0
    if x >= _FLOAT_2_63:
        return I64_MAX
    if x < -_FLOAT_2_63:
        return I64_MIN
    return int(x)


def float_floor(x: float) -> int:
    """`floor` as an Int (§6.4 clamping). math.floor raises on inf/NaN, so those go through float_to_int."""
    if not math.isfinite(x):
        return float_to_int(x)
    return clamp_int(math.floor(x))


def float_ceil(x: float) -> int:
    if not math.isfinite(x):
        return float_to_int(x)
    return clamp_int(math.ceil(x))


def float_round(x: float) -> int:
    """C `round`: nearest integer, ties away from zero (2.5 -> 3, -2.5 -> -3), then §6.4 clamping.

    `floor(x + 0.5)` would be wrong for 0.49999999999999994 (the addition rounds up to 1.0), so the exact
    fractional part x - trunc(x) decides instead.
    """
    if not math.isfinite(x):
        return float_to_int(x)
    whole = math.trunc(x)
    frac = x - whole  # exact: both operands are doubles with the same exponent range
    if frac >= 0.5:
        whole += 1
    elif frac <= -0.5:
        whole -= 1
    return clamp_int(whole)


def _is_odd_integer(y: float) -> bool:
    return math.isfinite(y) and y == math.floor(y) and math.fmod(y, 2.0) != 0.0


def c_pow(x: float, y: float) -> float:
    """C99 `pow`. math.pow follows Annex F except that it raises where C returns ±inf or NaN."""
    try:
        return math.pow(x, y)
    except OverflowError:
        # |result| too large: the sign is negative only for a negative base and an odd integer exponent
        return -INF if x < 0 and _is_odd_integer(y) else INF
    except ValueError:
        if x == 0.0:  # pow(±0, negative): a pole; ±inf for odd integer exponents, +inf otherwise
            return math.copysign(INF, x) if _is_odd_integer(y) else INF
        return NAN  # negative base with a non-integer exponent


def c_fmod(x: float, y: float) -> float:
    """C `fmod` (sign of x). math.fmod raises for an infinite x or a zero y, where C gives NaN."""
    try:
        return math.fmod(x, y)
    except ValueError:
        return NAN


def c_fmax(x: float, y: float) -> float:
    """C `fmax` as glibc implements it: a NaN operand yields the other; between ±0 the first wins."""
    if x >= y:
        return x
    if x < y:
        return y
    return x if y != y else y


def c_fmin(x: float, y: float) -> float:
    if x <= y:
        return x
    if x > y:
        return y
    return x if y != y else y


def _unary(fn):
    """Wrap a math function so domain errors give NaN and range errors give inf (as C99 does)."""
    def c_version(x: float) -> float:
        try:
            return fn(x)
        except ValueError:
            return NAN
        except OverflowError:
            return INF  # only exp overflows among the users of this wrapper, and only upwards
    c_version.__name__ = "c_" + fn.__name__
    return c_version


c_sin = _unary(math.sin)
c_cos = _unary(math.cos)
c_tan = _unary(math.tan)
c_exp = _unary(math.exp)
c_sqrt = _unary(math.sqrt)


def _log_family(fn):
    """log/log10 with C99 results: log(±0) is -inf (a pole), a negative argument gives NaN."""
    def c_version(x: float) -> float:
        if x == 0.0:
            return -INF
        try:
            return fn(x)
        except ValueError:
            return NAN
    c_version.__name__ = "c_" + fn.__name__
    return c_version


c_log = _log_family(math.log)
c_log10 = _log_family(math.log10)


_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_MAX_DIGITS = len(str(I64_MAX))


def parse_i64(text: str) -> int | None:
    """The Int that `text` spells as `[+-]?[0-9]+` within the Int range, else None (§7.1, §7.2 toInteger).

    Leading zeros are dropped before the length check because Python's int() refuses very long digit strings.
    """
    if _INT_TEXT.fullmatch(text) is None:
        return None
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        return None
    n = sign * int(digits)
    return n if I64_MIN <= n <= I64_MAX else None


_FLOAT_TEXT = re.compile(
    r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.IGNORECASE | re.ASCII)


def parse_float(text: str) -> float | None:
    """The Float that `text` spells (decimal or inf/infinity/nan in any case), else None (§7.1)."""
    if _FLOAT_TEXT.fullmatch(text) is None:
        return None
    return float(text)  # matched text is always accepted by float(); huge exponents give ±inf or ±0.0
