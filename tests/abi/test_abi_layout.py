"""abi.md §7.1: sizeof/offsetof of every ABI struct agree between the C compiler and the cffi binding,
including the host table (with nyrt's extension) and nyrt_runtime_info."""
from __future__ import annotations

import subprocess

from abi_helpers import CC, INCLUDE, requires_cc

STRUCTS = {
    "nyrt_nyash_value": ["type_id", "box_handle", "metadata"],
    "nyrt_type_meta": ["json", "json_len"],
    "nyrt_typebox": ["abi_tag", "ver_major", "ver_minor", "size", "abi_kind", "callconv", "flags", "name",
                     "stable_id", "fast_key", "align", "reserved0", "c", "ny", "meta", "user_data"],
    "nyrt_c_vtable": ["create", "retain", "release", "to_nyash", "from_nyash", "invoke_by_id", "invoke_by_name"],
    "nyrt_ny_vtable": ["create", "retain", "release", "invoke_by_id", "invoke_by_name"],
    "nyrt_host": ["size", "ver_major", "ver_minor", "reserved", "host_alloc", "host_free", "log", "gc_safepoint",
                  "string_new", "string_view", "array_new", "array_push", "array_len", "array_get"],
    "nyrt_host_ext": ["base", "value_retain", "value_release"],
    "nyrt_runtime_info": ["size", "ver_major", "ver_minor", "reserved"],
}


def c_layout(tmp_path) -> dict[str, int]:
    lines = ['#include <stdio.h>', '#include <stddef.h>', '#include "nyrt.h"', "int main(void) {"]
    for struct, fields in STRUCTS.items():
        lines.append(f'printf("{struct} %zu\\n", sizeof({struct}));')
        lines += [f'printf("{struct}.{f} %zu\\n", offsetof({struct}, {f}));' for f in fields]
    lines.append("return 0; }")
    source = tmp_path / "layout.c"
    source.write_text("\n".join(lines))
    exe = tmp_path / "layout"
    subprocess.run([CC, "-std=c11", f"-I{INCLUDE}", str(source), "-o", str(exe)], check=True)
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    return {key: int(n) for key, n in (line.split() for line in out.splitlines())}


@requires_cc
def test_every_struct_has_the_same_layout_in_c_and_in_cffi(nyrt, tmp_path):
    ffi, _ = nyrt
    expected = c_layout(tmp_path)
    seen = {}
    for struct, fields in STRUCTS.items():
        seen[struct] = ffi.sizeof(struct)
        for field in fields:
            seen[f"{struct}.{field}"] = ffi.offsetof(struct, field)
    assert seen == expected


@requires_cc
def test_the_spec_offsets_hold(nyrt):
    ffi, _ = nyrt
    assert ffi.sizeof("nyrt_nyash_value") == 24
    assert ffi.sizeof("nyrt_typebox") == 120
    assert [ffi.offsetof("nyrt_typebox", f) for f in ("name", "stable_id", "fast_key", "c", "ny", "meta",
                                                        "user_data")] == [24, 32, 64, 80, 88, 96, 112]
    assert ffi.sizeof("nyrt_runtime_info") == 8


@requires_cc
def test_the_host_table_reports_its_extended_size_and_version(nyrt):
    ffi, lib = nyrt
    host = lib.nyrt_host_table()
    assert host.size == ffi.sizeof("nyrt_host_ext")
    assert (host.ver_major, host.ver_minor, host.reserved) == (1, 0, 0)
    ext = ffi.cast("nyrt_host_ext*", host)
    assert ext.value_retain != ffi.NULL and ext.value_release != ffi.NULL
