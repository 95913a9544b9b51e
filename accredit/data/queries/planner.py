"""Hints for SQLite's query planner, rendered as plain SQL on other databases.

SQLite chooses a join order from what it guesses each condition keeps. Told only that
``assessments.status = 'draft'`` can use an index, it walked every draft assessment for each
of a cohort's 10,000 organisations (16 s for one page of the dashboard's table) instead of
following each organisation to its newest assessment (20 ms). ``likely`` tells it that most
rows pass, so it keeps the join order that follows the keys; PostgreSQL plans from its own
statistics and gets the condition unchanged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean


class _Likely(ColumnElement[bool]):
    # The condition is part of the statement's cache key, so each compiles on its own.
    _traverse_internals = [("condition", InternalTraversal.dp_clauseelement)]
    inherit_cache = True
    type = Boolean()

    def __init__(self, condition: ColumnElement[bool]) -> None:
        self.condition = condition


def likely(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``condition``, with SQLite told that most rows meet it (``likelihood(..., 0.9)``)."""
    return _Likely(condition)


@compiles(_Likely)
def _plain(element: _Likely, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.condition, **kw))


@compiles(_Likely, "sqlite")
def _sqlite(element: _Likely, compiler: Any, **kw: Any) -> str:
    return f"likelihood({compiler.process(element.condition, **kw)}, 0.9)"
