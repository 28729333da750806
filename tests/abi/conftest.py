"""Fixtures of the ABI tests: `nyrt` (the real build, hooks installed) and `loader` (plugins loaded by one test,
unloaded after it). Helpers are in abi_helpers.py."""
from __future__ import annotations

import pytest

from abi_helpers import CC, HAVE_CC, Loader


@pytest.fixture(scope="session")
def nyrt():
    """(ffi, lib) of the real nyrt build, hooks installed."""
    if not HAVE_CC:
        pytest.skip(f"no C compiler ('{CC}') on PATH: nyrt cannot be built")
    from nyash_run.abi import binding
    return binding.get()


@pytest.fixture
def loader(nyrt, tmp_path):
    ffi, lib = nyrt
    box = Loader(ffi, lib, tmp_path)
    yield box
    box.close()
