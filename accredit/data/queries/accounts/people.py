"""People as their managers see them, and the one statement that changes a role or access."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, exists, func, select, true, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import AliasedClass

from accredit.data.models import AuditEvent, User
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import HEE_ROLES, Role
from accredit.extensions import db


def person_in_scope(scope: Scope, user_id: int) -> User | None:
    """The person, if the signed-in user manages people where they are: anyone for an HEE
    admin, their own organisation's people for an organisation lead."""
    person = db.session.get(User, user_id)
    if person is None:
        return None
    if scope.sees_all:
        return person
    if scope.role is Role.ORG_LEAD and person.organisation_id == scope.organisation_id:
        return person
    return None


def hee_staff(scope: Scope) -> Sequence[User]:
    if not scope.sees_all:
        return []
    query = select(User).where(User.role.in_(HEE_ROLES)).order_by(User.active.desc(), User.name)
    return db.session.scalars(query).all()


def _keepers(
    keeper: Role,
    organisation_id: int | None,
    besides: int | None = None,
    who: type[User] | AliasedClass[User] = User,
) -> ColumnElement[bool]:
    """Active people with the role that must remain (in the organisation, if any), other than
    ``besides``; ``who`` is the users table or an alias of it."""
    where = and_(who.role == keeper, who.active.is_(True))
    if besides is not None:
        where = and_(where, who.id != besides)
    if organisation_id is not None:
        where = and_(where, who.organisation_id == organisation_id)
    return where


def other_keepers(keeper: Role, organisation_id: int | None, besides: int) -> int:
    query = select(func.count(User.id)).where(_keepers(keeper, organisation_id, besides))
    return int(db.session.scalar(query) or 0)


def lock_keepers(keeper: Role, organisation_id: int | None) -> None:
    """Lock the rows of every active keeper there, the person changed among them (PostgreSQL;
    SQLite writes one at a time anyway), so two changes at once cannot each leave the other as
    the last one. Always the same rows in the same order: two such changes wait for each other
    rather than deadlock."""
    query = select(User.id).where(_keepers(keeper, organisation_id)).order_by(User.id)
    db.session.execute(query.with_for_update()).all()


def change_person(
    person_id: int,
    was: tuple[Role, bool],
    now: tuple[Role, bool],
    *,
    keeper: Role,
    organisation_id: int | None,
    needs_another_keeper: bool,
) -> bool:
    """Give the person this role and access, only if they still have the ones the form was
    read with and, when the change takes away a keeper, another one remains; whether it did.
    Taking access away also ends their sessions."""
    other = aliased(User)
    another: ColumnElement[bool] = true()
    if needs_another_keeper:
        another = exists().where(_keepers(keeper, organisation_id, person_id, who=other))
    values: dict[str, object] = {"role": now[0], "active": now[1]}
    if was[1] and not now[1]:
        values["session_version"] = User.session_version + 1
    statement = (
        update(User)
        .where(User.id == person_id, User.role == was[0], User.active.is_(was[1]), another)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(db.session.execute(statement).rowcount)  # type: ignore[attr-defined]


def removed_by_hee(user_id: int) -> bool:
    """Whether the person's access was last taken away by HEE staff (read from the audit
    trail, which records every removal and return with who made it)."""
    actor = aliased(User)
    query = (
        select(AuditEvent.action, actor.role)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(
            AuditEvent.target == f"user:{user_id}",
            AuditEvent.action.in_(["user-deactivated", "user-reactivated"]),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    latest = db.session.execute(query).first()
    return latest is not None and latest[0] == "user-deactivated" and latest[1] in HEE_ROLES
