"""The native call-cost benchmark (abi.md 7.8, benchmarks/native) builds and runs: every measurement is
reported and nothing leaks. A benchmark, not a test of speed: no timing is asserted (architecture.md 6)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import plugin_build

KEYS = {f"{path}.{method}" for path in ("builtin", "nyash_abi", "nyash_abi_raw", "c_bridge", "c_raw")
        for method in ("size", "get")}


@pytest.mark.skipif(plugin_build.CC is None, reason="no C compiler found")
def test_native_driver_reports_every_path_and_leaks_nothing(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "benchmarks.native", "500", "--json"], cwd=plugin_build.ROOT,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600,
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert KEYS <= set(record) and record["iterations"] == 500
    assert all(record[key] > 0 for key in KEYS)
    assert record["leaked_bytes"] == 0
