"""User, invitation and sign-in history queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from accredit.data.models import AuditEvent, Invitation, Organisation, User
from accredit.extensions import db


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def user_by_id(user_id: int) -> User | None:
    # Every request loads the signed-in user: take their organisation (for the header) but
    # not its region, which is loaded only if a page asks for it.
    return db.session.get(
        User,
        user_id,
        options=[joinedload(User.organisation).lazyload(Organisation.region)],
    )


def invitation_by_token_hash(token_hash: str) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


def count_events_since(action: str, target: str, since: datetime) -> int:
    return (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == action,
                AuditEvent.target == target,
                AuditEvent.created_at >= since,
            )
        )
        or 0
    )


def last_event(action: str, target: str) -> AuditEvent | None:
    return db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.target == target)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0
