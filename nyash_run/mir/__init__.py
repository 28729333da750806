"""MIR: the mid-level representation the VM, WASM and LLVM backends share.

In: a LoadedProgram (build.build_module). Out: an ir.Module, checked by verify, annotated by types, simplified
by the passes, printed by printer for `nyash dump mir`.
"""
