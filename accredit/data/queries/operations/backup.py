"""What a backup records about a database and a restore checks: every table's row count and
the Alembic revision.

These take a connection rather than the request session: a backup counts rows inside the very
snapshot it dumps (a PostgreSQL REPEATABLE READ transaction, or the SQLite copy itself), so the
counts in its manifest describe the dump exactly even while the app keeps writing.
"""

from __future__ import annotations

from sqlalchemy import Connection, column, func, inspect, select, table

ALEMBIC_TABLE = "alembic_version"


def table_names(connection: Connection) -> list[str]:
    """Every table the database holds (not only the ones our models know), sorted."""
    return sorted(inspect(connection).get_table_names())


def row_counts(connection: Connection) -> dict[str, int]:
    """Each table's number of rows."""
    counts: dict[str, int] = {}
    for name in table_names(connection):
        counts[name] = int(
            connection.execute(select(func.count()).select_from(table(name))).scalar_one()
        )
    return counts


def alembic_revision(connection: Connection) -> str | None:
    """The migration the schema is at; None before any migration ran."""
    if ALEMBIC_TABLE not in table_names(connection):
        return None
    versions = table(ALEMBIC_TABLE, column("version_num"))
    return connection.execute(select(versions.c.version_num)).scalar()


def export_snapshot(connection: Connection) -> str:
    """PostgreSQL: name this transaction's snapshot so ``pg_dump --snapshot`` sees exactly the
    rows counted here (the connection must be in a REPEATABLE READ transaction)."""
    return str(connection.execute(select(func.pg_export_snapshot())).scalar_one())
