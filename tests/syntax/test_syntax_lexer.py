"""Lexer: token kinds, NEWLINE rules, comments, literals, escapes and every lexing error (language.md §1)."""
import pytest

from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.lexer import tokenize
from nyash_run.syntax.tokens import TokenKind as K


def kinds(text):
    return [t.kind for t in tokenize(text, "t.ny")]


def names(text):
    return [t.kind.value for t in tokenize(text, "t.ny")][:-1]      # without EOF


def lex_error(text):
    with pytest.raises(NyashSyntaxError) as info:
        tokenize(text, "t.ny")
    err = info.value
    return f"{err.span.line}:{err.span.col}: {err.message}"


def test_every_punctuation_and_operator_has_its_display_name():
    text = "( ) { } , . : ; = => ? + - * / % == != < <= > >="
    assert names(text) == [
        "LPAREN", "RPAREN", "LBRACE", "RBRACE", "COMMA", "DOT", "COLON", "SEMICOLON", "ASSIGN", "ARROW",
        "QUESTION", "PLUS", "MINUS", "MULTIPLY", "DIVIDE", "MODULO", "EQUALS", "NOT_EQUALS", "LESS",
        "LESS_EQUALS", "GREATER", "GREATER_EQUALS"]


def test_every_keyword_lexes_as_its_upper_case_kind():
    words = ("and await birth box break catch continue else false finally fn from function global if include "
             "init local loop me new not nowait null or override pack peek print return static this throw "
             "true try void").split()
    expected = [w.upper() for w in words]
    expected[words.index("fn")] = "FUNCTION"
    expected[words.index("this")] = "ME"
    assert names(" ".join(words)) == expected


def test_symbol_aliases_are_the_keyword_tokens():
    assert kinds("&& || !")[:-1] == [K.AND, K.OR, K.NOT]


def test_literal_and_identifier_kinds_and_values():
    toks = tokenize('x 12 3.5 "s"', "t.ny")
    assert [t.kind.value for t in toks] == ["IDENTIFIER", "INTEGER", "FLOAT", "STRING", "EOF"]
    assert [t.value for t in toks[:4]] == ["x", 12, 3.5, "s"]


def test_public_private_and_ordinary_words_are_identifiers():
    assert kinds("public private while for match self constructor fini Result")[:-1] == [K.IDENT] * 9


def test_longest_match_and_double_greater_is_two_tokens():
    assert names("a>>b") == ["IDENTIFIER", "GREATER", "GREATER", "IDENTIFIER"]
    assert names("a<=b=>c==d!=e") == ["IDENTIFIER", "LESS_EQUALS", "IDENTIFIER", "ARROW", "IDENTIFIER",
                                      "EQUALS", "IDENTIFIER", "NOT_EQUALS", "IDENTIFIER"]


def test_positions_count_code_points_and_tab_is_one_column():
    toks = tokenize('é\tx\n  "ü" y', "t.ny")
    assert [(t.line, t.col) for t in toks] == [(1, 1), (1, 3), (1, 4), (2, 3), (2, 7), (2, 8)]


def test_leading_byte_order_mark_is_skipped():
    toks = tokenize("\ufeffx", "t.ny")
    assert toks[0].kind is K.IDENT and (toks[0].line, toks[0].col) == (1, 1)


def test_crlf_and_unicode_white_space_separate_tokens():
    assert names("a\r\nb\u3000c\u00a0d\u2028e") == ["IDENTIFIER", "NEWLINE"] + ["IDENTIFIER"] * 4


def test_newline_and_semicolon_tokens():
    assert names("a\nb;c") == ["IDENTIFIER", "NEWLINE", "IDENTIFIER", "SEMICOLON", "IDENTIFIER"]


@pytest.mark.parametrize("op", "+ - * / % == != < <= > >= and && or || not ! = , => await".split())
def test_newline_suppressed_after_binary_operator(op):
    assert K.NEWLINE not in kinds(f"a {op}\n\n b")


def test_newline_kept_before_operator():
    assert names("a\n+ b") == ["IDENTIFIER", "NEWLINE", "PLUS", "IDENTIFIER"]


def test_newline_suppressed_inside_parentheses():
    assert K.NEWLINE not in kinds("f(a\n,\nb\n)")


def test_newline_produced_when_brace_is_on_top_inside_parentheses():
    assert names("f(fn() {\nx\n})") == ["IDENTIFIER", "LPAREN", "FUNCTION", "LPAREN", "RPAREN", "LBRACE",
                                        "NEWLINE", "IDENTIFIER", "NEWLINE", "RBRACE", "RPAREN"]


def test_newline_produced_after_closing_paren_pops_the_stack():
    assert names("(a)\nb") == ["LPAREN", "IDENTIFIER", "RPAREN", "NEWLINE", "IDENTIFIER"]


