"""Shared helpers for the runtime tests."""
from __future__ import annotations

import pytest

from nyash_run.runtime import output
from nyash_run.runtime.errors import NyashRuntimeError


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


