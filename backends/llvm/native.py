"""Standalone native executables (`nyash build --target native`) and IR/asm/object output for inspection.

In: a typed ir.Module. Out: LLVM IR text, assembly, an object file, or an executable: the program's object
(the same lowering as the JIT, plus a C `main` calling nyrt_x_native_main) linked with nyrt as a static
library (abi/build.py build_static, cached per nyrt source hash) by the system C compiler. The executable
needs neither Python nor llvmlite; it loads plugins from nyash.toml at start-up as `nyash run` does.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .engine import DEFAULT_OPT_LEVEL, optimize_module
from .lower import lower_program

EMIT_KINDS = ("llvm", "asm", "obj", "exe")
LINK_LIBS = ["-lm", "-ldl", "-lpthread"]


class NativeBuildError(RuntimeError):
    """A native build failed: one line saying why (the linker's first error, a missing compiler)."""


def static_nyrt() -> Path:
    """libnyrt.a for this nyrt source, built once into the cache."""
    from nyash_run.abi import build
    target = build.cache_root() / "static" / build.source_hash() / "libnyrt.a"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent.parent) as tmp:
        built = build.build_static(tmp)
        staged = target.parent / f".libnyrt.{os.getpid()}.a"
        shutil.copyfile(built, staged)
        os.replace(staged, target)
    return target


def target_machine(llvm):
    """A target machine for object files: position independent, so the executable may be a PIE."""
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    triple = llvm.get_process_triple()
    target = llvm.Target.from_triple(triple)
    return target.create_target_machine(cpu=llvm.get_host_cpu_name(), features=llvm.get_host_cpu_features().flatten(),
                                        opt=2, reloc="pic", codemodel="default")


def compile_ir(module, emit: str, opt_level: int = DEFAULT_OPT_LEVEL):
    """The program as optimised IR text, assembly text or object bytes (`emit` llvm / asm / obj)."""
    import llvmlite.binding as llvm
    lowered = lower_program(module, native=True)
    tm = target_machine(llvm)
    mod = llvm.parse_assembly(lowered.ir_text)
    mod.verify()
    mod.triple, mod.data_layout = llvm.get_process_triple(), str(tm.target_data)
    mod = optimize_module(llvm, tm, mod, opt_level)
    if emit == "llvm":
        return str(mod)
    if emit == "asm":
        return tm.emit_assembly(mod)
    return tm.emit_object(mod)


def build_executable(module, out: str | Path, opt_level: int = DEFAULT_OPT_LEVEL) -> Path:
    """Compile and link `module` into the executable `out`."""
    from nyash_run.abi.build import _compiler
    obj = compile_ir(module, "obj", opt_level)
    library = static_nyrt()
    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        obj_path = Path(tmp) / "program.o"
        obj_path.write_bytes(obj)
        cmd = [*_compiler(), str(obj_path), str(library), "-o", str(out), *LINK_LIBS]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        lines = [line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
        raise NativeBuildError(f"linking failed: {lines[0] if lines else 'exit status ' + str(proc.returncode)}")
    return out
