"""Who may change whose role or access, to what, and what must always remain."""

from __future__ import annotations

import pytest

from accredit.domain.accounts.organisations import Role
from accredit.domain.accounts.people import (
    Change,
    Manager,
    Person,
    change_problem,
    may_manage,
    roles_to_give,
    what_changed,
)

ADMIN = Manager(1, Role.HEE_ADMIN, None)
LEAD = Manager(2, Role.ORG_LEAD, 10)
CONTRIBUTOR = Manager(3, Role.ORG_CONTRIBUTOR, 10)
REVIEWER = Manager(4, Role.HEE_REVIEWER, None)

COLLEAGUE = Person(20, Role.ORG_CONTRIBUTOR, 10, True)
OTHER_LEAD = Person(21, Role.ORG_LEAD, 10, True)
ELSEWHERE = Person(22, Role.ORG_CONTRIBUTOR, 11, True)
HEE_REVIEWER = Person(23, Role.HEE_REVIEWER, None, True)
HEE_ADMIN = Person(24, Role.HEE_ADMIN, None, True)


@pytest.mark.parametrize(
    ("manager", "person", "allowed"),
    [
        (ADMIN, COLLEAGUE, True),
        (ADMIN, ELSEWHERE, True),
        (ADMIN, HEE_REVIEWER, True),
        (ADMIN, HEE_ADMIN, True),
        (LEAD, COLLEAGUE, True),
        (LEAD, OTHER_LEAD, True),
        (LEAD, ELSEWHERE, False),
        (LEAD, HEE_REVIEWER, False),
        (CONTRIBUTOR, COLLEAGUE, False),
        (REVIEWER, COLLEAGUE, False),
        (REVIEWER, HEE_ADMIN, False),
        (ADMIN, Person(1, Role.HEE_ADMIN, None, True), False),  # themselves
        (LEAD, Person(2, Role.ORG_LEAD, 10, True), False),  # themselves
    ],
)
def test_who_may_manage_whom(manager, person, allowed):
    assert may_manage(manager, person) is allowed
    assert bool(roles_to_give(manager, person)) is allowed


def test_roles_stay_on_their_side():
    assert roles_to_give(ADMIN, COLLEAGUE) == (Role.ORG_CONTRIBUTOR, Role.ORG_LEAD)
    assert roles_to_give(ADMIN, HEE_REVIEWER) == (Role.HEE_REVIEWER, Role.HEE_ADMIN)
    assert roles_to_give(LEAD, COLLEAGUE) == (Role.ORG_CONTRIBUTOR, Role.ORG_LEAD)
    problem = change_problem(ADMIN, COLLEAGUE, Change(Role.HEE_ADMIN, True), 1)
    assert problem == "Select a role from the list"


def test_an_organisation_keeps_an_active_lead():
    for change in (Change(Role.ORG_CONTRIBUTOR, True), Change(Role.ORG_LEAD, False)):
        problem = change_problem(ADMIN, OTHER_LEAD, change, others_still_keeping=0)
        assert problem and "must always have an active lead" in problem
        assert change_problem(ADMIN, OTHER_LEAD, change, others_still_keeping=1) is None
    # Not taking a lead away needs no other lead.
    assert change_problem(ADMIN, COLLEAGUE, Change(Role.ORG_CONTRIBUTOR, False), 0) is None
    inactive_lead = Person(25, Role.ORG_LEAD, 10, False)
    assert change_problem(ADMIN, inactive_lead, Change(Role.ORG_CONTRIBUTOR, False), 0) is None


def test_the_service_keeps_an_active_hee_admin():
    problem = change_problem(ADMIN, HEE_ADMIN, Change(Role.HEE_REVIEWER, True), 0)
    assert problem and "always be an active HEE admin" in problem
    assert change_problem(ADMIN, HEE_ADMIN, Change(Role.HEE_REVIEWER, True), 1) is None


def test_nobody_changes_themselves():
    themselves = Person(2, Role.ORG_LEAD, 10, True)
    problem = change_problem(LEAD, themselves, Change(Role.ORG_LEAD, False), 5)
    assert problem == "You cannot change your own role or access"


def test_what_changed_names_each_audit_action():
    assert what_changed(COLLEAGUE, Change(Role.ORG_CONTRIBUTOR, True)) == []
    assert what_changed(COLLEAGUE, Change(Role.ORG_LEAD, True)) == ["user-role-changed"]
    assert what_changed(COLLEAGUE, Change(Role.ORG_CONTRIBUTOR, False)) == ["user-deactivated"]
    gone = Person(26, Role.ORG_CONTRIBUTOR, 10, False)
    assert what_changed(gone, Change(Role.ORG_LEAD, True)) == [
        "user-role-changed",
        "user-reactivated",
    ]


def test_access_hee_removed_only_hee_gives_back():
    gone = Person(27, Role.ORG_CONTRIBUTOR, 10, False)
    back = Change(Role.ORG_CONTRIBUTOR, True)
    problem = change_problem(LEAD, gone, back, 1, removed_by_hee=True)
    assert problem == "HEE removed this person's access, so only HEE can give it back"
    assert change_problem(ADMIN, gone, back, 1, removed_by_hee=True) is None
    assert change_problem(LEAD, gone, back, 1, removed_by_hee=False) is None
    # The lead may still change their role while their access stays removed.
    assert change_problem(LEAD, gone, Change(Role.ORG_LEAD, False), 1, removed_by_hee=True) is None
