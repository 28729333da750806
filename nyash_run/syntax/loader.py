"""The load phase: a program path -> LoadedProgram (language.md §0, §3.1, §8.2, §9.5).

In: the path of the program file as given on the command line, and the T2 features the chosen backend
lacks. Out: a `LoadedProgram` (every file read, the top-level items in execution order with includes
flattened, the registered declarations), or the one load error §8.2 prescribes: the first syntax error in
load order, else the first declaration error, else the first context error. `check_program` instead returns
every error it can find (for `nyash check`).

Files: read as UTF-8 (a leading U+FEFF stripped). Problems with the main file are errors without a position;
an unreadable included file is `Failed to read file 'PATH'` at its `include`. Include paths resolve against
the including file's directory; each file is loaded once (the main file counts), later includes of it are
dropped. Spans of the main file use the path as given, spans of an included file its resolved path.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from nyash_run.diagnostics import SourceMap
from nyash_run.syntax import ast
from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.lexer import tokenize
from nyash_run.syntax.parser import parse, parse_all
from nyash_run.syntax.semantic import Declarations, check_context, collect_declarations


@dataclass
class LoadedProgram:
    """A program ready to run: `items` are the top-level items of all files in execution order."""

    main_file: str
    sources: SourceMap
    items: tuple
    decls: Declarations
    files: tuple[str, ...] = field(default=())     # every file read, in load order (span names)


class _FileError(Exception):
    """A file could not be read or decoded; the caller decides where the error is positioned."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:                      # missing, a directory, no permission, ...
        raise _FileError(f"Failed to read file '{path}'") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _FileError("Source file is not valid UTF-8") from None
    return text[1:] if text.startswith("\ufeff") else text


def _identity(path: str) -> str:
    """The key that makes two spellings of one file the same file (for load-once)."""
    return os.path.normcase(os.path.realpath(path))


def _resolve(include_path: str, including_file: str) -> str:
    if os.path.isabs(include_path):
        return include_path
    return os.path.normpath(os.path.join(os.path.dirname(including_file), include_path))


class _Loader:
    """Reads the main file and its includes depth-first, in load order."""

    def __init__(self, main: str, recover: bool):
        self.main = main
        self.recover = recover
        self.sources = SourceMap()
        self.loaded: set[str] = set()
        self.files: list[str] = []
        self.syntax_errors: list[NyashSyntaxError] = []
        self.check_items: list = []      # flattened items, each `include` kept before what it brought in

    def parse_file(self, path: str, text: str) -> ast.Program:
        self.sources.add(path, text)
        self.files.append(path)
        if not self.recover:
            return parse(tokenize(text, path), path)
        try:
            tokens = tokenize(text, path)
        except NyashSyntaxError as err:
            self.syntax_errors.append(err)
            return ast.Program(path, ())
        program, errors = parse_all(tokens, path)
        self.syntax_errors.extend(errors)
        return program

    def load_main(self) -> list:
        try:
            text = _read(self.main)
        except _FileError as err:
            raise NyashSyntaxError(err.message) from None
        self.loaded.add(_identity(self.main))
        return self.flatten(self.parse_file(self.main, text))

    def flatten(self, program: ast.Program) -> list:
        items: list = []
        for item in program.items:
            if isinstance(item, ast.Include):
                self.check_items.append(item)
                items.extend(self.include(item, program.file))
            else:
                self.check_items.append(item)
                items.append(item)
        return items

    def include(self, node: ast.Include, including_file: str) -> list:
        path = _resolve(node.path, including_file)
        key = _identity(path)
        if key in self.loaded:
            return []
        try:
            text = _read(path)
        except _FileError as err:
            error = NyashSyntaxError(err.message, node.span)
            if not self.recover:
                raise error from None
            self.syntax_errors.append(error)
            return []
        self.loaded.add(key)
        return self.flatten(self.parse_file(path, text))

    def program(self, items: list, decls: Declarations) -> LoadedProgram:
        return LoadedProgram(self.main, self.sources, tuple(items), decls, tuple(self.files))


def _with_sources(errors: list[NyashSyntaxError], sources: SourceMap) -> list[NyashSyntaxError]:
    for error in errors:
        error.sources = sources
    return errors


def load_program(path: str, unsupported: frozenset[str] = frozenset()) -> LoadedProgram:
    """Load a program for running; raise the one load error of §8.2 if there is any (its `sources` set)."""
    loader = _Loader(path, recover=False)
    try:
        items = loader.load_main()
        decls, errors = collect_declarations(items)
        errors = errors or check_context(loader.check_items, decls, unsupported)
    except NyashSyntaxError as err:
        err.sources = loader.sources
        raise
    if errors:
        raise _with_sources(errors, loader.sources)[0]
    return loader.program(items, decls)


def check_program(path: str, unsupported: frozenset[str] = frozenset()
                  ) -> tuple[LoadedProgram | None, list[NyashSyntaxError]]:
    """Find every load error: all files' syntax errors, or if there are none every declaration and
    context error. The program is None when the main file is unreadable or any syntax error was found."""
    loader = _Loader(path, recover=True)
    try:
        items = loader.load_main()
    except NyashSyntaxError as err:
        return None, _with_sources([err], loader.sources)
    if loader.syntax_errors:
        return None, _with_sources(loader.syntax_errors, loader.sources)
    decls, errors = collect_declarations(items)
    errors += check_context(loader.check_items, decls, unsupported)
    return loader.program(items, decls), _with_sources(errors, loader.sources)

