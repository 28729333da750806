"""The load phase: reading files, includes (§9.5), and which load error is reported (§8.2)."""
import os

import pytest

from nyash_run.syntax import ast
from nyash_run.syntax.errors import NyashSyntaxError
from nyash_run.syntax.loader import check_program, load_program


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def printed(program):
    """The string literals printed by top-level `print("...")` statements, in execution order."""
    return [item.value.value for item in program.items if isinstance(item, ast.Print)]


def load_error(path, unsupported=frozenset()):
    with pytest.raises(NyashSyntaxError) as info:
        load_program(str(path), unsupported)
    err = info.value
    return err.message if err.span is None else f"{err.span}: {err.message}"


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_loaded_program_fields(in_tmp):
    write(in_tmp / "main.ny", 'print("a")\nbox A { }\nfunction f() { }')
    program = load_program("main.ny")
    assert program.main_file == "main.ny"
    assert printed(program) == ["a"] and set(program.decls.boxes) == {"A"}
    assert program.sources.line("main.ny", 2) == "box A { }"
    assert program.items[0].span.file == "main.ny"


def test_include_resolves_against_including_file_and_flattens_in_place(in_tmp):
    write(in_tmp / "app" / "main.ny", 'print("m1")\ninclude "lib/a.ny"\nprint("m2")')
    write(in_tmp / "app" / "lib" / "a.ny", 'print("a1")\ninclude "../b.ny"\nprint("a2")')
    write(in_tmp / "app" / "b.ny", 'print("b")\nfunction fromB() { }')
    program = load_program("app/main.ny")
    assert printed(program) == ["m1", "a1", "b", "a2", "m2"]
    assert "fromB" in program.decls.functions
    assert program.files == ("app/main.ny", os.path.join("app", "lib", "a.ny"), os.path.join("app", "b.ny"))
    b_print = program.items[2]
    assert b_print.span.file == os.path.join("app", "b.ny")
    assert program.sources.line(os.path.join("app", "b.ny"), 1) == 'print("b")'


def test_each_file_is_included_once_and_main_file_counts(in_tmp):
    write(in_tmp / "main.ny", 'include "lib.ny"\nprint("m")\ninclude "./lib.ny"\ninclude "main.ny"')
    write(in_tmp / "lib.ny", 'print("lib")\ninclude "main.ny"\ninclude "lib.ny"')
    program = load_program("main.ny")
    assert printed(program) == ["lib", "m"]
    assert not any(isinstance(item, ast.Include) for item in program.items)


def test_absolute_include_path_is_used_as_is(in_tmp):
    lib = write(in_tmp / "elsewhere" / "lib.ny", 'print("abs")')
    write(in_tmp / "main.ny", f'include "{lib}"')
    program = load_program("main.ny")
    assert printed(program) == ["abs"] and program.items[0].span.file == str(lib)


def test_unreadable_include_is_a_load_error_at_the_include(in_tmp):
    write(in_tmp / "main.ny", 'print("x")\n  include "sub/missing.ny"')
    missing = os.path.join("sub", "missing.ny")
    assert load_error("main.ny") == f"main.ny:2:3: Failed to read file '{missing}'"


def test_include_of_a_directory_is_unreadable(in_tmp):
    (in_tmp / "dir.ny").mkdir()
    write(in_tmp / "main.ny", 'include "dir.ny"')
    assert load_error("main.ny") == "main.ny:1:1: Failed to read file 'dir.ny'"


def test_included_file_not_utf8_is_reported_at_the_include(in_tmp):
    write(in_tmp / "main.ny", 'include "bad.ny"')
    write(in_tmp / "bad.ny", b'print("\xff")')
    assert load_error("main.ny") == "main.ny:1:1: Source file is not valid UTF-8"


def test_main_file_missing_or_directory_has_no_position(in_tmp):
    assert load_error("nope.ny") == "Failed to read file 'nope.ny'"
    (in_tmp / "d.ny").mkdir()
    assert load_error("d.ny") == "Failed to read file 'd.ny'"


def test_main_file_not_utf8_has_no_position(in_tmp):
    write(in_tmp / "main.ny", b"print(1)\n\xc3\x28")
    assert load_error("main.ny") == "Source file is not valid UTF-8"


def test_byte_order_mark_is_stripped_from_every_file(in_tmp):
    write(in_tmp / "main.ny", '\ufeffinclude "lib.ny"\nx = @')
    write(in_tmp / "lib.ny", '\ufeffprint("lib")')
    assert load_error("main.ny") == "main.ny:2:5: Unexpected character '@'"
    write(in_tmp / "main.ny", '\ufeffinclude "lib.ny"')
    program = load_program("main.ny")
    assert printed(program) == ["lib"] and program.sources.line("main.ny", 1) == 'include "lib.ny"'


