"""StringBox methods (language.md §7.2): UTF-8 byte lengths and offsets, code-point indexing, and each
method's clamping rules. Expected values come from the conformance suite's str_* programs."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nyash_run.runtime.display import display
from nyash_run.runtime.methods import call_method

S = "naïve café"


def call(recv, name, *args):
    return call_method(recv, name, list(args))


def test_length_counts_utf8_bytes():
    assert [call("hello", m) for m in ("length", "size", "len")] == [5, 5, 5]
    assert call(S, "length") == 12
    assert call("日本語", "length") == 9
    assert call("a☕b", "length") == 5
    assert call("", "length") == 0
    assert call("héllo", "length") == 6


@given(st.text())
def test_length_is_utf8_length_for_any_text(s):
    assert call(s, "length") == len(s.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("args, expected", [
    ((0, 5), "hello"), ((6, 11), "world"), ((6,), "world"), ((3, 3), ""), ((4, 2), ""), ((6, 100), "world"),
    ((20,), ""), ((-1, 3), ""), ((2, -1), "llo world"), ((-3,), ""), ((1, 99), "ello world"), ((11,), ""),
])
def test_substring_clamps(args, expected):
    assert call("hello world", "substring", *args) == expected


def test_substring_and_get_index_code_points():
    assert call(S, "substring", 0, 5) == "naïve"
    assert call(S, "substring", 2, 5) == "ïve"
    assert call("日本語", "substring", 1, -5) == "本語"
    assert call("日本語", "substring", -1, 1) == ""
    assert call(S, "get", 2) == "ï"
    assert call("a☕b", "get", 1) == "☕"
    assert call(S, "get", 9) == "é"


def test_get_out_of_range_is_void():
    assert call(S, "get", 10) is None
    assert call("hello", "get", -1) is None
    assert call("hello", "get", 5) is None


def test_find_and_index_of_return_byte_offsets():
    assert call("abcabc", "find", "bc") == 1
    assert call("abcabc", "find", "zz") == -1
    assert call("abcabc", "indexOf", "bc", 2) == 4
    assert call("abcabc", "indexOf", "bc", 5) == -1
    assert call(S, "find", "café") == 7
    assert call(S, "indexOf", "v") == 4
    assert call("日本語の本", "find", "本") == 3
    assert call("日本語の本", "indexOf", "の") == 9


def test_index_of_start_rules():
    assert call("hello", "indexOf", "l", -4) == 2
    assert call("hello", "indexOf", "l", 3) == 3
    assert call("hello", "indexOf", "l", 4) == -1
    assert call("hello", "indexOf", "", 5) == 5
    assert call("hello", "indexOf", "o", 6) == -1
    assert call("hello", "indexOf", "", 6) == -1
    assert call("日本語", "indexOf", "語", -1) == 6
    assert call("日本語", "indexOf", "語", 6) == 6
    assert call("日本語", "indexOf", "本", 6) == -1
    assert call("日本語", "indexOf", "", 9) == 9


def test_last_index_of_and_empty_needles():
    assert call("abcabc", "lastIndexOf", "bc") == 4
    assert call("abcabc", "lastIndexOf", "q") == -1
    assert call("hello", "find", "") == 0
    assert call("hello", "lastIndexOf", "") == 5
    assert call("日本語の本", "lastIndexOf", "本") == 12
    assert call("日本", "lastIndexOf", "") == 6


@given(st.text(), st.text(max_size=3), st.integers(min_value=-5, max_value=40))
def test_index_of_matches_the_spec_python_reference(s, sub, start):
    expected = s.encode().find(sub.encode(), max(start, 0))
    assert call(s, "indexOf", sub, start) == expected


def test_search_arguments_use_display_strings():
    assert call("a1b", "indexOf", 1) == 1
    assert call("xtrue", "contains", True) is True


def test_contains_starts_ends():
    assert call("abcabc", "contains", "cab") is True and call("abcabc", "contains", "cba") is False
    assert call("abcabc", "startsWith", "abc") is True and call("abcabc", "startsWith", "bc") is False
    assert call("abcabc", "endsWith", "bc") is True and call("abcabc", "endsWith", "ab") is False
    assert call(S, "startsWith", "naï") and call(S, "endsWith", "fé") and call(S, "contains", "ï")


@pytest.mark.parametrize("text, sep, parts", [
    ("alpha,beta,,delta", ",", ["alpha", "beta", "", "delta"]), ("single", ",", ["single"]),
    (",a,", ",", ["", "a", ""]), ("a::b::c", "::", ["a", "b", "c"]), ("x→y→z", "→", ["x", "y", "z"]),
    ("", ",", [""]), ("abc", "abc", ["", ""]), ("aaa", "aa", ["", "a"]), ("a1b1c", 1, ["a", "b", "c"]),
    ("ab", "", ["", "a", "b", ""]), ("", "", ["", ""]), ("é☕", "", ["", "é", "☕", ""]),
])
def test_split(text, sep, parts):
    result = call(text, "split", sep)
    assert result.items == parts
    assert display(call("x", "split", "")) == "[, x, ]"


def test_replace_all_occurrences():
    assert call("a-b-c-d", "replace", "-", "+") == "a+b+c+d"
    assert call("banana", "replace", "an", "AN") == "bANANa"
    assert call("aaa", "replace", "a", "bb") == "bbbbbb"
    assert call("no match", "replace", "x", "y") == "no match"
    assert call("abc", "replace", "", "-") == "-a-b-c-"


def test_trim_uses_the_nyash_white_space_set():
    assert call("  Hello, World!  ", "trim") == "Hello, World!"
    assert call("\t padded \n", "trim") == "padded"
    assert call("\u3000\u00a0x\u2028\r\x0b", "trim") == "x"
    assert call("\x1cx\x1c", "trim") == "\x1cx\x1c"  # str.strip() would remove U+001C; Nyash does not
    assert call("\u200bx", "trim") == "\u200bx"  # U+200B is not White_Space


def test_case_mapping_is_full_unicode():
    assert call("naïve", "toUpper") == "NAÏVE"
    assert call("ÉCOLE", "toLower") == "école"
    assert call("straße", "toUpper") == "STRASSE"


@pytest.mark.parametrize("text, expected", [
    ("42", 42), ("  17  ", 17), ("-8", -8), ("+5", 5), ("12abc", 0), ("abc", 0), ("", 0), ("3.7", 0),
    ("9223372036854775807", 9223372036854775807), ("9223372036854775808", 0), ("007", 7), ("\n9\u3000", 9),
    ("- 1", 0), ("١٢", 0),
])
def test_to_integer(text, expected):
    assert call(text, "toInteger") == expected


def test_concat_and_to_string_and_equals():
    assert call("ab", "concat", "cd") == "abcd"
    assert call("n=", "concat", 42) == "n=42"
    assert call(call("x", "concat", 1.5), "concat", True) == "x1.5true"
    assert call("abc", "toString") == "abc"
    assert call("abc", "equals", "abc") is True and call("1", "equals", 1) is False


@pytest.mark.parametrize("name, args, message", [
    ("substring", [], "substring() expects 1 or 2 arguments, got 0"),
    ("substring", [1, 2, 3], "substring() expects 1 or 2 arguments, got 3"),
    ("substring", ["1"], "substring() requires integer arguments"),
    ("substring", [0, 1.0], "substring() requires integer arguments"),
    ("get", ["1"], "get() requires integer arguments"),
    ("get", [True], "get() requires integer arguments"),
    ("indexOf", ["a", "1"], "indexOf() requires integer arguments"),
    ("indexOf", [], "indexOf() expects 1 or 2 arguments, got 0"),
    ("length", [1], "length() expects 0 arguments, got 1"),
    ("replace", ["a"], "replace() expects 2 arguments, got 1"),
    ("split", [], "split() expects 1 argument, got 0"),
    ("toString", [1], "toString() expects 0 arguments, got 1"),
    ("equals", [], "equals() expects 1 argument, got 0"),
    ("push", [1], "Unknown method 'push' for StringBox"),
])
def test_string_method_errors(error_of, name, args, message):
    assert error_of(call_method, "abc", name, args) == message
