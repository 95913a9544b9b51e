"""Test databases: SQLite always, PostgreSQL when ACCREDIT_TEST_POSTGRES_URL is set.

The schema is made by the Alembic migrations, once per database per run; each test then
starts from empty tables (plus reference data) so tests never see each other's rows.
"""

from __future__ import annotations

import os

from sqlalchemy import Engine, make_url, text

from accredit.data.base import Base
from accredit.data.database import make_engine
from accredit.data.migrate import upgrade

POSTGRES_ENV = "ACCREDIT_TEST_POSTGRES_URL"
_migrated: set[str] = set()

# A test database is thrown away at the end of the run, so its commits need not wait for the
# disk: libpq reads PGOPTIONS on every connection, here and in the servers and workers the
# tests start. (Only the waiting changes; what each transaction sees is the same.)
os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")


def postgres_url() -> str | None:
    """The PostgreSQL database this test process uses: the configured one, or, under
    pytest-xdist, a database of the worker's own beside it (``test_gw0``), made on first use,
    so that parallel workers never reset each other's schema."""
    url = os.environ.get(POSTGRES_ENV) or None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url is None or not worker:
        return url
    return _worker_database(url, worker)


_worker_urls: dict[str, str] = {}


def _worker_database(url: str, worker: str) -> str:
    found = _worker_urls.get(url)
    if found is not None:
        return found
    base = make_url(url)
    name = f"{base.database or 'postgres'}_{worker}"
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    own = base.set(database=name).render_as_string(hide_password=False)
    _worker_urls[url] = own
    return own


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
    """Delete every row, children first, and start each PostgreSQL sequence again at 1 (as
    SQLite's do once its table is empty). A DELETE of a few rows takes milliseconds where a
    TRUNCATE of the 34 tables took about 85: it ran twice for each of 2,000 tests."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        for table in tables:
            conn.execute(text(f"DELETE FROM {table}"))
        if engine.dialect.name == "postgresql":
            conn.execute(RESTART_SEQUENCES)


def truncate_tables(engine: Engine) -> None:
    """Empty a database that may hold a large seed (the benches' 10,000 organisations): on
    PostgreSQL one TRUNCATE of every table, where ``empty_tables``' row-by-row DELETE took
    nine minutes, each deleted organisation checking every table that refers to it."""
    if engine.dialect.name != "postgresql":
        empty_tables(engine)
        return
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY"))


RESTART_SEQUENCES = text(
    "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
)
