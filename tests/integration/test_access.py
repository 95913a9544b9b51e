"""Scope and roles: other organisations' URLs give 404, wrong roles 403."""

from __future__ import annotations

import pytest

from accredit.domain.accounts.organisations import Role
from tests.support.html import page


@pytest.mark.parametrize("role", [Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_another_organisations_page_is_not_found(clients, other_org, make_user, role):
    make_user(Role.ORG_LEAD, other_org, name="Secret Person")
    response = clients[role].get(f"/organisations/{other_org.id}")
    assert response.status_code == 404
    text = page(response).get_text()
    assert "Other Trust" not in text and "Secret Person" not in text


def test_own_organisation_page_shows_its_people(clients, people, org):
    soup = page(clients[Role.ORG_CONTRIBUTOR].get(f"/organisations/{org.id}"))
    assert soup.h1.get_text() == "Home Trust"
    assert people[Role.ORG_LEAD].name in soup.get_text()


def test_hee_admins_see_every_organisation(clients, org, other_org):
    text = page(clients[Role.HEE_ADMIN].get("/organisations")).get_text()
    assert "Home Trust" in text and "Other Trust" in text
    assert clients[Role.HEE_ADMIN].get(f"/organisations/{other_org.id}").status_code == 200


def test_reviewers_see_only_the_organisations_in_their_cohorts(clients, org, other_org, enrol):
    reviewer = clients[Role.HEE_REVIEWER]
    assert "Home Trust" not in page(reviewer.get("/organisations")).get_text()
    assert reviewer.get(f"/organisations/{org.id}").status_code == 404
    enrol(org)  # the test cohort, which the reviewer is assigned to
    text = page(reviewer.get("/organisations")).get_text()
    assert "Home Trust" in text and "Other Trust" not in text
    assert reviewer.get(f"/organisations/{org.id}").status_code == 200
    assert reviewer.get(f"/organisations/{other_org.id}").status_code == 404


@pytest.mark.parametrize("role", [Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_organisation_staff_cannot_open_the_cohort_list(clients, role):
    response = clients[role].get("/organisations")
    assert response.status_code == 403
    assert "permission" in page(response).h1.get_text()


def test_missing_organisation_is_not_found_for_hee(clients):
    assert clients[Role.HEE_ADMIN].get("/organisations/99999").status_code == 404


def test_reviewer_cannot_invite_hee_staff(clients):
    assert clients[Role.HEE_REVIEWER].get("/hee-staff/invite").status_code == 403
