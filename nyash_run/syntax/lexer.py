"""The lexer: source text -> list of tokens (language.md §1).

In: the decoded text of one file (a leading U+FEFF is skipped) and the file name used in spans.
Out: a list of `Token`s ending with EOF, or a NyashSyntaxError for the first lexing error (§8.2:
`Unexpected character 'C'`, `Unterminated string literal`, `Unterminated block comment`,
`Invalid number format`, `Unsupported feature: KEYWORD`), positioned at the offending character, opening
quote, `/*`, number or keyword. NEWLINE tokens follow the bracket-stack and continuation rules of §1.3.
"""
from __future__ import annotations

import re
import unicodedata

from nyash_run.diagnostics import Span
from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.tokens import CONTINUATION_KINDS, KEYWORDS, OPERATORS, RESERVED, Token, TokenKind

K = TokenKind
INT_MAX = 9223372036854775807

# White_Space other than `\n` (§1.2); `\n` is matched separately because it may be a token.
_WS = "\t\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# One alternative per token class. Digits are ASCII only (§1.5); the identifier alternative uses Python's
# Unicode `\w`, and non-ASCII matches are re-checked against the exact categories of §1.4.
_MASTER = re.compile(
    rf"(?P<ws>[{_WS}]+)"
    r"|(?P<nl>\n)"
    r"|(?P<lc>(?://|\#)[^\n]*)"
    r"|(?P<bc>/\*)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<id>[^\W\d]\w*)"
    r'|(?P<str>")'
    r"|(?P<op>==|!=|<=|>=|&&|\|\||=>|[<>=+\-*/%!(){},.:;?])"
)
_STRING_BODY = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}

_LETTER = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo"})
_DIGIT = frozenset({"Nd", "Nl", "No"})


def _decode_escape(match: re.Match) -> str:
    # An unknown escape keeps both characters (`"\d"` is two characters long).
    ch = match.group(1)
    return _ESCAPES.get(ch, "\\" + ch)


def _ident_length(text: str) -> int:
    """How many leading characters of a non-ASCII `\\w` run form an identifier under §1.4 (0: none)."""
    first = text[0]
    if first != "_" and unicodedata.category(first) not in _LETTER:
        return 0
    for i in range(1, len(text)):
        ch = text[i]
        if ch != "_" and not ch.isascii():
            if unicodedata.category(ch) not in _LETTER | _DIGIT:
                return i
    return len(text)


class _Lexer:
    """State of one tokenize() run: position, line bookkeeping, bracket stack and output."""

    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        self.pos = 0
        self.line = 1
        self.line_start = 0          # index of the first character of the current line
        self.brackets: list[str] = []
        self.tokens: list[Token] = []
        self.prev: TokenKind | None = None

    def span_at(self, index: int) -> Span:
        return Span(self.file, self.line, index - self.line_start + 1)

    def error(self, message: str, index: int) -> NyashSyntaxError:
        return NyashSyntaxError(message, self.span_at(index))

    def emit(self, kind: TokenKind, text: str, value, start: int) -> None:
        self.tokens.append(Token(kind, text, value, self.span_at(start)))
        self.prev = kind

    def advance_lines(self, start: int, end: int) -> None:
        """Account for the line breaks inside text[start:end] (multi-line strings and comments)."""
        count = self.text.count("\n", start, end)
        if count:
            self.line += count
            self.line_start = self.text.rindex("\n", start, end) + 1

    def newline(self, start: int) -> None:
        # §1.3: no NEWLINE inside parentheses or right after an operator that needs a right operand.
        if (self.brackets and self.brackets[-1] == "(") or self.prev in CONTINUATION_KINDS:
            return
        self.emit(K.NEWLINE, "\n", None, start)

    def run(self) -> list[Token]:
        text, n = self.text, len(self.text)
        match = _MASTER.match
        handlers = {"bc": self.lex_bc, "num": self.lex_num, "id": self.lex_id, "str": self.lex_str,
                    "op": self.lex_op}
        while self.pos < n:
            m = match(text, self.pos)
            if m is None:
                raise self.error(f"Unexpected character '{text[self.pos]}'", self.pos)
            group = m.lastgroup
            if group == "ws" or group == "lc":
                self.pos = m.end()
            elif group == "nl":
                self.newline(self.pos)
                self.pos += 1
                self.line += 1
                self.line_start = self.pos
            else:
                handlers[group](m)
        self.emit(K.EOF, "", None, self.pos)
        return self.tokens

    def lex_bc(self, m: re.Match) -> None:
        start = m.start()
        end = self.text.find("*/", start + 2)
        if end < 0:
            raise self.error("Unterminated block comment", start)
        end += 2
        if "\n" in self.text[start:end]:
            self.newline(start)          # one NEWLINE however many lines, positioned at `/*`
        self.advance_lines(start, end)
        self.pos = end

    def lex_num(self, m: re.Match) -> None:
        text, start = m.group(), m.start()
        if "." in text:
            self.emit(K.FLOAT, text, float(text), start)
        else:
            value = int(text)
            if value > INT_MAX:
                raise self.error("Invalid number format", start)
            self.emit(K.INTEGER, text, value, start)
        self.pos = m.end()

    def lex_id(self, m: re.Match) -> None:
        word, start = m.group(), m.start()
        if not word.isascii():
            length = _ident_length(word)
            if length == 0:
                raise self.error(f"Unexpected character '{word[0]}'", start)
            word = word[:length]
        self.pos = start + len(word)
        kind = KEYWORDS.get(word)
        if kind is not None:
            self.emit(kind, word, None, start)
        elif word in RESERVED:
            raise self.error(f"Unsupported feature: {word}", start)
        else:
            self.emit(K.IDENT, word, word, start)

    def lex_str(self, m: re.Match) -> None:
        start = m.start()
        body = _STRING_BODY.match(self.text, start + 1)
        if body is None:
            raise self.error("Unterminated string literal", start)
        end = body.end()
        raw = self.text[start + 1:end - 1]
        value = _ESCAPE.sub(_decode_escape, raw) if "\\" in raw else raw
        self.emit(K.STRING, self.text[start:end], value, start)
        self.advance_lines(start, end)
        self.pos = end

    def lex_op(self, m: re.Match) -> None:
        text = m.group()
        kind = OPERATORS[text]
        if kind is K.LPAREN or kind is K.LBRACE:
            self.brackets.append(text)
        elif (kind is K.RPAREN or kind is K.RBRACE) and self.brackets:
            self.brackets.pop()
        self.emit(kind, text, None, m.start())
        self.pos = m.end()


def tokenize(text: str, file: str) -> list[Token]:
    """Split one source file into tokens; the list always ends with an EOF token."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Lexer(text, file).run()