def test_unbalanced_closer_does_not_break_the_stack():
    assert names(")\nx") == ["RPAREN", "NEWLINE", "IDENTIFIER"]


def test_line_comments_keep_their_newline():
    assert names("a // c\nb # d\nc") == ["IDENTIFIER", "NEWLINE", "IDENTIFIER", "NEWLINE", "IDENTIFIER"]


def test_block_comment_on_one_line_produces_nothing():
    assert names("a /* x */ b") == ["IDENTIFIER", "IDENTIFIER"]


def test_block_comment_with_line_breaks_produces_one_newline_and_lines_continue():
    toks = tokenize("a /* x\n\n y */ b", "t.ny")
    assert [t.kind for t in toks] == [K.IDENT, K.NEWLINE, K.IDENT, K.EOF]
    assert (toks[1].line, toks[1].col) == (1, 3)
    assert (toks[2].line, toks[2].col) == (3, 7)


def test_block_comments_do_not_nest():
    assert names("/* /* */ x */") == ["IDENTIFIER", "MULTIPLY", "DIVIDE"]


def test_comment_markers_inside_strings_are_text():
    toks = tokenize('"// # /* x"', "t.ny")
    assert toks[0].value == "// # /* x"


def test_integer_dot_method_is_not_a_float():
    assert names("1.toString()") == ["INTEGER", "DOT", "IDENTIFIER", "LPAREN", "RPAREN"]
    assert names("3.14.toString()") == ["FLOAT", "DOT", "IDENTIFIER", "LPAREN", "RPAREN"]


def test_number_followed_by_letters_is_two_tokens():
    toks = tokenize("3abc 1e5", "t.ny")
    assert [(t.kind, t.value) for t in toks[:-1]] == [(K.INTEGER, 3), (K.IDENT, "abc"), (K.INTEGER, 1),
                                                       (K.IDENT, "e5")]


def test_largest_integer_is_accepted():
    assert tokenize("9223372036854775807", "t.ny")[0].value == 9223372036854775807


def test_float_value_is_nearest_double():
    assert tokenize("0.1", "t.ny")[0].value == 0.1


def test_unicode_identifiers_use_letter_and_digit_categories():
    toks = tokenize("数値 _x1 ñandú x٣ xⅫ", "t.ny")
    assert [t.value for t in toks[:-1]] == ["数値", "_x1", "ñandú", "x٣", "xⅫ"]


def test_string_escapes():
    assert tokenize(r'"a\nb\tc\rd\\e\"f"', "t.ny")[0].value == 'a\nb\tc\rd\\e"f'


def test_unknown_escape_keeps_both_characters():
    assert tokenize(r'"\d\q"', "t.ny")[0].value == "\\d\\q"


def test_string_spans_lines_and_line_counting_continues():
    toks = tokenize('"a\nb" x\ny', "t.ny")
    assert toks[0].value == "a\nb"
    assert (toks[1].line, toks[1].col) == (2, 4)
    assert (toks[3].line, toks[3].col) == (3, 1)


def test_single_quote_is_unexpected_character():
    assert lex_error("x = 'a'") == "1:5: Unexpected character '''"


@pytest.mark.parametrize("char", list("[]&|^~@$\\`"))
def test_unexpected_character(char):
    assert lex_error(f"a\n  {char}") == f"2:3: Unexpected character '{char}'"


def test_non_ascii_digit_cannot_start_an_identifier():
    assert lex_error("x = ٣") == "1:5: Unexpected character '٣'"


def test_byte_order_mark_inside_text_is_unexpected():
    assert lex_error("x\ufeff") == "1:2: Unexpected character '\ufeff'"


def test_unterminated_string_positioned_at_opening_quote():
    assert lex_error('x = 1\n  y = "abc\n\n') == "2:7: Unterminated string literal"


def test_string_ending_in_escaped_quote_is_unterminated():
    assert lex_error('"abc\\"') == "1:1: Unterminated string literal"


def test_unterminated_block_comment_positioned_at_opener():
    assert lex_error("a\n b /* x\n y") == "2:4: Unterminated block comment"


def test_integer_overflow_is_invalid_number_format():
    assert lex_error("x = 1 +\n 9223372036854775808") == "2:2: Invalid number format"


@pytest.mark.parametrize("word", ["interface", "outbox", "singleton", "using", "weak"])
def test_reserved_keyword_is_unsupported_feature(word):
    assert lex_error(f"x\n {word} y") == f"2:2: Unsupported feature: {word}"


def test_eof_token_after_last_character():
    toks = tokenize("ab\n", "t.ny")
    assert toks[-1].kind is K.EOF and (toks[-1].line, toks[-1].col) == (2, 1)
