"""The front end: source text -> tokens (lexer) -> ast.Program (parser) -> load checks (semantic, loader)."""
