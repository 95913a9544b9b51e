"""Reading the audit trail, for HEE admins only.

Newest first by primary key: ids are given in insertion order, so the primary key's index
serves the order and no extra index on ``created_at`` is needed. Every read is bounded: a page
at a time, and the export in batches.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, or_, select

from accredit.data.models import AuditEvent, User
from accredit.data.queries.like import ESCAPE, escape_like
from accredit.data.queries.scope import Scope
from accredit.domain.operations.audit_trail import AuditFilter
from accredit.extensions import db

#: Rows read at a time by the export.
BATCH = 1000
#: Distinct actions offered in the filter's list (there are a few dozen).
MAX_ACTIONS = 500


@dataclass(frozen=True, slots=True)
class EventRow:
    event: AuditEvent
    actor_email: str | None
    actor_name: str | None

    @property
    def former_actor(self) -> str | None:
        """The role and organisation of an actor whose account was deleted, else None."""
        return None if self.actor_email else self.event.actor_label


def _filtered(scope: Scope, audit_filter: AuditFilter) -> Select[AuditEvent, str, str]:
    query = select(AuditEvent, User.email, User.name).outerjoin(
        User, AuditEvent.actor_id == User.id
    )
    if not scope.sees_all:
        return query.where(AuditEvent.id.is_(None))  # nothing: the trail is HEE admins' alone
    conditions: list[ColumnElement[bool]] = []
    if audit_filter.actor:
        conditions.append(User.email.ilike(f"%{escape_like(audit_filter.actor)}%", escape=ESCAPE))
    if audit_filter.action:
        conditions.append(AuditEvent.action == audit_filter.action)
    if audit_filter.target:
        target = audit_filter.target
        conditions.append(
            or_(
                AuditEvent.target == target,
                AuditEvent.target.like(f"{escape_like(target)}:%", escape=ESCAPE),
                AuditEvent.target.like(f"{escape_like(target)}/%", escape=ESCAPE),
            )
        )
    if audit_filter.date_from:
        start = datetime.combine(audit_filter.date_from, time.min, tzinfo=UTC)
        conditions.append(AuditEvent.created_at >= start)
    if audit_filter.date_to:
        end = datetime.combine(audit_filter.date_to + timedelta(days=1), time.min, tzinfo=UTC)
        conditions.append(AuditEvent.created_at < end)
    return query.where(and_(*conditions)) if conditions else query


def page_of_events(
    scope: Scope, audit_filter: AuditFilter, page: int, size: int
) -> tuple[list[EventRow], bool]:
    """One page of events, newest first, and whether there is a page after it."""
    query = (
        _filtered(scope, audit_filter)
        .order_by(AuditEvent.id.desc())
        .offset((page - 1) * size)
        .limit(size + 1)
    )
    rows = [EventRow(event, email, name) for event, email, name in db.session.execute(query)]
    return rows[:size], len(rows) > size


def event_rows(scope: Scope, audit_filter: AuditFilter, limit: int) -> Iterator[list[EventRow]]:
    """Every matching event, newest first, a batch at a time (keyed on id, so each batch is
    a bounded index range however far into the trail it is), at most ``limit`` in all."""
    last_id: int | None = None
    sent = 0
    while sent < limit:
        query = _filtered(scope, audit_filter)
        if last_id is not None:
            query = query.where(AuditEvent.id < last_id)
        query = query.order_by(AuditEvent.id.desc()).limit(min(BATCH, limit - sent))
        batch = [EventRow(event, email, name) for event, email, name in db.session.execute(query)]
        if not batch:
            return
        yield batch
        sent += len(batch)
        last_id = batch[-1].event.id


def event_by_id(scope: Scope, event_id: int) -> EventRow | None:
    query = _filtered(scope, AuditFilter()).where(AuditEvent.id == event_id)
    found = db.session.execute(query).first()
    return EventRow(found[0], found[1], found[2]) if found else None


def recorded_actions(scope: Scope) -> list[str]:
    """The actions in the trail, for the filter's list."""
    if not scope.sees_all:
        return []
    query = select(AuditEvent.action).distinct().order_by(AuditEvent.action).limit(MAX_ACTIONS)
    return list(db.session.scalars(query))
