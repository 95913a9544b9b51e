"""Bulk writes for `accredit seed-bench`: many thousands of rows a second on SQLite and PostgreSQL.

A command run by an operator, not a request, so no scope: it reads only which ODS codes are taken
and writes new rows. Rows go in as tuples through the driver (executemany on SQLite, COPY on
PostgreSQL); each column's SQLAlchemy bind processor still converts the values (UTC datetimes,
JSON, enums), so what is stored is exactly what the ORM would store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, select, text

from accredit.data.base import Entity
from accredit.data.models import Organisation
from accredit.extensions import db


def taken_ods_codes() -> set[str]:
    """Every ODS code in use: new organisations must avoid them (codes are never reused)."""
    return set(db.session.scalars(select(Organisation.ods_code)))


def refresh_statistics() -> None:
    """Let PostgreSQL's planner see the new rows now (ANALYZE), as autovacuum would within
    minutes: pages measured straight after a bulk load should not run on plans made blind.
    SQLite keeps no statistics unless asked, so it is left as a live database would be."""
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))


def insert_returning_ids(
    model: type[Entity], columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> list[int]:
    """Insert rows (values in the order of `columns`) and return their new ids in row order.

    For the parent tables (thousands of rows): one multi-row INSERT ... RETURNING per thousand
    rows, ids matched to rows by SQLAlchemy (``sort_by_parameter_order``)."""
    if not rows:
        return []
    table = cast(Table, model.__table__)
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    params = [dict(zip(columns, row, strict=True)) for row in rows]
    return list(db.session.execute(statement, params).scalars())


def insert_rows(
    model: type[Entity], columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Insert rows (values in the order of `columns`) in the session's transaction, fast.

    Bind processors run once per distinct value object rather than once per row: the seeder
    shares one object per repeated value (a template's answer, an assessment's timestamp), and
    `rows` keeps every object alive for the whole call, so an object's id() names it safely."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    connection = db.session.connection()
    converted = _converted(table, columns, rows, connection)
    names = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in columns)
    quoted = connection.dialect.identifier_preparer.format_table(table)
    if connection.dialect.name == "postgresql":
        driver = connection.connection.dbapi_connection
        assert driver is not None
        with (
            driver.cursor() as cursor,  # type: ignore[attr-defined]
            cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy,
        ):
            for row in converted:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {quoted} ({names}) VALUES ({marks})", converted)


def _converted(
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    connection: Connection,
) -> list[tuple[object, ...]]:
    """The rows with each value as the driver wants it (what SQLAlchemy's bind processors make)."""
    dialect = connection.dialect
    processors: list[Callable[[Any], Any] | None] = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    ]
    if not any(processors):
        return [tuple(row) for row in rows]
    caches: list[dict[int, object]] = [{} for _ in columns]
    out: list[tuple[object, ...]] = []
    for row in rows:
        values = []
        for value, process, cache in zip(row, processors, caches, strict=True):
            if process is None:
                values.append(value)
                continue
            key = id(value)
            if key not in cache:
                cache[key] = process(value)
            values.append(cache[key])
        out.append(tuple(values))
    return out
