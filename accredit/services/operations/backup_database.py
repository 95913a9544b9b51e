"""Dumping and restoring the database itself, with each engine's own tools.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent image page by
page while the app keeps writing; copying the file would miss what is still in the WAL.
PostgreSQL: ``pg_dump --format=custom`` inside an exported REPEATABLE READ snapshot, so the row
counts we record and the dump describe the same instant; ``pg_restore`` puts it back. The
password reaches both through ``PGPASSWORD``, never the command line, where ``ps`` would show it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from accredit.data.queries.operations.backup import alembic_revision, export_snapshot, row_counts
from accredit.services.operations.backup_manifest import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAMES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}


@dataclass(frozen=True, slots=True)
class Dumped:
    row_counts: dict[str, int]
    alembic_revision: str | None


def kind_of(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _libpq_env(engine: Engine) -> dict[str, str]:
    """The connection for pg_dump and pg_restore, as libpq's environment variables."""
    url = engine.url
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value:
            env[name] = str(value)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client (Debian: postgresql-client)."
        )
    return found


def _run(command: list[str], env: dict[str, str], doing: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{doing} failed: {done.stderr.strip() or done.stdout.strip()}")


def counts_of(engine: Engine) -> dict[str, int]:
    """Each table's rows; a SQLite file not made yet is made (empty) in its new folder."""
    if kind_of(engine) == SQLITE:
        sqlite_file(engine).parent.mkdir(parents=True, exist_ok=True)
    with engine.connect() as connection:
        return row_counts(connection)


def dump(engine: Engine, target: Path) -> Dumped:
    """Write the database to ``target`` and say what the dump holds."""
    if kind_of(engine) == SQLITE:
        return _dump_sqlite(engine, target)
    return _dump_postgresql(engine, target)


def _dump_sqlite(engine: Engine, target: Path) -> Dumped:
    source = sqlite3.connect(f"file:{sqlite_file(engine)}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # The copy stands alone: a rollback journal, not a WAL beside it that could be lost.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    # Counted from the copy itself, so the manifest describes exactly what was saved.
    reader = create_engine(f"sqlite:///file:{target}?mode=ro&uri=true", poolclass=NullPool)
    try:
        with reader.connect() as connection:
            return Dumped(row_counts(connection), alembic_revision(connection))
    finally:
        reader.dispose()


def _dump_postgresql(engine: Engine, target: Path) -> Dumped:
    pg_dump = _tool("pg_dump")
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = export_snapshot(connection)
            counts = row_counts(connection)
            revision = alembic_revision(connection)
            # The snapshot stays importable only while this transaction is open.
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-password",
                    f"--file={target}",
                ],
                _libpq_env(engine),
                "pg_dump",
            )
    return Dumped(counts, revision)


def restore(engine: Engine, source: Path) -> None:
    """Replace the configured database's contents with the dump at ``source``."""
    engine.dispose()  # no pooled connection may hold the old database open
    if kind_of(engine) == SQLITE:
        target = sqlite_file(engine)
        target.parent.mkdir(parents=True, exist_ok=True)
        dump_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(target)
        try:
            # Through the backup API, not a file copy: the live file's WAL and shared memory
            # stay consistent with what is written, and other connections see it atomically.
            dump_file.backup(live)
            live.execute("PRAGMA journal_mode=WAL")
        finally:
            live.close()
            dump_file.close()
        return
    env = _libpq_env(engine)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={env.get('PGDATABASE', '')}",
            str(source),
        ],
        env,
        "pg_restore",
    )
    engine.dispose()
