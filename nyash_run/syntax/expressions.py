"""The expression half of the parser, and the token cursor both halves share (language.md §2.1, §2.3).

In: a token list (from lexer.tokenize). Out: expression nodes of syntax.ast. `ExpressionParser` is the base
class of parser.Parser, which supplies `parse_block` and `parse_params` (lambdas and peek arms contain
blocks). Binary operators are parsed with an explicit operator stack and prefix operators with a loop, so
only parentheses, calls and nested blocks use Python frames.
"""
from __future__ import annotations

from typing import Callable

from nyash_run.syntax import ast
from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.tokens import Token, TokenKind

K = TokenKind

EXPR_START = frozenset({
    K.INTEGER, K.FLOAT, K.STRING, K.TRUE, K.FALSE, K.NULL, K.VOID, K.ME, K.IDENT, K.NEW, K.FROM, K.LPAREN,
    K.PEEK, K.FUNCTION, K.MINUS, K.NOT, K.AWAIT,
})
PATTERN_START = frozenset({K.MINUS, K.INTEGER, K.FLOAT, K.STRING, K.TRUE, K.FALSE, K.NULL, K.VOID})
PREFIX_OPS = frozenset({K.MINUS, K.NOT, K.AWAIT})
ARM_SEPARATORS = frozenset({K.NEWLINE, K.SEMICOLON, K.COMMA})

# Binary operators: kind -> (precedence, spelling in the AST); `and`/`or` become ast.Logical.
BINARY = {
    K.OR: (1, "or"), K.AND: (2, "and"),
    K.EQUALS: (3, "=="), K.NOT_EQUALS: (3, "!="),
    K.LESS: (4, "<"), K.LESS_EQUALS: (4, "<="), K.GREATER: (4, ">"), K.GREATER_EQUALS: (4, ">="),
    K.PLUS: (5, "+"), K.MINUS: (5, "-"),
    K.MULTIPLY: (6, "*"), K.DIVIDE: (6, "/"), K.MODULO: (6, "%"),
}


