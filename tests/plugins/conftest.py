"""Fixtures of tests/plugins: the example and broken plugins, built once per session (plugin_build.py).
Every test that needs them is skipped when no C compiler is found."""
from __future__ import annotations

from pathlib import Path

import pytest

import plugin_build


@pytest.fixture(scope="session")
def built_plugins() -> dict[str, Path]:
    """Plugin name -> its built library (examples by folder name, broken plugins by file stem)."""
    if plugin_build.CC is None:
        pytest.skip("no C compiler found")
    return plugin_build.build_all()
