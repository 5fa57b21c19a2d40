"""Test modules share code through ``tests/helpers/`` or ``conftest.py``, never by importing each other
(a test module imported elsewhere runs its module-level code twice and ties unrelated tests together)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

SHARED = ("tests.conftest", "tests.helpers")


def test_no_test_module_imports_another():
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            found += [f"{path.relative_to(ROOT)} imports {n}" for n in names
                      if n.startswith("tests.") and not n.startswith(SHARED)]
    assert not found, "\n".join(found)
