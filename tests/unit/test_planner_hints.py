"""accredit/data/queries/planner.py: ``likely`` is the plain condition on PostgreSQL, SQLite's
``likelihood(..., 0.9)`` on SQLite, and part of the statement's cache key."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from accredit.data.queries.planner import likely

rows = Table("rows", MetaData(), Column("id", Integer), Column("status", String))


def _sql(statement, dialect) -> str:
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def test_sqlite_is_told_most_rows_pass_and_postgresql_gets_the_condition():
    query = select(rows.c.id).where(likely(rows.c.status == "draft"))
    assert "WHERE likelihood(rows.status = 'draft', 0.9)" in _sql(query, sqlite.dialect())
    assert "WHERE rows.status = 'draft'" in _sql(query, postgresql.dialect())


def test_different_conditions_are_different_statements_to_the_cache():
    one = select(rows.c.id).where(likely(rows.c.status == "draft"))
    other = select(rows.c.id).where(likely(rows.c.id == 3))
    assert one._generate_cache_key().key != other._generate_cache_key().key
    same_shape = select(rows.c.id).where(likely(rows.c.status == "returned"))
    assert one._generate_cache_key().key == same_shape._generate_cache_key().key
