"""Source positions and the error format every stage shares (language.md §8.1).

In: a message and a Span. Out: the three-line text `FILE:LINE:COL: error: MESSAGE`, the source line and a
caret line. Each layer raises its own subclass of NyashError (NyashSyntaxError in syntax/,
NyashRuntimeError in runtime/, PluginError in abi/); the driver renders them all with `render_error`.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A position in a source file: line and column both count from 1, columns in code points."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class NyashError(Exception):
    """Base of every error a Nyash user may see; `span` is None when there is no source position."""

    def __init__(self, message: str, span: Span | None = None):
        super().__init__(message)
        self.message = message
        self.span = span

    def __str__(self) -> str:
        return self.message if self.span is None else f"{self.span}: {self.message}"


class SourceMap:
    """The text of every file a run has read, so an error can quote its line."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def add(self, file: str, text: str) -> None:
        self._texts[file] = text

    def text(self, file: str) -> str | None:
        """The whole text of a file this run has read."""
        return self._texts.get(file)

    def line(self, file: str, line: int) -> str | None:
        text = self._texts.get(file)
        if text is None:
            text = self._read(file)
        if text is None:
            return None
        lines = text.split("\n")
        if not 1 <= line <= len(lines):
            return None
        return lines[line - 1].rstrip("\r")


    def _read(self, file: str) -> str | None:
        """A file not registered (e.g. an include that failed to parse) is read on demand."""
        try:
            with open(file, encoding="utf-8") as handle:
                text = handle.read().lstrip("\ufeff")
        except (OSError, UnicodeDecodeError):
            return None
        self._texts[file] = text
        return text


def caret_line(source_line: str, col: int) -> str:
    """Spaces (tabs where the source has tabs) up to column `col`, then `^`."""
    prefix = source_line[: col - 1]
    return "".join("\t" if ch == "\t" else " " for ch in prefix) + " " * (col - 1 - len(prefix)) + "^"


def render_error(message: str, span: Span | None, sources: SourceMap | None = None, file: str = "") -> str:
    """The text written to stderr for an error, without a trailing newline."""
    if span is None:
        return f"{file}: error: {message}" if file else f"error: {message}"
    head = f"{span.file}:{span.line}:{span.col}: error: {message}"
    text = sources.line(span.file, span.line) if sources is not None else None
    if text is None:
        return head
    return f"{head}\n{text}\n{caret_line(text, span.col)}"


def plural(count: int, noun: str) -> str:
    """`1 argument`, `0 arguments`, `2 arguments` (language.md §8.1)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
