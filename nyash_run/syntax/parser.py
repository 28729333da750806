"""The parser: tokens -> ast.Program (language.md §2).

In: the token list of one file (from lexer.tokenize, ending with EOF) and the file name. Out: an
`ast.Program` whose items are the file's top-level declarations, includes and statements in source order.
`parse` raises the first syntax error (a NyashSyntaxError positioned at the token at fault, §2.2);
`parse_all` records every error it can find, resynchronising at the next statement or member boundary, and
its first error is always the one `parse` raises.

Recursive descent, one method per grammar rule (its first line is the rule). This module holds the
statements and declarations; expressions and the token cursor are in syntax.expressions.
"""
from __future__ import annotations

import sys
from typing import Callable

from nyash_run.syntax import ast
from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.expressions import EXPR_START, ExpressionParser
from nyash_run.syntax.tokens import Token, TokenKind

K = TokenKind

SEPARATORS = frozenset({K.NEWLINE, K.SEMICOLON})
# A bare block's `{` must start its line or follow one of these (§2.2), so `while c { }` is rejected.
BARE_BLOCK_AFTER = frozenset({K.NEWLINE, K.SEMICOLON, K.LBRACE, K.RBRACE})
RETURN_ENDS = frozenset({K.NEWLINE, K.SEMICOLON, K.RBRACE, K.EOF})

# Deeply nested input (a few hundred parentheses or blocks) needs more than Python's default 1000 frames.
RECURSION_LIMIT = 20000


class _BoxBuilder:
    """The members of the box being parsed, gathered by kind in source order."""

    def __init__(self, name: str, is_static: bool):
        self.name = name
        self.is_static = is_static
        self.fields: list[ast.FieldDecl] = []
        self.constructors: list[ast.Constructor] = []
        self.methods: list[ast.Method] = []
        self.static_init: ast.Block | None = None


