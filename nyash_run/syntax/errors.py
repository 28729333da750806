"""The syntax layer's one exception type.

In: a message and the Span of the token at fault (language.md §8.2). Out: raised (or collected, for
`nyash check`) by the lexer, the parser, the declaration and context checks and the loader; the driver
renders it with diagnostics.render_error. A NyashSyntaxError is always a *load* error. Errors coming out of
the loader carry `sources`, the SourceMap of every file read so far, so the source line can be quoted.
"""
from __future__ import annotations

from nyash_run.diagnostics import NyashError, SourceMap, Span


class NyashSyntaxError(NyashError):
    """A load error: lexing, parsing, file reading, declaration or context check."""

    def __init__(self, message: str, span: Span | None = None):
        super().__init__(message, span)
        self.sources: SourceMap | None = None
