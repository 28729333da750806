"""Token kinds, the keyword table and the Token record (language.md §1.4, §1.6).

In: nothing (pure tables). Out: `TokenKind` (whose value is the display name used in parse messages,
e.g. `Unexpected token NEWLINE, expected LBRACE`), `KEYWORDS` (spelling -> kind, aliases included),
`RESERVED` (spellings that are the load error `Unsupported feature: KEYWORD`), `OPERATORS` (spelling ->
kind, longest first) and `Token`.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Union

from nyash_run.diagnostics import Span


class TokenKind(enum.Enum):
    """Every kind of token; the value is the name parse messages use for it (§1.6)."""

    IDENT = "IDENTIFIER"
    INTEGER = "INTEGER"
    FLOAT = "FLOAT"
    STRING = "STRING"
    NEWLINE = "NEWLINE"
    EOF = "EOF"
    # keywords (`&&` `||` `!` `fn` `this` are spellings of AND OR NOT FUNCTION ME)
    AND = "AND"
    AWAIT = "AWAIT"
    BIRTH = "BIRTH"
    BOX = "BOX"
    BREAK = "BREAK"
    CATCH = "CATCH"
    CONTINUE = "CONTINUE"
    ELSE = "ELSE"
    FALSE = "FALSE"
    FINALLY = "FINALLY"
    FROM = "FROM"
    FUNCTION = "FUNCTION"
    GLOBAL = "GLOBAL"
    IF = "IF"
    INCLUDE = "INCLUDE"
    INIT = "INIT"
    LOCAL = "LOCAL"
    LOOP = "LOOP"
    ME = "ME"
    NEW = "NEW"
    NOT = "NOT"
    NOWAIT = "NOWAIT"
    NULL = "NULL"
    OR = "OR"
    OVERRIDE = "OVERRIDE"
    PACK = "PACK"
    PEEK = "PEEK"
    PRINT = "PRINT"
    RETURN = "RETURN"
    STATIC = "STATIC"
    THROW = "THROW"
    TRUE = "TRUE"
    TRY = "TRY"
    VOID = "VOID"
    # punctuation and operators
    LPAREN = "LPAREN"
    RPAREN = "RPAREN"
    LBRACE = "LBRACE"
    RBRACE = "RBRACE"
    COMMA = "COMMA"
    DOT = "DOT"
    COLON = "COLON"
    SEMICOLON = "SEMICOLON"
    ASSIGN = "ASSIGN"
    ARROW = "ARROW"
    QUESTION = "QUESTION"
    PLUS = "PLUS"
    MINUS = "MINUS"
    MULTIPLY = "MULTIPLY"
    DIVIDE = "DIVIDE"
    MODULO = "MODULO"
    EQUALS = "EQUALS"
    NOT_EQUALS = "NOT_EQUALS"
    LESS = "LESS"
    LESS_EQUALS = "LESS_EQUALS"
    GREATER = "GREATER"
    GREATER_EQUALS = "GREATER_EQUALS"

    @property
    def display(self) -> str:
        """The name used in `Unexpected token FOUND, expected WANTED`."""
        return self.value


K = TokenKind

# The real keywords (§1.4); the spelling `public`/`private` is deliberately absent: they are keywords only at
# the start of a box member, which the parser decides, so the lexer yields them as IDENT.
KEYWORDS: dict[str, TokenKind] = {
    "and": K.AND, "await": K.AWAIT, "birth": K.BIRTH, "box": K.BOX, "break": K.BREAK, "catch": K.CATCH,
    "continue": K.CONTINUE, "else": K.ELSE, "false": K.FALSE, "finally": K.FINALLY, "fn": K.FUNCTION,
    "from": K.FROM, "function": K.FUNCTION, "global": K.GLOBAL, "if": K.IF, "include": K.INCLUDE,
    "init": K.INIT, "local": K.LOCAL, "loop": K.LOOP, "me": K.ME, "new": K.NEW, "not": K.NOT,
    "nowait": K.NOWAIT, "null": K.NULL, "or": K.OR, "override": K.OVERRIDE, "pack": K.PACK, "peek": K.PEEK,
    "print": K.PRINT, "return": K.RETURN, "static": K.STATIC, "this": K.ME, "throw": K.THROW, "true": K.TRUE,
    "try": K.TRY, "void": K.VOID,
}

# Reserved words: any occurrence is the load error `Unsupported feature: KEYWORD` (§1.4, §10).
RESERVED: frozenset[str] = frozenset({"interface", "outbox", "singleton", "using", "weak"})

# Operators and punctuation (§1.6); two-character spellings first so the lexer can take the longest match.
OPERATORS: dict[str, TokenKind] = {
    "==": K.EQUALS, "!=": K.NOT_EQUALS, "<=": K.LESS_EQUALS, ">=": K.GREATER_EQUALS, "&&": K.AND,
    "||": K.OR, "=>": K.ARROW,
    "<": K.LESS, ">": K.GREATER, "=": K.ASSIGN, "+": K.PLUS, "-": K.MINUS, "*": K.MULTIPLY,
    "/": K.DIVIDE, "%": K.MODULO, "!": K.NOT, "(": K.LPAREN, ")": K.RPAREN, "{": K.LBRACE,
    "}": K.RBRACE, ",": K.COMMA, ".": K.DOT, ":": K.COLON, ";": K.SEMICOLON, "?": K.QUESTION,
}

# After one of these a line break produces no NEWLINE (§1.3 rule 2): the expression must go on.
CONTINUATION_KINDS: frozenset[TokenKind] = frozenset({
    K.PLUS, K.MINUS, K.MULTIPLY, K.DIVIDE, K.MODULO, K.EQUALS, K.NOT_EQUALS, K.LESS, K.LESS_EQUALS,
    K.GREATER, K.GREATER_EQUALS, K.AND, K.OR, K.NOT, K.ASSIGN, K.COMMA, K.ARROW, K.AWAIT,
})


@dataclass(frozen=True, slots=True)
class Token:
    """One token. `text` is its source spelling (`&&`, `fn`, `"a\\n"` …); `value` is the name of an IDENT,
    the int/float of a number, the decoded text of a STRING, and None otherwise."""

    kind: TokenKind
    text: str
    value: Union[str, int, float, None]
    span: Span

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def col(self) -> int:
        return self.span.col

    def __repr__(self) -> str:
        return f"Token({self.kind.name}, {self.text!r}, {self.span.line}:{self.span.col})"