def test_syntax_errors_come_in_load_order(in_tmp):
    write(in_tmp / "main.ny", 'include "a.ny"\ninclude "b.ny"')
    write(in_tmp / "a.ny", "x = )")
    write(in_tmp / "b.ny", "y = )")
    assert load_error("main.ny") == "a.ny:1:5: Invalid expression"


def test_main_file_syntax_error_precedes_included_files(in_tmp):
    write(in_tmp / "main.ny", 'include "a.ny"\nz = )')
    write(in_tmp / "a.ny", "x = )")
    assert load_error("main.ny") == "main.ny:2:5: Invalid expression"


def test_syntax_error_precedes_declaration_error_precedes_context_error(in_tmp):
    write(in_tmp / "main.ny", "break\nbox A { }\nbox A { }\nx = )")
    assert load_error("main.ny") == "main.ny:4:5: Invalid expression"
    write(in_tmp / "main.ny", "break\nbox A { }\nbox A { }")
    assert load_error("main.ny") == "main.ny:3:5: Duplicate declaration of 'A'"
    write(in_tmp / "main.ny", "print(1)\nbreak\nreturn")
    assert load_error("main.ny") == "main.ny:2:1: Break outside of loop"


def test_declarations_of_included_files_join_the_program(in_tmp):
    write(in_tmp / "main.ny", 'box A from B { }\ninclude "b.ny"')
    write(in_tmp / "b.ny", "box B { }\nbox A { }")
    assert load_error("main.ny") == "b.ny:2:5: Duplicate declaration of 'A'"


def test_unsupported_include_is_reported_even_for_repeated_includes(in_tmp):
    write(in_tmp / "main.ny", 'include "lib.ny"')
    write(in_tmp / "lib.ny", "print(1)")
    assert load_error("main.ny", frozenset({"include"})) == (
        "main.ny:1:1: Unsupported feature on this backend: include")
    program = load_program("main.ny", frozenset({"peek"}))
    assert len(program.items) == 1


def test_context_errors_follow_execution_order_across_files(in_tmp):
    write(in_tmp / "main.ny", 'include "lib.ny"\nbreak')
    write(in_tmp / "lib.ny", "continue")
    assert load_error("main.ny") == "lib.ny:1:1: Continue outside of loop"


# --------------------------------------------------------------------------------------------- check_program

def messages(errors):
    return [e.message if e.span is None else f"{e.span}: {e.message}" for e in errors]


def test_check_reports_syntax_errors_of_every_file(in_tmp):
    write(in_tmp / "main.ny", 'x = )\ninclude "a.ny"\ninclude "gone.ny"\nbreak')
    write(in_tmp / "a.ny", "y = @\n")
    program, errors = check_program("main.ny")
    assert program is None
    assert messages(errors) == ["main.ny:1:5: Invalid expression", "a.ny:1:5: Unexpected character '@'",
                                "main.ny:3:1: Failed to read file 'gone.ny'"]


def test_check_reports_all_declaration_and_context_errors_when_syntax_is_clean(in_tmp):
    write(in_tmp / "main.ny", "box A { }\nbox A { }\nbreak\nfunction f() { continue }\nprint(me)")
    program, errors = check_program("main.ny", frozenset())
    assert program is not None and set(program.decls.boxes) == {"A"}
    assert messages(errors) == ["main.ny:2:5: Duplicate declaration of 'A'", "main.ny:3:1: Break outside of loop",
                                "main.ny:4:16: Continue outside of loop",
                                "main.ny:5:7: 'me' is only available inside methods"]


def test_check_of_clean_program_has_no_errors(in_tmp):
    write(in_tmp / "main.ny", 'print("ok")')
    program, errors = check_program("main.ny")
    assert errors == [] and printed(program) == ["ok"]


def test_check_of_unreadable_main_file(in_tmp):
    program, errors = check_program("missing.ny")
    assert program is None and messages(errors) == ["Failed to read file 'missing.ny'"]


def test_check_first_error_matches_load_error(in_tmp):
    write(in_tmp / "main.ny", "box A {\n  A() { }\n  3\n}\nx = )")
    _, errors = check_program("main.ny")
    assert len(errors) == 3
    assert messages(errors)[0] == load_error("main.ny") == "main.ny:2:3: Use birth() as the constructor, not A()"


def test_load_error_in_included_file_carries_its_source_for_the_caret(in_tmp):
    from nyash_run.diagnostics import render_error
    write(in_tmp / "main.ny", 'include "lib.ny"')
    write(in_tmp / "lib.ny", "print(1)\n\tx = )\n")
    with pytest.raises(NyashSyntaxError) as info:
        load_program("main.ny")
    err = info.value
    rendered = render_error(err.message, err.span, err.sources)
    assert rendered == "lib.ny:2:6: error: Invalid expression\n\tx = )\n\t    ^"
