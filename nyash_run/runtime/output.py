"""The program's stdout (language.md §8.1): `print` and ConsoleBox both write here.

In: text (already ending in `\\n` where a line ends). Out: the text on sys.stdout, or on whatever function
`set_writer` installed (tests capture output this way; a driver may buffer). `flush()` must be called before
an error is written to stderr so the two streams appear in order.

`write` looks sys.stdout up at each call instead of binding it once, so redirections made after import (pytest's
capture, contextlib.redirect_stdout) are honoured.
"""
from __future__ import annotations

import sys
from typing import Callable

_writer: Callable[[str], object] | None = None
_flusher: Callable[[], object] | None = None


def write(text: str) -> None:
    """Write program output."""
    if _writer is None:
        sys.stdout.write(text)
    else:
        _writer(text)


def set_writer(fn: Callable[[str], object] | None, flush_fn: Callable[[], object] | None = None) -> None:
    """Send program output to `fn` (None restores sys.stdout); `flush_fn` is what `flush()` then calls."""
    global _writer, _flusher
    _writer = fn
    _flusher = flush_fn


def flush() -> None:
    """Push buffered output out (before anything is written to stderr, and at the end of a run)."""
    if _writer is None:
        sys.stdout.flush()
    elif _flusher is not None:
        _flusher()


def configure_stdout() -> None:
    """Make sys.stdout UTF-8 with `\\n` line endings whatever the locale (§8.1); for the CLI to call once."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", errors="surrogateescape", newline="\n")


class Capture:
    """Collects output in memory: `with Capture() as out: ...; out.text()` (tests, constant-folding checks)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self._saved: tuple | None = None

    def __enter__(self) -> "Capture":
        self._saved = (_writer, _flusher)
        set_writer(self.parts.append, lambda: None)
        return self

    def __exit__(self, *exc: object) -> None:
        set_writer(*self._saved)

    def text(self) -> str:
        return "".join(self.parts)
