"""The runtime layer's one exception type.

In: raised by operators and builtin methods with a message only; a backend attaches the span of the node or
instruction that failed (language.md §8.3) before the error reaches the user. An exception thrown by `throw`
is the same type with `thrown` set to the ErrorBox; its user-visible message is `Uncaught exception: MSG`.
"""
from __future__ import annotations

from nyash_run.diagnostics import NyashError, Span


class NyashRuntimeError(NyashError):
    """A runtime error (thrown is None) or a Nyash exception in flight (thrown is its ErrorBox)."""

    def __init__(self, message: str, span: Span | None = None, thrown=None):
        super().__init__(message, span)
        self.thrown = thrown

    def with_span(self, span: Span | None) -> "NyashRuntimeError":
        """Give the error a position unless it already has one (the innermost failing node wins)."""
        if self.span is None:
            self.span = span
        return self

    def user_message(self) -> str:
        """What an uncaught error prints after `error: `."""
        if self.thrown is not None:
            return f"Uncaught exception: {self.thrown.message}"
        return self.message
