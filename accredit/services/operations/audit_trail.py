"""The audit trail viewer's use cases: a page of events, one event, and the CSV export.

The export goes through the cohort exports' CSV writer, and every text cell is neutralised
first: targets and details hold what users typed (emails, file names, answers), and a value
starting with ``=`` must open in a spreadsheet as text, never as a formula. Exporting the
trail is itself recorded in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from accredit.data.models import User
from accredit.data.queries.operations import audit as queries
from accredit.data.queries.operations.audit import EventRow
from accredit.data.queries.scope import Scope
from accredit.data.transactions import unit_of_work
from accredit.domain.cohorts.spreadsheet import neutralise
from accredit.domain.operations.audit_trail import AuditFilter, show
from accredit.services.cohorts.exports_csv import csv_chunks
from accredit.services.cohorts.exports_rows import (
    DATETIME_FORMAT,
    Column,
    Row,
    Table,
    moment,
    typed_rows,
)
from accredit.services.operations import audit

PAGE_SIZE = 50
#: The most events one export holds; narrow the filter for more (the page says so).
EXPORT_LIMIT = 100_000
COLUMNS = (
    Column("Event", 10),
    Column("Time (UTC)", 18, DATETIME_FORMAT),
    Column("Actor email", 32),
    Column("Actor name", 24),
    Column("Action", 28),
    Column("Target", 32),
    Column("Before", 40),
    Column("After", 40),
    Column("Detail", 40),
    Column("IP address", 16),
    # Last, so the columns before it stay where existing spreadsheets expect them.
    Column("Former actor (account deleted)", 32),
)


@dataclass(frozen=True, slots=True)
class EventPage:
    rows: list[EventRow]
    page: int
    has_next: bool


def events_page(scope: Scope, audit_filter: AuditFilter, page: int) -> EventPage:
    rows, has_next = queries.page_of_events(scope, audit_filter, page, PAGE_SIZE)
    return EventPage(rows, page, has_next)


def event(scope: Scope, event_id: int) -> EventRow | None:
    return queries.event_by_id(scope, event_id)


def actions(scope: Scope) -> list[str]:
    return queries.recorded_actions(scope)


def _text(value: object) -> str:
    return neutralise(show(value))


def _row(row: EventRow) -> Row:
    event = row.event
    return (
        event.id,
        moment(event.created_at.astimezone(UTC)),
        _text(row.actor_email),
        _text(row.actor_name),
        _text(event.action),
        _text(event.target),
        _text(event.before),
        _text(event.after),
        _text(event.detail),
        _text(event.ip_address),
        _text(row.former_actor),
    )


def export_table(scope: Scope, audit_filter: AuditFilter) -> Table:
    def batches() -> Iterator[list[Row]]:
        for batch in queries.event_rows(scope, audit_filter, EXPORT_LIMIT):
            yield [_row(row) for row in batch]

    return Table("audit-trail", "Audit trail", COLUMNS, typed_rows(batches))


def csv_export(scope: Scope, actor: User, audit_filter: AuditFilter) -> Iterator[bytes]:
    """The filtered trail as CSV chunks, read from the database while they are sent."""
    with unit_of_work():
        audit.record(
            "audit-trail.exported",
            "audit-trail",
            actor=actor,
            after={"filter": audit_filter.query_args()},
        )
    return csv_chunks(export_table(scope, audit_filter))