class Parser(ExpressionParser):
    """One parse of one file. With `recover` set, errors are recorded and parsing goes on."""

    def __init__(self, tokens: list[Token], file: str, recover: bool = False):
        super().__init__(tokens)
        self.file = file
        self.recover = recover
        self.errors: list[NyashSyntaxError] = []
        self._seen: set[tuple[str, object]] = set()

    # ------------------------------------------------------------------------------------ error recovery

    def recover_from(self, err: NyashSyntaxError, start: int) -> None:
        """Record `err` and skip to the next statement or member boundary (or re-raise without recovery)."""
        if not self.recover:
            raise err
        key = (err.message, err.span)
        if key not in self._seen:        # an unclosed block is reported once, not once per nesting level
            self._seen.add(key)
            self.errors.append(err)
        depth = 0
        while self.tok.kind is not K.EOF:
            kind = self.tok.kind
            if depth == 0 and (kind in SEPARATORS or kind is K.RBRACE):
                break
            depth += 1 if kind is K.LBRACE else -1 if kind is K.RBRACE else 0
            self.advance()
        if self.pos == start:            # always make progress (a stray `}` at top level)
            self.advance()

    # ---------------------------------------------------------------------------------------- top level

    def parse_program(self) -> ast.Program:
        # program -> { sep | top_item } EOF
        items: list = []
        while self.tok.kind is not K.EOF:
            if self.tok.kind in SEPARATORS:
                self.advance()
                continue
            start = self.pos
            try:
                items.append(self.parse_top_item())
            except NyashSyntaxError as err:
                self.recover_from(err, start)
        return ast.Program(self.file, tuple(items))

    def parse_top_item(self):
        # top_item -> box_decl | function_decl | static_function_decl | include_stmt | statement
        kind = self.tok.kind
        if kind is K.BOX:
            return self.parse_box_decl()
        if kind is K.STATIC:
            following = self.next_kind()
            if following is K.BOX:
                return self.parse_box_decl()
            if following is K.FUNCTION:
                return self.parse_static_function_decl()
            self.advance()
            raise self.unexpected(K.BOX)
        if kind is K.FUNCTION and self.next_kind() is not K.LPAREN:
            return self.parse_function_decl()
        if kind is K.INCLUDE:
            return self.parse_include()
        return self.parse_statement()

    def parse_include(self) -> ast.Include:
        # include_stmt -> 'include' STRING
        kw = self.advance()
        path = self.expect(K.STRING)
        return ast.Include(path.value, kw.span)

    def parse_function_decl(self) -> ast.FunctionDecl:
        # function_decl -> 'function' IDENT '(' params ')' block
        kw = self.advance()
        name = self.ident()
        params = self.parse_params()
        body = self.parse_block()
        return ast.FunctionDecl(name.name, None, params, body, kw.span, name.span)

    def parse_static_function_decl(self) -> ast.FunctionDecl:
        # static_function_decl -> 'static' 'function' IDENT ['.' IDENT] '(' params ')' block
        kw = self.advance()
        self.advance()
        first = self.ident()
        owner, name = None, first
        if self.tok.kind is K.DOT:
            self.advance()
            owner, name = first.name, self.ident()
        params = self.parse_params()
        body = self.parse_block()
        # The declared name `B.f` starts at `B`, so that is where a duplicate is reported.
        return ast.FunctionDecl(name.name, owner, params, body, kw.span, first.span)

    def parse_params(self) -> tuple[ast.Ident, ...]:
        # params -> '(' [ IDENT { [','] IDENT } [','] ] ')'
        self.expect(K.LPAREN)
        params: list[ast.Ident] = []
        seen: set[str] = set()
        after_separator = True
        while self.tok.kind is not K.RPAREN:
            if self.tok.kind is not K.IDENT:
                raise self.unexpected(K.IDENT if after_separator else K.RPAREN)
            tok = self.advance()
            if tok.value in seen:
                raise self.error(f"Duplicate parameter '{tok.value}'", tok)
            seen.add(tok.value)
            params.append(ast.Ident(tok.value, tok.span))
            after_separator = self.tok.kind is K.COMMA
            if after_separator:
                self.advance()
        self.advance()
        return tuple(params)

    # ------------------------------------------------------------------------------------------- boxes

    def parse_box_decl(self) -> ast.BoxDecl:
        # box_decl -> ['static'] 'box' IDENT [type_params] ['from' IDENT {',' IDENT}] box_body
        first = self.advance()
        is_static = first.kind is K.STATIC
        if is_static:
            self.advance()
        name = self.ident()
        if self.tok.kind is K.LESS:
            self.parse_type_params()
        parents: list[ast.Ident] = []
        if self.tok.kind is K.FROM:
            self.advance()
            parents.append(self.ident())
            while self.tok.kind is K.COMMA:
                self.advance()
                parents.append(self.ident())
        box = _BoxBuilder(name.name, is_static)
        self.parse_box_body(box)
        return ast.BoxDecl(name.name, is_static, tuple(parents), tuple(box.fields), tuple(box.constructors),
                           tuple(box.methods), box.static_init, first.span, name.span)

    def parse_type_params(self) -> None:
        # type_params -> '<' IDENT { ',' IDENT } '>'      (erased)
        self.advance()
        self.ident()
        while self.tok.kind is K.COMMA:
            self.advance()
            self.ident()
        self.expect(K.GREATER)

    def parse_box_body(self, box: _BoxBuilder) -> None:
        # box_body -> '{' { sep | member } '}'
        self.expect(K.LBRACE)
        while True:
            kind = self.tok.kind
            if kind is K.RBRACE:
                self.advance()
                return
            if kind in SEPARATORS:
                self.advance()
                continue
            if kind is K.EOF:
                raise self.unexpected(K.RBRACE)
            start = self.pos
            try:
                self.parse_member(box)
            except NyashSyntaxError as err:
                self.recover_from(err, start)

    def parse_member(self, box: _BoxBuilder) -> None:
        # member -> field_group | field_decl | constructor | method | static_init
        tok, kind = self.tok, self.tok.kind
        following = self.next_kind()
        if kind is K.INIT and following is K.LBRACE:
            self.parse_field_group(box)
        elif kind in (K.INIT, K.BIRTH, K.PACK):
            box.constructors.append(self.parse_constructor(box))
        elif kind is K.IDENT and tok.value in ("public", "private"):
            # keywords here only (§1.4); visibility is parsed and ignored (§10)
            if following is K.LBRACE:
                self.parse_field_group(box)
            else:
                self.advance()
                self.parse_field_item(box)
        elif kind is K.OVERRIDE or (kind is K.IDENT and following is K.LPAREN):
            box.methods.append(self.parse_method(box))
        elif kind is K.IDENT:
            self.parse_field_item(box)
        elif kind is K.STATIC:
            self.parse_static_init(box)
        else:
            raise self.error("Invalid box member")

    def parse_field_group(self, box: _BoxBuilder) -> None:
        # field_group -> ('init' | 'public' | 'private') '{' { NEWLINE | field_item [','] } '}'
        self.advance()
        self.advance()
        while self.tok.kind is not K.RBRACE:
            if self.tok.kind is K.NEWLINE:
                self.advance()
                continue
            if self.tok.kind is not K.IDENT:
                raise self.unexpected(K.RBRACE)
            self.parse_field_item(box)
            if self.tok.kind is K.COMMA:
                self.advance()
        self.advance()

    def parse_field_item(self, box: _BoxBuilder) -> None:
        # field_item -> IDENT [ ':' type ]
        name = self.ident()
        if self.tok.kind is K.COLON:
            self.advance()
            self.parse_type()
        box.fields.append(ast.FieldDecl(name.name, name.span))

    def parse_constructor(self, box: _BoxBuilder) -> ast.Constructor:
        # constructor -> ('birth' | 'init' | 'pack') '(' params ')' block
        kw = self.advance()
        if box.is_static:
            raise self.error("Invalid box member", kw)
        params = self.parse_params()
        body = self.parse_block()
        return ast.Constructor(kw.text, params, body, kw.span)

    def parse_method(self, box: _BoxBuilder) -> ast.Method:
        # method -> ['override'] IDENT '(' params ')' block
        if self.tok.kind is K.OVERRIDE:
            self.advance()
        name = self.ident()
        if name.name == box.name:
            raise NyashSyntaxError(f"Use birth() as the constructor, not {name.name}()", name.span)
        params = self.parse_params()
        body = self.parse_block()
        return ast.Method(name.name, params, body, name.span)

    def parse_static_init(self, box: _BoxBuilder) -> None:
        # static_init -> 'static' block        (static boxes only, at most one)
        kw = self.advance()
        if not box.is_static or box.static_init is not None:
            raise self.error("Invalid box member", kw)
        box.static_init = self.parse_block()

    # -------------------------------------------------------------------------------------- statements

    def parse_block(self) -> ast.Block:
        # block -> '{' { sep | statement } '}'
        lbrace = self.expect(K.LBRACE)
        stmts: list = []
        while True:
            kind = self.tok.kind
            if kind is K.RBRACE:
                self.advance()
                return ast.Block(tuple(stmts), lbrace.span)
            if kind in SEPARATORS:
                self.advance()
                continue
            if kind is K.EOF:
                raise self.unexpected(K.RBRACE)
            start = self.pos
            try:
                stmts.append(self.parse_statement())
            except NyashSyntaxError as err:
                self.recover_from(err, start)

    def parse_statement(self):
        # statement -> local_stmt | global_stmt | if_stmt | loop_stmt | 'break' | 'continue' | return_stmt
        #            | print_stmt | try_stmt | throw_stmt | nowait_stmt | block | expr ['=' expr]
        kind = self.tok.kind
        handler = _STATEMENTS.get(kind)
        if handler is not None:
            return handler(self)
        if (kind is K.FUNCTION and self.next_kind() is K.IDENT) or kind in (K.BOX, K.STATIC, K.INCLUDE):
            raise self.error("Declarations are only allowed at top level")
        if kind in EXPR_START:
            return self.parse_expr_statement()
        raise self.error("Invalid statement")

    def parse_bare_block(self) -> ast.Block:
        # statement -> block        (its '{' starts a line or follows ';', '{' or '}')
        if self.pos > 0 and self.tokens[self.pos - 1].kind not in BARE_BLOCK_AFTER:
            raise self.error("Invalid statement")
        return self.parse_block()

    def parse_expr_statement(self):
        # statement -> expr [ '=' expr ]
        start = self.tok
        target = self.parse_expr()
        if self.tok.kind is not K.ASSIGN:
            return ast.ExprStmt(target, start.span)
        # Only `name = e` and `e.name = e`; a parenthesised name is not an IDENT (§2.2).
        if not (isinstance(target, ast.FieldGet) or (isinstance(target, ast.Name) and start.kind is K.IDENT)):
            raise self.error("Invalid assignment target", start)
        self.advance()
        return ast.Assign(target, self.parse_expr(), start.span)

    def parse_local(self) -> ast.Local:
        # local_stmt -> 'local' IDENT ( '=' expr | { ',' IDENT } )
        kw = self.advance()
        names = [self.ident()]
        if self.tok.kind is K.ASSIGN:
            self.advance()
            return ast.Local(tuple(names), self.parse_expr(), kw.span)
        while self.tok.kind is K.COMMA:
            self.advance()
            names.append(self.ident())
        return ast.Local(tuple(names), None, kw.span)

    def parse_global(self) -> ast.Global:
        # global_stmt -> 'global' IDENT '=' expr
        kw = self.advance()
        name = self.ident()
        self.expect(K.ASSIGN)
        return ast.Global(name, self.parse_expr(), kw.span)

    def parse_if(self) -> ast.If:
        # if_stmt -> 'if' expr block [ {NEWLINE} 'else' ( if_stmt | block ) ]
        # An `else if` chain is collected in a loop and folded from the end, so its length costs no frames.
        chain: list[tuple[Token, ast.Expr, ast.Block]] = []
        final: ast.Block | None = None
        while True:
            kw = self.advance()
            chain.append((kw, self.parse_expr(), self.parse_block()))
            if not self.skip_newlines_to(K.ELSE):
                break
            self.advance()
            if self.tok.kind is not K.IF:
                final = self.parse_block()
                break
        node = final
        for kw, cond, then in reversed(chain):
            node = ast.If(cond, then, node, kw.span)
        return node

    def parse_loop(self) -> ast.Loop:
        # loop_stmt -> 'loop' ['(' expr ')'] block
        kw = self.advance()
        cond = None
        if self.tok.kind is K.LPAREN:
            self.advance()
            cond = self.parse_expr()
            self.expect(K.RPAREN)
        return ast.Loop(cond, self.parse_block(), kw.span)

    def parse_break(self) -> ast.Break:
        # 'break'
        return ast.Break(self.advance().span)

    def parse_continue(self) -> ast.Continue:
        # 'continue'
        return ast.Continue(self.advance().span)

    def parse_return(self) -> ast.Return:
        # return_stmt -> 'return' [ expr ]      (no value exactly before NEWLINE, ';', '}' or EOF)
        kw = self.advance()
        value = None if self.tok.kind in RETURN_ENDS else self.parse_expr()
        return ast.Return(value, kw.span)

    def parse_print(self) -> ast.Print:
        # print_stmt -> 'print' '(' expr ')'
        kw = self.advance()
        self.expect(K.LPAREN)
        value = self.parse_expr()
        self.expect(K.RPAREN)
        return ast.Print(value, kw.span)

    def parse_try(self) -> ast.Try:
        # try_stmt -> 'try' block { {NEWLINE} catch_clause } [ {NEWLINE} 'finally' block ]
        kw = self.advance()
        body = self.parse_block()
        catches: list[ast.Catch] = []
        while self.skip_newlines_to(K.CATCH):
            catches.append(self.parse_catch())
        finally_ = None
        if self.skip_newlines_to(K.FINALLY):
            self.advance()
            finally_ = self.parse_block()
        if not catches and finally_ is None:
            raise self.error("Expected catch or finally after try block")
        return ast.Try(body, tuple(catches), finally_, kw.span)

    def parse_catch(self) -> ast.Catch:
        # catch_clause -> 'catch' '(' [IDENT] IDENT ')' block
        kw = self.advance()
        self.expect(K.LPAREN)
        type_name, var = None, self.ident()
        if self.tok.kind is K.IDENT:
            type_name, var = var.name, self.ident()
        self.expect(K.RPAREN)
        return ast.Catch(type_name, var, self.parse_block(), kw.span)

    def parse_throw(self) -> ast.Throw:
        # throw_stmt -> 'throw' expr
        kw = self.advance()
        return ast.Throw(self.parse_expr(), kw.span)

    def parse_nowait(self) -> ast.Nowait:
        # nowait_stmt -> 'nowait' IDENT '=' expr
        kw = self.advance()
        name = self.ident()
        self.expect(K.ASSIGN)
        return ast.Nowait(name, self.parse_expr(), kw.span)


