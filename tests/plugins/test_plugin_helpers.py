"""The plugins' own helpers (plugins/common) agree with the runtime: SHA-256 ids with hashlib (abi.md 1.2, 2)
and the display of Float map keys with display_float (language.md 6.8)."""
from __future__ import annotations

import hashlib
import math
import random
import struct
import subprocess

import pytest

import plugin_build
from nyash_run.runtime.display import display_float

HARNESS = r"""
#include <stdio.h>
#include "nyvalue.h"
int main(int argc, char **argv) {
    char buf[400], line[300];
    double x;
    if (argc > 1) {                       /* ids: one name per line in, "stable_id_hex fast_key" out */
        while (fgets(line, sizeof line, stdin)) {
            uint8_t d[32];
            line[strcspn(line, "\n")] = 0;
            nyplug_sha256(line, strlen(line), d);
            for (int i = 0; i < 32; i++)
                printf("%02x", d[i]);
            printf(" %llu\n", (unsigned long long)nyplug_type_id(line));
        }
        return 0;
    }
    while (fread(&x, sizeof x, 1, stdin) == 1) {   /* floats: doubles in, one display per line out */
        nyv_display_float(x, buf);
        puts(buf);
    }
    return 0;
}
"""


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    if plugin_build.CC is None:
        pytest.skip("no C compiler found")
    folder = tmp_path_factory.mktemp("harness")
    (folder / "harness.c").write_text(HARNESS, encoding="utf-8")
    binary = folder / "harness"
    proc = subprocess.run([plugin_build.CC, "-std=c11", "-O2", f"-I{plugin_build.HEADER_DIR}",
                           f"-I{plugin_build.PLUGINS / 'common'}", "-o", str(binary), str(folder / "harness.c"),
                           "-lm"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return binary


def test_ids_are_sha256_and_its_first_8_bytes_little_endian(harness):
    names = ["", "nyash.core.Map", "keys/0", "x" * 55, "y" * 56, "z" * 64, "w" * 119, "héllo/2"]
    out = subprocess.run([str(harness), "ids"], input="\n".join(names) + "\n", capture_output=True, text=True,
                         encoding="utf-8").stdout.splitlines()
    for name, line in zip(names, out, strict=True):
        digest = hashlib.sha256(name.encode()).digest()
        assert line == f"{digest.hex()} {int.from_bytes(digest[:8], 'little')}"


def test_float_keys_display_like_display_float(harness):
    rng = random.Random(7)
    values = [1.5, 0.1, 0.30000000000000004, 1e16, 1e-7, -0.0, 0.0, 5e-324, 1.7976931348623157e308, 1e22, 1e23,
              2.0 ** 53 + 2, 100.0, 1e15, 123456789.125, math.inf, -math.inf, math.nan]
    for _ in range(20000):
        bits = struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]
        values += [bits, rng.uniform(-1e6, 1e6), round(rng.uniform(-1000, 1000), rng.randrange(6))]
    data = b"".join(struct.pack("d", v) for v in values)
    out = subprocess.run([str(harness)], input=data, capture_output=True).stdout.decode().splitlines()
    assert len(out) == len(values)
    wrong = [(v, got) for v, got in zip(values, out) if got != display_float(v)]
    assert wrong == []