class ExpressionParser:
    """Token cursor plus one method per expression rule; subclasses provide parse_block / parse_params."""

    parse_block: Callable[[], ast.Block]          # supplied by parser.Parser
    parse_params: Callable[[], tuple]

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0
        self.tok = tokens[0]

    # ------------------------------------------------------------------------------------- token helpers

    def advance(self) -> Token:
        tok = self.tok
        if tok.kind is not K.EOF:
            self.pos += 1
            self.tok = self.tokens[self.pos]
        return tok

    def next_kind(self) -> TokenKind:
        """The kind of the token after the current one."""
        return self.tokens[min(self.pos + 1, len(self.tokens) - 1)].kind

    def error(self, message: str, tok: Token | None = None) -> NyashSyntaxError:
        return NyashSyntaxError(message, (tok or self.tok).span)

    def unexpected(self, wanted: TokenKind) -> NyashSyntaxError:
        return self.error(f"Unexpected token {self.tok.kind.display}, expected {wanted.display}")

    def expect(self, kind: TokenKind) -> Token:
        if self.tok.kind is not kind:
            raise self.unexpected(kind)
        return self.advance()

    def ident(self) -> ast.Ident:
        tok = self.expect(K.IDENT)
        return ast.Ident(tok.value, tok.span)

    def skip_newlines_to(self, kind: TokenKind) -> bool:
        """Skip NEWLINEs only if `kind` follows them (for `else`, `catch`, `finally`, §2.2)."""
        i = self.pos
        while self.tokens[i].kind is K.NEWLINE:
            i += 1
        if self.tokens[i].kind is not kind:
            return False
        self.pos, self.tok = i, self.tokens[i]
        return True

    def skip(self, kinds: frozenset[TokenKind]) -> None:
        while self.tok.kind in kinds:
            self.advance()

    # ------------------------------------------------------------------------------------ types (erased)

    def parse_type(self) -> None:
        # type -> IDENT [ '<' type { ',' type } '>' ]     (erased)
        self.ident()
        if self.tok.kind is K.LESS:
            self.parse_type_args()

    def parse_type_args(self) -> None:
        # type_args -> '<' type { ',' type } '>'
        self.advance()
        self.parse_type()
        while self.tok.kind is K.COMMA:
            self.advance()
            self.parse_type()
        self.expect(K.GREATER)

    # ------------------------------------------------------------------------------------- expressions

    def parse_expr(self):
        # expr -> or_expr; or_expr .. mul_expr -> operand { OP operand }   (precedence of §2.3, all left)
        operands = [self.parse_unary()]
        ops: list[Token] = []
        while True:
            entry = BINARY.get(self.tok.kind)
            if entry is None:
                break
            while ops and BINARY[ops[-1].kind][0] >= entry[0]:
                self._reduce(operands, ops)
            ops.append(self.advance())
            operands.append(self.parse_unary())
        while ops:
            self._reduce(operands, ops)
        return operands[0]

    @staticmethod
    def _reduce(operands: list, ops: list[Token]) -> None:
        op = ops.pop()
        right = operands.pop()
        left = operands.pop()
        spelling = BINARY[op.kind][1]
        if op.kind is K.AND or op.kind is K.OR:
            operands.append(ast.Logical(spelling, left, right, op.span))
        else:
            operands.append(ast.Binary(spelling, left, right, op.span))

    def parse_unary(self):
        # unary -> ( '-' | 'not' | 'await' ) unary | postfix
        prefixes: list[Token] = []
        while self.tok.kind in PREFIX_OPS:
            prefixes.append(self.advance())
        node = self.parse_postfix()
        for op in reversed(prefixes):
            if op.kind is K.AWAIT:
                node = ast.Await(node, op.span)
            else:
                node = ast.Unary("-" if op.kind is K.MINUS else "not", node, op.span)
        return node

    def parse_postfix(self):
        # postfix -> primary { '.' IDENT [ '(' args ')' ] | '?' }
        node = self.parse_primary()
        while True:
            if self.tok.kind is K.DOT:
                self.advance()
                name = self.expect(K.IDENT)
                if self.tok.kind is K.LPAREN:
                    node = ast.MethodCall(node, name.value, self.parse_args(), name.span)
                else:
                    node = ast.FieldGet(node, name.value, name.span)
            elif self.tok.kind is K.QUESTION:
                node = ast.Propagate(node, self.advance().span)
            else:
                return node

    def parse_args(self) -> tuple:
        # args -> '(' [ expr { [','] expr } [','] ] ')'
        self.expect(K.LPAREN)
        args: list = []
        after_separator = True
        while self.tok.kind is not K.RPAREN:
            if not after_separator and self.tok.kind not in EXPR_START:
                raise self.unexpected(K.RPAREN)
            args.append(self.parse_expr())
            after_separator = self.tok.kind is K.COMMA
            if after_separator:
                self.advance()
        self.advance()
        return tuple(args)

    def parse_primary(self):
        # primary -> INTEGER | FLOAT | STRING | 'true' | 'false' | 'null' | 'void' | 'me' | IDENT ['(' args ')']
        #          | new_expr | from_call | '(' expr ')' | peek_expr | lambda
        handler = _PRIMARIES.get(self.tok.kind)
        if handler is None:
            raise self.error("Invalid expression")
        return handler(self)

    def parse_literal(self):
        # literal -> INTEGER | FLOAT | STRING | 'true' | 'false' | 'null' | 'void' | 'me'
        tok = self.advance()
        return _LITERALS[tok.kind](tok)

    def parse_name_or_call(self):
        # IDENT [ '(' args ')' ]
        tok = self.advance()
        if self.tok.kind is K.LPAREN:
            return ast.Call(tok.value, self.parse_args(), tok.span)
        return ast.Name(tok.value, tok.span)

    def parse_paren(self):
        # '(' expr ')'
        self.advance()
        node = self.parse_expr()
        self.expect(K.RPAREN)
        return node

    def parse_new(self) -> ast.New:
        # new_expr -> 'new' IDENT [ '<' type { ',' type } '>' ] '(' args ')'
        kw = self.advance()
        name = self.ident()
        if self.tok.kind is K.LESS:
            self.parse_type_args()
        return ast.New(name.name, self.parse_args(), kw.span, name.span)

    def parse_from_call(self) -> ast.FromCall:
        # from_call -> 'from' IDENT '.' ( IDENT | 'birth' | 'init' | 'pack' ) '(' args ')'
        kw = self.advance()
        parent = self.ident()
        self.expect(K.DOT)
        if self.tok.kind not in (K.IDENT, K.BIRTH, K.INIT, K.PACK):
            raise self.unexpected(K.IDENT)
        method = self.advance().text
        return ast.FromCall(parent.name, method, self.parse_args(), kw.span, parent.span)

    def parse_lambda(self) -> ast.Lambda:
        # lambda -> 'function' '(' params ')' block
        kw = self.advance()
        params = self.parse_params()
        return ast.Lambda(params, self.parse_block(), kw.span)

    def parse_peek(self) -> ast.Peek:
        # peek_expr -> 'peek' expr '{' { sep | ',' } { peek_arm { sep | ',' } }
        #              'else' '=>' arm_body { sep | ',' } '}'
        kw = self.advance()
        subject = self.parse_expr()
        self.expect(K.LBRACE)
        arms: list[ast.PeekArm] = []
        self.skip(ARM_SEPARATORS)
        while self.tok.kind is not K.ELSE:
            if self.tok.kind in (K.RBRACE, K.EOF):
                raise self.error("peek requires a final else arm")
            arms.append(self.parse_peek_arm())
            self.skip(ARM_SEPARATORS)
        self.advance()
        self.expect(K.ARROW)
        else_body = self.parse_arm_body()
        self.skip(ARM_SEPARATORS)
        if self.tok.kind in PATTERN_START or self.tok.kind is K.ELSE:
            raise self.error("peek requires a final else arm")
        self.expect(K.RBRACE)
        return ast.Peek(subject, tuple(arms), else_body, kw.span)

    def parse_peek_arm(self) -> ast.PeekArm:
        # peek_arm -> pattern '=>' arm_body
        start = self.tok
        pattern = self.parse_pattern()
        self.expect(K.ARROW)
        return ast.PeekArm(pattern, self.parse_arm_body(), start.span)

    def parse_pattern(self):
        # pattern -> ['-'] (INTEGER | FLOAT) | STRING | 'true' | 'false' | 'null' | 'void'
        if self.tok.kind is K.MINUS:
            minus = self.advance()
            if self.tok.kind not in (K.INTEGER, K.FLOAT):
                raise self.error("Invalid expression")
            number = self.advance()
            literal = ast.IntLit if number.kind is K.INTEGER else ast.FloatLit
            return literal(-number.value, minus.span)
        if self.tok.kind not in PATTERN_START:
            raise self.error("Invalid expression")
        return self.parse_literal()

    def parse_arm_body(self):
        # arm_body -> block | expr
        return self.parse_block() if self.tok.kind is K.LBRACE else self.parse_expr()


_LITERALS: dict[TokenKind, Callable[[Token], object]] = {
    K.INTEGER: lambda t: ast.IntLit(t.value, t.span), K.FLOAT: lambda t: ast.FloatLit(t.value, t.span),
    K.STRING: lambda t: ast.StringLit(t.value, t.span), K.TRUE: lambda t: ast.BoolLit(True, t.span),
    K.FALSE: lambda t: ast.BoolLit(False, t.span), K.NULL: lambda t: ast.NullLit(t.span),
    K.VOID: lambda t: ast.VoidLit(t.span), K.ME: lambda t: ast.Me(t.span),
}

_E = ExpressionParser
_PRIMARIES: dict[TokenKind, Callable] = {
    **{kind: _E.parse_literal for kind in _LITERALS},
    K.IDENT: _E.parse_name_or_call, K.LPAREN: _E.parse_paren, K.NEW: _E.parse_new, K.FROM: _E.parse_from_call,
    K.FUNCTION: _E.parse_lambda, K.PEEK: _E.parse_peek,
}