_STATEMENTS: dict[TokenKind, Callable] = {
    K.LOCAL: Parser.parse_local, K.GLOBAL: Parser.parse_global, K.IF: Parser.parse_if,
    K.LOOP: Parser.parse_loop, K.BREAK: Parser.parse_break, K.CONTINUE: Parser.parse_continue,
    K.RETURN: Parser.parse_return, K.PRINT: Parser.parse_print, K.TRY: Parser.parse_try,
    K.THROW: Parser.parse_throw, K.NOWAIT: Parser.parse_nowait, K.LBRACE: Parser.parse_bare_block,
}


def with_deep_stack(func: Callable, *args):
    """Call func(*args) with room for deeply nested programs (Python 3.11 calls between Python functions
    use no C stack, so a higher limit is safe)."""
    # the limit is set exactly (not only raised) so that how deep a program may nest does not depend on
    # what ran before in this process
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(RECURSION_LIMIT)
    try:
        return func(*args)
    finally:
        sys.setrecursionlimit(old)


def _run(parser: Parser) -> ast.Program:
    try:
        return with_deep_stack(parser.parse_program)
    except RecursionError:
        raise parser.error("Program is nested too deeply") from None


def parse(tokens: list[Token], file: str) -> ast.Program:
    """Parse one file's tokens; raise the first syntax error."""
    return _run(Parser(tokens, file))


def parse_all(tokens: list[Token], file: str) -> tuple[ast.Program, list[NyashSyntaxError]]:
    """Parse one file's tokens, recovering after errors; returns the (partial) program and every error."""
    parser = Parser(tokens, file, recover=True)
    try:
        program = _run(parser)
    except NyashSyntaxError as err:          # only "nested too deeply" escapes recovery
        return ast.Program(file, ()), parser.errors + [err]
    return program, parser.errors
