"""The tree-walking interpreter: runs the AST with the Python runtime.

In: a LoadedProgram (syntax.loader). Out: program output through runtime.output, and the value Main.main
returned, or a NyashRuntimeError with the span of the failing node. The AST is first turned into closures
(compiler.py) so each node costs one Python call when run.
"""
from .interpreter import UNSUPPORTED_FEATURES, Executable, compile_program

__all__ = ["UNSUPPORTED_FEATURES", "Executable", "compile_program"]
