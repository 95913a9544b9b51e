"""The audit trail: who did what to which record, with before and after values."""

from __future__ import annotations

import logging
import re
from typing import Any

from accredit.data.models import AuditEvent, User
from accredit.extensions import db

log = logging.getLogger("accredit.audit")
#: Targets like ``assessment:12`` name a record; any other (an email, an address) is personal.
_RECORD_TARGET = re.compile(r"^[a-z][a-z-]*(?::\d+(?:/[\w.]+)?)?$")


def record(
    action: str,
    target: str,
    *,
    actor: User | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str | None = None,
    ip_address: str | None = None,
    logged: bool = True,
) -> AuditEvent:
    """Add an event to the current transaction; the caller's commit makes it durable.

    ``logged=False`` for a provisional event that the caller corrects before it is final (a
    sign-in attempt): the caller then logs the outcome with ``log_event``."""
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
    if logged:
        log_event(action, target, actor)
    return event


def log_event(action: str, target: str, actor: User | None) -> None:
    """The application log's line for an event: the trail is the secure store of who and
    what, so the log names only the action, a record's id and the actor's id, never an email
    or a value."""
    shown = target if _RECORD_TARGET.match(target) else "[withheld]"
    log.info("%s %s by user %s", action, shown, actor.id if actor is not None else "-")
