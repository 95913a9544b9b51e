"""ODS code rules, roles and who may invite whom."""

from __future__ import annotations

import pytest

from accredit.domain.accounts.organisations import OrgType, Role, ods_code_problem
from accredit.domain.accounts.permissions import invitable_roles, may_invite


@pytest.mark.parametrize(
    ("code", "org_type"),
    [
        ("RH8", OrgType.ACUTE_TRUST),
        ("rh8", OrgType.ACUTE_TRUST),
        ("TAF", OrgType.MENTAL_HEALTH_TRUST),
        ("B86022", OrgType.GP_PRACTICE),
        ("V81999", OrgType.DENTAL_PRACTICE),
        ("1-545611283", OrgType.SOCIAL_CARE),
        ("RH802", OrgType.OTHER),
        ("8A718", OrgType.OTHER),
    ],
)
def test_valid_ods_codes(code, org_type):
    assert ods_code_problem(code, org_type) is None


@pytest.mark.parametrize(
    ("code", "org_type", "message"),
    [
        ("", OrgType.ACUTE_TRUST, "Enter an ODS code"),
        ("RH802", OrgType.ACUTE_TRUST, "A trust ODS code is 3 characters"),
        ("XH8", OrgType.AMBULANCE_TRUST, "A trust ODS code is 3 characters"),
        ("B8602", OrgType.GP_PRACTICE, "a letter then 5 digits"),
        ("BB6022", OrgType.GP_PRACTICE, "a letter then 5 digits"),
        ("R!8", OrgType.OTHER, "Enter an ODS code of 3, 5 or 6"),
        ("1-12", OrgType.SOCIAL_CARE, "CQC location ID"),
        ("ABCDEFGH", None, "Enter an ODS code of 3, 5 or 6"),
    ],
)
def test_invalid_ods_codes_say_what_is_expected(code, org_type, message):
    problem = ods_code_problem(code, org_type)
    assert problem is not None and message in problem


def test_roles_know_which_side_they_are_on():
    assert [r for r in Role if r.is_hee] == [Role.HEE_REVIEWER, Role.HEE_ADMIN]
    assert all(r.label for r in Role) and all(t.label for t in OrgType)


def test_hee_admin_invites_leads_and_hee_staff_but_not_contributors():
    assert Role.ORG_CONTRIBUTOR not in invitable_roles(Role.HEE_ADMIN)
    assert may_invite(Role.HEE_ADMIN, None, Role.ORG_LEAD, 7)
    assert may_invite(Role.HEE_ADMIN, None, Role.HEE_REVIEWER, None)
    assert not may_invite(Role.HEE_ADMIN, None, Role.HEE_REVIEWER, 7)
    assert not may_invite(Role.HEE_ADMIN, None, Role.ORG_LEAD, None)


def test_leads_invite_colleagues_only_into_their_own_organisation():
    assert may_invite(Role.ORG_LEAD, 3, Role.ORG_CONTRIBUTOR, 3)
    assert may_invite(Role.ORG_LEAD, 3, Role.ORG_LEAD, 3)
    assert not may_invite(Role.ORG_LEAD, 3, Role.ORG_CONTRIBUTOR, 4)
    assert not may_invite(Role.ORG_LEAD, 3, Role.HEE_ADMIN, None)


@pytest.mark.parametrize("role", [Role.ORG_CONTRIBUTOR, Role.HEE_REVIEWER])
def test_contributors_and_reviewers_invite_nobody(role):
    assert invitable_roles(role) == ()
    assert not may_invite(role, 3, Role.ORG_CONTRIBUTOR, 3)
