"""Streamlit's magic draws any bare expression of a page script, a string included: a note written
as a string under a constant appeared on the clients page as a paragraph. Only the module's own
docstring (the first statement) is left alone by Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_a_page_script_has_no_bare_string_after_its_docstring(script):
    tree = ast.parse(script.read_text(encoding="utf-8"))
    bare = [
        node.lineno
        for index, node in enumerate(tree.body)
        if index > 0
        and isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]
    assert not bare, f"{script.name}: bare strings at lines {bare} would be drawn on the page"
