"""Who may change another person's role or access, to what, and what must always remain.

An organisation lead manages the people of their own organisation; an HEE admin manages
everyone. Nobody changes their own account here (they could lock themselves, or everyone, out).
Roles stay on their side: organisation people move between lead and contributor, HEE staff
between reviewer and admin. An organisation always keeps an active lead, and the service an
active HEE admin, so there is always someone who can put things right.
"""

from __future__ import annotations

from dataclasses import dataclass

from accredit.domain.accounts.organisations import HEE_ROLES, ORG_ROLES, Role


@dataclass(frozen=True, slots=True)
class Manager:
    id: int
    role: Role
    organisation_id: int | None


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    role: Role
    organisation_id: int | None
    active: bool


@dataclass(frozen=True, slots=True)
class Change:
    role: Role
    active: bool


def may_manage(manager: Manager, person: Person) -> bool:
    if manager.id == person.id:
        return False
    if manager.role is Role.HEE_ADMIN:
        return True
    return (
        manager.role is Role.ORG_LEAD
        and not person.role.is_hee
        and person.organisation_id is not None
        and person.organisation_id == manager.organisation_id
    )


def roles_to_give(manager: Manager, person: Person) -> tuple[Role, ...]:
    """The roles the manager may give this person (their current one among them)."""
    if not may_manage(manager, person):
        return ()
    return HEE_ROLES if person.role.is_hee else ORG_ROLES


def change_problem(
    manager: Manager,
    person: Person,
    change: Change,
    others_still_keeping: int,
    *,
    removed_by_hee: bool = False,
) -> str | None:
    """Why the change cannot be made, or None. ``others_still_keeping`` counts the other
    active people with the role that must remain (organisation leads of the person's
    organisation for an organisation person, HEE admins for HEE staff); ``removed_by_hee``
    says HEE took the person's access away, which only HEE gives back."""
    if manager.id == person.id:
        return "You cannot change your own role or access"
    if not may_manage(manager, person):
        return "You cannot change this person's role or access"
    if change.role not in roles_to_give(manager, person):
        return "Select a role from the list"
    if change.active and not person.active and removed_by_hee and not manager.role.is_hee:
        return "HEE removed this person's access, so only HEE can give it back"
    keeper = Role.HEE_ADMIN if person.role.is_hee else Role.ORG_LEAD
    kept_now = person.active and person.role is keeper
    kept_after = change.active and change.role is keeper
    if kept_now and not kept_after and others_still_keeping == 0:
        if keeper is Role.HEE_ADMIN:
            return "There must always be an active HEE admin: make someone else an admin first"
        return "An organisation must always have an active lead: make someone else a lead first"
    return None


def what_changed(person: Person, change: Change) -> list[str]:
    """The audit actions the change records, in order (none when nothing changes)."""
    actions = []
    if change.role is not person.role:
        actions.append("user-role-changed")
    if change.active != person.active:
        actions.append("user-reactivated" if change.active else "user-deactivated")
    return actions
