"""Changing a person's role or access: the rules in accredit.domain.accounts.people, one conditional
update (so two managers at once cannot leave an organisation without a lead), and an audit
event for each thing that changed. Taking access away ends every session of theirs."""

from __future__ import annotations

from accredit.data.models import User
from accredit.data.queries.accounts import people as queries
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.accounts.people import Change, Manager, Person, change_problem, what_changed
from accredit.extensions import db
from accredit.services.operations import audit


class PersonRefused(Exception):
    """The change was not made; the message says why and is shown as it is."""


def manager(user: User) -> Manager:
    return Manager(user.id, user.role, user.organisation_id)


def person(user: User) -> Person:
    return Person(user.id, user.role, user.organisation_id, user.active)


def _keeper(of: Person) -> tuple[Role, int | None]:
    """The role that must remain where the person is, and where (None: across HEE)."""
    if of.role.is_hee:
        return Role.HEE_ADMIN, None
    return Role.ORG_LEAD, of.organisation_id


def seen(user: User) -> str:
    """The role and access a page showed, posted back so a change made meanwhile is noticed."""
    return f"{user.role.value}:{'active' if user.active else 'deactivated'}"


def change(
    actor: User, user: User, role: Role, active: bool, *, was_seen: str | None = None
) -> list[str]:
    """Give ``user`` this role and access; the audit actions recorded (none: no change).
    ``was_seen`` is what the page showed (``seen``): if it has changed since, nothing is."""
    if was_seen is not None and was_seen != seen(user):
        raise PersonRefused(_changed_meanwhile(user))
    before, wanted = person(user), Change(role, active)
    keeper, where = _keeper(before)
    problem = change_problem(
        manager(actor),
        before,
        wanted,
        queries.other_keepers(keeper, where, before.id),
        removed_by_hee=not before.active and queries.removed_by_hee(before.id),
    )
    if problem:
        raise PersonRefused(problem)
    actions = what_changed(before, wanted)
    if not actions:
        return []
    losing_keeper = before.active and before.role is keeper and not (active and role is keeper)
    with unit_of_work():
        if losing_keeper:
            queries.lock_keepers(keeper, where)
        changed = queries.change_person(
            before.id,
            (before.role, before.active),
            (role, active),
            keeper=keeper,
            organisation_id=where,
            needs_another_keeper=losing_keeper,
        )
        if changed:
            for action in actions:
                audit.record(
                    action,
                    f"user:{before.id}",
                    actor=actor,
                    before={"role": before.role.value, "active": before.active},
                    after={"role": role.value, "active": active},
                )
    db.session.expire(user)
    if not changed:
        raise PersonRefused(_why_not(actor, user, wanted))
    return actions


def _why_not(actor: User, user: User, wanted: Change) -> str:
    """Why the conditional update found nothing to change: what it was read as has changed."""
    db.session.refresh(user)
    now = person(user)
    keeper, where = _keeper(now)
    problem = change_problem(
        manager(actor), now, wanted, queries.other_keepers(keeper, where, now.id)
    )
    return problem or _changed_meanwhile(user)


def _changed_meanwhile(user: User) -> str:
    return (
        f"Someone else changed {user.name}'s role or access while you were making this change. "
        "Check what it is now and try again."
    )
