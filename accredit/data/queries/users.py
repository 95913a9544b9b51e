"""User, invitation and sign-in history queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from accredit.data.models import AuditEvent, Invitation, User
from accredit.extensions import db


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


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
