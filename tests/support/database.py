"""Test databases: SQLite always, PostgreSQL when ACCREDIT_TEST_POSTGRES_URL is set.

The schema is made by the Alembic migrations, once per database per run; each test then
starts from empty tables (plus reference data) so tests never see each other's rows.
"""

from __future__ import annotations

import os

from sqlalchemy import Engine, text

from accredit.data.base import Base
from accredit.data.database import make_engine
from accredit.data.migrate import upgrade

POSTGRES_ENV = "ACCREDIT_TEST_POSTGRES_URL"
_migrated: set[str] = set()


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def reset_schema_once(url: str) -> None:
    """Drop whatever a previous run left, then migrate from nothing, once per run."""
    if url in _migrated:
        return
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    _migrated.add(url)


def empty_tables(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
