"""Shared helpers for the runtime tests."""
from __future__ import annotations

import types

import pytest

from nyash_run.runtime import output
from nyash_run.runtime.errors import NyashRuntimeError
from nyash_run.runtime.values import Instance


@pytest.fixture
def error_of():
    """error_of(fn, *args) -> the message of the NyashRuntimeError that fn(*args) raises."""
    def run(fn, *args):
        with pytest.raises(NyashRuntimeError) as info:
            fn(*args)
        assert info.value.span is None  # the runtime never positions its errors; backends do
        return info.value.message
    return run


@pytest.fixture
def captured():
    """Program output written through runtime.output during the test, as one string (call it)."""
    with output.Capture() as capture:
        yield capture.text


def make_instance(name: str, serial: int, is_static: bool = False) -> Instance:
    return Instance(types.SimpleNamespace(name=name, is_static=is_static), {}, serial)
