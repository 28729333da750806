"""ArrayBox and MapBox methods (language.md §7.5, §7.6); expectations follow the arr_* and map_* programs."""
from __future__ import annotations

import functools
import math
import random

import pytest
from runtime_helpers import make_instance
from hypothesis import given
from hypothesis import strategies as st

from nyash_run.runtime.containers import sort_values
from nyash_run.runtime.display import display
from nyash_run.runtime.methods import call_method
from nyash_run.runtime.operators import lt
from nyash_run.runtime.values import NULL, ArrayBox, MapBox


def call(recv, name, *args):
    return call_method(recv, name, list(args))


def arr(*items):
    return ArrayBox(list(items))


# --- ArrayBox ---------------------------------------------------------------------------------------------

def test_push_pop_length_and_results():
    a = ArrayBox()
    assert call(a, "length") == 0 and call(a, "isEmpty") is True
    assert call(a, "push", 10) == "ok"
    call(a, "push", 20)
    call(a, "push", "thirty")
    assert display(a) == "[10, 20, thirty]"
    assert [call(a, m) for m in ("length", "size", "len")] == [3, 3, 3]
    assert call(a, "pop") == "thirty" and call(a, "pop") == 20 and call(a, "pop") == 10
    assert call(a, "pop") is NULL


def test_get_and_remove_out_of_range_give_null():
    a = arr("a", "b", "c")
    assert call(a, "get", 0) == "a" and call(a, "get", 3) is NULL and call(a, "get", -1) is NULL
    assert call(a, "remove", -1) is NULL and call(a, "remove", 3) is NULL
    assert call(a, "remove", 1) == "b" and a.items == ["a", "c"]


def test_set_out_of_bounds_refuses_with_a_returned_string():
    a = arr("a", "b", "c")
    assert call(a, "set", 3, "d") == "Error: index out of bounds"
    assert call(a, "set", -1, "z") == "Error: index out of bounds"
    assert a.items == ["a", "b", "c"]
    assert call(a, "set", 2, "C") == "ok" and a.items == ["a", "b", "C"]
    assert call(ArrayBox(), "set", 0, 1) == "Error: index out of bounds"


@pytest.mark.parametrize("args, expected", [
    ((1, 4), [10, 20, 30]), ((0, 6), [0, 10, 20, 30, 40, 50]), ((4, 100), [40, 50]), ((3, 3), []),
    ((5, 2), []), ((7, 9), []), ((6, 6), []), ((-2, 2), [0, 10]), ((1, -1), [10, 20, 30, 40, 50]),
    ((-5,), [0, 10, 20, 30, 40, 50]), ((5,), [50]),
])
def test_slice_clamps(args, expected):
    a = arr(0, 10, 20, 30, 40, 50)
    assert call(a, "slice", *args).items == expected


def test_slice_is_a_new_shallow_copy():
    inner = arr(1)
    outer = arr(inner, "x")
    copy = call(outer, "slice", 0)
    assert copy is not outer and copy.items is not outer.items
    copy.items.append("y")
    assert len(outer.items) == 2
    assert copy.items[0] is inner


def test_index_of_and_contains_use_equality():
    a = arr("x", "y", "z", "y")
    assert call(a, "indexOf", "y") == 1 and call(a, "indexOf", "w") == -1
    assert call(a, "contains", "z") is True and call(a, "contains", "Z") is False
    nums = arr(5, 15, True)
    assert call(nums, "indexOf", 15) == 1 and call(nums, "contains", "5") is False
    assert call(nums, "indexOf", True) == 2 and call(nums, "contains", 5.0) is True
    lists = arr(arr(0, 0), arr(1, "two"))
    assert call(lists, "indexOf", arr(1, "two")) == 1


def test_join_uses_displays():
    assert call(arr(1, 2), "join", "+") == "1+2"
    assert call(arr(arr(1, 2), "s", ArrayBox(), 2.5, True, NULL), "join", " | ") == "[1, 2] | s | [] | 2.5 | true | null"
    assert call(ArrayBox(), "join", ",") == ""
    assert call(arr("a", "b"), "join", 0) == "a0b"


def test_clear_and_reverse_return_ok():
    a = arr(1, 2, 3)
    assert call(a, "reverse") == "ok" and a.items == [3, 2, 1]
    assert call(a, "clear") == "ok" and a.items == [] and call(a, "isEmpty") is True


def test_sort_numbers_strings_and_mixed():
    n = arr(5, -2, 10, 3, -11, 3)
    assert call(n, "sort") == "ok" and n.items == [-11, -2, 3, 3, 5, 10]
    s = arr("pear", "Apple", "banana", "apple", "10", "9")
    call(s, "sort")
    assert s.items == ["10", "9", "Apple", "apple", "banana", "pear"]
    mixed = arr(2.5, 1, 10, -0.5, 3)
    call(mixed, "sort")
    assert display(mixed) == "[-0.5, 1, 2.5, 3, 10]"
    big = arr(*[(i * 7) % 12 for i in range(12)])
    call(big, "sort")
    assert big.items == list(range(12))


def test_sort_is_stable_for_equal_numbers():
    a = arr(1.0, 1, 0, 1.0)
    first = a.items[0]
    call(a, "sort")
    assert a.items[1] is first and type(a.items[2]) is int


def test_sort_compares_numbers_with_non_numbers_by_display():
    a = arr("b", "10", 9, "a", True, NULL)
    call(a, "sort")  # "10" < 9 since "10" < "9"; 9 < "a"; ...
    assert display(a) == "[10, 9, a, b, null, true]"


