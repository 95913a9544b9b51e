"""The domain and standards packages stay pure Python: no web framework, ORM or form library.

Scoring must be explainable and testable on its own (STYLE.md), so these packages may not import
Flask, SQLAlchemy, WTForms or their extensions, directly or via `from ... import`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "accredit"
PURE = ("domain", "standards")
FORBIDDEN = {"flask", "sqlalchemy", "wtforms", "flask_login", "flask_wtf", "alembic"}
MODULES = sorted(p for name in PURE for p in (PACKAGE / name).rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            roots.add(str(node.args[0].value).split(".")[0])
    return roots


def test_pure_packages_exist():
    assert MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_module_imports_nothing_impure(path):
    assert not imported_roots(path) & FORBIDDEN


def test_the_check_sees_forbidden_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nimport flask.json\nfrom sqlalchemy.orm import Session\n"
        "def f():\n    from wtforms import Form\n    __import__('alembic')\n"
    )
    assert imported_roots(sample) & FORBIDDEN == {"flask", "sqlalchemy", "wtforms", "alembic"}
