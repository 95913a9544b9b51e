"""Counting the SQL statements a piece of code sends: the one way tests prove a page or a job
costs a fixed number of queries (no query per row) or writes nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, event

from accredit.extensions import db

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextlib.contextmanager
def recorded(engine: Engine | None = None) -> Iterator[list[str]]:
    """Every statement sent through ``engine`` (the app's, by default) while the block runs,
    in order."""
    engine = engine if engine is not None else db.engine
    assert engine is not None, "no app context: the app's engine is not set up"
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def writes(statements: list[str]) -> list[str]:
    """The statements that change rows."""
    return [s for s in statements if s.lstrip().split(None, 1)[0].upper() in WRITES]
