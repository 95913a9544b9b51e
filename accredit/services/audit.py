"""The audit trail: who did what to which record, with before and after values."""

from __future__ import annotations

import logging
from typing import Any

from accredit.data.models import AuditEvent, User
from accredit.extensions import db

log = logging.getLogger("accredit.audit")


def record(
    action: str,
    target: str,
    *,
    actor: User | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Add an event to the current transaction; the caller's commit makes it durable."""
    event = AuditEvent(
        action=action,
        target=target,
        actor_id=actor.id if actor is not None else None,
        before=before,
        after=after,
        detail=detail,
        ip_address=ip_address,
    )
    db.session.add(event)
    log.info("%s %s by %s", action, target, actor.email if actor else "-")
    return event
