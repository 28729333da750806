"""abi.md §7.7: a plugin thread calling host.log while the caller is blocked in the plugin does not deadlock,
with the log going to a Python hook (which needs the GIL). Run in a child process so that a deadlock fails the
test by its timeout instead of hanging the suite."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from abi_helpers import ROOT, compile_plugin, fast_key, requires_cc, unique

pytestmark = requires_cc

CHILD = textwrap.dedent("""
    import sys, threading
    from nyash_run.abi import binding
    ffi, lib = binding.get()
    lines = []
    binding.set_log(lambda level, text: lines.append((threading.get_ident(), text)))
    err = ffi.new("char[]", 4096)
    pid = lib.nyrt_plugin_load(sys.argv[1].encode(), ffi.NULL, ffi.NULL, err, 4096)
    assert pid >= 0, ffi.string(err)
    v, ret = ffi.new("nyrt_nyash_value*"), ffi.new("nyrt_nyash_value*")
    assert lib.nyrt_tb_new(int(sys.argv[2]), ffi.NULL, 0, v) == 0
    def work():
        for _ in range(50):
            assert lib.nyrt_call(v, b"threadLog", ffi.NULL, 0, ret) == 0
    worker = threading.Thread(target=work)     # the program thread, as the driver runs it
    worker.start(); worker.join()
    texts = [t for _, t in lines]
    assert texts == [f"from a plugin thread {i}" for i in range(3)] * 50, texts[:5]
    assert all(ident != worker.ident for ident, _ in lines)
    lib.nyrt_val_release(v)
    print("ok")
""")


def test_a_plugin_thread_logging_while_the_caller_waits_does_not_deadlock(nyrt, tmp_path):
    prefix = unique()
    library = compile_plugin(tmp_path, prefix=prefix)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(library), str(fast_key(f"{prefix}.Counter"))],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
