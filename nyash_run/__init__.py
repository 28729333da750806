"""nyash_run: run Nyash programs on an interpreter, a MIR VM, WebAssembly or LLVM."""
__version__ = "0.1.0"
