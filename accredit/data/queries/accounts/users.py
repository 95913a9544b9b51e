"""User, invitation and sign-in history queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.sql.elements import ColumnElement

from accredit.data.base import utcnow
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


def invitations_to_email(ids: Sequence[int]) -> Sequence[Invitation]:
    """Of these invitations, those not emailed by a job yet and still waiting (neither used
    nor lapsed), in id order."""
    return db.session.scalars(
        select(Invitation)
        .where(
            Invitation.id.in_(ids),
            Invitation.emailed_at.is_(None),
            Invitation.used_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.id)
    ).all()


def waiting_invitations(email: str, organisation_id: int | None) -> Sequence[Invitation]:
    """Invitations of this email to this organisation (None: to HEE) that are neither used nor
    lapsed, locked until the caller's transaction ends so two re-sends at once take turns."""
    return db.session.scalars(
        select(Invitation)
        .where(
            Invitation.email == email,
            _to(organisation_id),
            Invitation.used_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.id)
        .options(lazyload(Invitation.organisation))
        .with_for_update(of=Invitation)
    ).all()


def newer_invitation_exists(invitation: Invitation) -> bool:
    """Whether the same person was invited to the same place again after this invitation."""
    return (
        db.session.scalar(
            select(Invitation.id)
            .where(
                Invitation.email == invitation.email,
                _to(invitation.organisation_id),
                Invitation.id > invitation.id,
            )
            .limit(1)
        )
        is not None
    )


def _to(organisation_id: int | None) -> ColumnElement[bool]:
    if organisation_id is None:
        return Invitation.organisation_id.is_(None)
    return Invitation.organisation_id == organisation_id


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
