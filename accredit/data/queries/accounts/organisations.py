"""Organisation and region queries, always filtered by the caller's scope."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, func, select

from accredit.data.base import utcnow
from accredit.data.models import Invitation, Organisation, Region, User
from accredit.data.queries.scope import Scope
from accredit.extensions import db


def visible_organisations(scope: Scope) -> Sequence[Organisation]:
    query = (
        select(Organisation)
        .where(scope.organisations_clause(Organisation.id))
        .order_by(Organisation.name)
    )
    return db.session.scalars(query).all()


def get_organisation(scope: Scope, organisation_id: int) -> Organisation | None:
    """The organisation, or None when it does not exist or the scope may not see it."""
    if not scope.allows(organisation_id):
        return None
    return db.session.get(Organisation, organisation_id)


def organisation_by_ods(ods_code: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.ods_code == ods_code))


def organisation_members(scope: Scope, organisation_id: int) -> Sequence[User]:
    if not scope.allows(organisation_id):
        return []
    return db.session.scalars(
        select(User).where(User.organisation_id == organisation_id).order_by(User.name)
    ).all()


def waiting_invitations(scope: Scope, organisation_id: int) -> Sequence[Invitation]:
    """Invitations to the organisation still waiting to be accepted, newest first: not used,
    not lapsed or replaced (a re-send lapses the one it replaces), and to an address that has
    no account yet (the person may have joined by another invitation)."""
    if not scope.allows(organisation_id):
        return []
    has_account = exists().where(User.email == Invitation.email)
    return db.session.scalars(
        select(Invitation)
        .where(
            Invitation.organisation_id == organisation_id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > utcnow(),
            ~has_account,
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()


def member_counts(scope: Scope) -> dict[int, int]:
    query = (
        select(User.organisation_id, func.count(User.id))
        .where(scope.organisations_clause(User.organisation_id))
        .group_by(User.organisation_id)
    )
    return {org_id: count for org_id, count in db.session.execute(query) if org_id is not None}


def regions() -> Sequence[Region]:
    return db.session.scalars(select(Region).order_by(Region.name)).all()


def region_by_code(code: str) -> Region | None:
    return db.session.scalar(select(Region).where(Region.code == code))


def count_organisations() -> int:
    return db.session.scalar(select(func.count(Organisation.id))) or 0