def _spec_cmp(a, b):
    return -1 if lt(a, b) else (1 if lt(b, a) else 0)


values = st.one_of(
    st.integers(min_value=-5, max_value=5), st.floats(min_value=-5, max_value=5), st.sampled_from([math.nan]),
    st.text(alphabet="ab1é", max_size=2), st.booleans(), st.just(NULL),
)


@given(st.lists(values, max_size=12))
def test_sort_equals_cmp_to_key_with_the_spec_cmp(items):
    expected = sorted(items, key=functools.cmp_to_key(_spec_cmp))
    actual = list(items)
    sort_values(actual)
    assert [id(x) for x in actual] == [id(x) for x in expected]  # the very same permutation


def test_sort_of_all_ints_and_all_strings_takes_the_fast_path_with_the_same_result():
    rng = random.Random(7)
    ints = [rng.randint(-50, 50) for _ in range(200)]
    expected = sorted(ints, key=functools.cmp_to_key(_spec_cmp))
    sort_values(ints)
    assert ints == expected


@pytest.mark.parametrize("name, args, message", [
    ("push", [], "push() expects 1 argument, got 0"),
    ("get", [1, 2], "get() expects 1 argument, got 2"),
    ("get", ["1"], "get() requires integer arguments"),
    ("get", [1.0], "get() requires integer arguments"),
    ("set", [0], "set() expects 2 arguments, got 1"),
    ("set", ["0", 1], "set() requires integer arguments"),
    ("slice", [], "slice() expects 1 or 2 arguments, got 0"),
    ("slice", [0, "1"], "slice() requires integer arguments"),
    ("join", [], "join() expects 1 argument, got 0"),
    ("sort", [1], "sort() expects 0 arguments, got 1"),
    ("keys", [], "Unknown method 'keys' for ArrayBox"),
])
def test_array_method_errors(error_of, name, args, message):
    assert error_of(call_method, arr(1), name, args) == message


def test_array_to_string_and_equals():
    a = arr(arr(1, 2), "s")
    assert call(a, "toString") == "[[1, 2], s]"
    assert call(a, "equals", arr(arr(1, 2), "s")) is True


# --- MapBox -----------------------------------------------------------------------------------------------

def keys(m):
    return call(m, "keys").items


def test_map_basic_results():
    m = MapBox()
    assert call(m, "isEmpty") is True
    assert call(m, "set", "apple", 3) == "Set key: apple"
    call(m, "set", "banana", 5)
    assert call(m, "get", "apple") == 3
    assert call(m, "get", "durian") == "Key not found: durian"
    assert call(m, "has", "banana") is True and call(m, "containsKey", "durian") is False
    assert [call(m, n) for n in ("size", "length", "len")] == [2, 2, 2]
    assert call(m, "delete", "banana") == "Deleted key: banana"
    assert call(m, "delete", "banana") == "Key not found: banana"
    assert call(m, "toString") == "MapBox(size=1)"
    assert call(m, "clear") == "Map cleared" and call(m, "size") == 0


def test_map_keys_are_display_strings():
    m = MapBox()
    call(m, "set", 1, "one")
    call(m, "set", "2", "two")
    call(m, "set", True, "yes")
    call(m, "set", 2.5, "float key")
    assert call(m, "get", "1") == "one" and call(m, "get", 2) == "two" and call(m, "get", "true") == "yes"
    assert call(m, "has", "2.5") is True
    assert keys(m) == ["1", "2", "true", "2.5"]
    call(m, "set", "1", "uno")
    assert call(m, "get", 1) == "uno" and call(m, "size") == 4
    assert call(m, "set", 2.0, "x") == "Set key: 2"


def test_map_order_after_update_delete_and_reinsert():
    m = MapBox()
    for k, v in (("a", 1), ("b", 2), ("c", 3)):
        call(m, "set", k, v)
    call(m, "delete", "a")
    call(m, "set", "a", 10)
    assert keys(m) == ["b", "c", "a"]
    call(m, "set", "b", 20)
    assert keys(m) == ["b", "c", "a"]
    assert call(m, "values").items == [20, 3, 10]
    snapshot = call(m, "keys")
    call(m, "set", "late", 0)
    assert snapshot.items == ["b", "c", "a"]


def test_map_contains_value_uses_equality():
    m = MapBox()
    call(m, "set", "x", 2)
    call(m, "set", "y", arr(1))
    assert call(m, "containsValue", 2) is True and call(m, "containsValue", 2.0) is True
    assert call(m, "containsValue", "2") is False
    assert call(m, "containsValue", arr(1)) is True


def test_map_get_shares_the_stored_value():
    m = MapBox()
    a = ArrayBox()
    call(m, "set", "list", a)
    call(call(m, "get", "list"), "push", 6)
    assert a.items == [6]


def test_map_equality_is_identity():
    m = MapBox()
    assert call(m, "equals", m) is True and call(m, "equals", MapBox()) is False


def test_map_keys_of_instances_use_their_display():
    m = MapBox()
    assert call(m, "set", make_instance("K", 4), 1) == "Set key: <K instance #4>"


@pytest.mark.parametrize("name, args, message", [
    ("set", ["k"], "set() expects 2 arguments, got 1"),
    ("get", [], "get() expects 1 argument, got 0"),
    ("keys", [1], "keys() expects 0 arguments, got 1"),
    ("push", [1], "Unknown method 'push' for MapBox"),
])
def test_map_method_errors(error_of, name, args, message):
    assert error_of(call_method, MapBox(), name, args) == message
