"""HEE admins assign reviewers to cohorts; a reviewer then sees those cohorts and no others."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accredit.data.models import AuditEvent, Cohort, CohortReviewer
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from tests.support.forms import csrf_token, submit
from tests.support.html import error_summary, page


def _cohort(name: str) -> Cohort:
    cohort = Cohort(name=name, year=2027, standard_id="weqs", standard_version="2026.1")
    with unit_of_work():
        db.session.add(cohort)
    return cohort


@pytest.fixture
def cohorts(standards_loaded) -> tuple[Cohort, Cohort]:
    return _cohort("Spring 2027"), _cohort("Autumn 2027")


def _names(client) -> list[str]:
    return [
        row.select_one("th").get_text(strip=True)
        for row in page(client.get("/cohorts")).select("tbody tr")
    ]


def _assigned(cohort: Cohort) -> set[int]:
    return set(db.session.scalars(select(CohortReviewer.user_id).filter_by(cohort_id=cohort.id)))


def test_an_admin_assigns_a_reviewer_who_then_sees_only_that_cohort(
    clients, people, make_user, cohorts
):
    spring, autumn = cohorts
    admin, reviewer = clients[Role.HEE_ADMIN], clients[Role.HEE_REVIEWER]
    chosen = people[Role.HEE_REVIEWER]
    bystander = make_user(Role.HEE_REVIEWER, name="Another Reviewer")
    url = f"/cohorts/{spring.id}/reviewers"
    assert _names(reviewer) == []
    assert reviewer.get(f"/cohorts/{spring.id}").status_code == 404

    options = page(admin.get(url)).select("select[name=reviewer] option")
    offered = {o["value"] for o in options if o["value"]}
    assert offered == {str(chosen.id), str(bystander.id)}  # HEE reviewers only
    response = submit(admin, url, {"reviewer": str(chosen.id)})
    assert response.status_code == 302 and response.headers["Location"] == url
    assert _assigned(spring) == {chosen.id}

    soup = page(admin.get(url))
    rows = soup.select("tbody tr")
    assert len(rows) == 1 and chosen.name in rows[0].get_text()
    assert rows[0].select_one("button").get_text(" ", strip=True) == f"Remove {chosen.name}"
    offered = {o["value"] for o in soup.select("select[name=reviewer] option") if o["value"]}
    assert offered == {str(bystander.id)}  # no longer offered once assigned

    assert _names(reviewer) == ["Spring 2027"]
    assert reviewer.get(f"/cohorts/{spring.id}").status_code == 200
    assert reviewer.get(f"/cohorts/{autumn.id}").status_code == 404
    assert _names(clients[Role.HEE_ADMIN]) == ["Autumn 2027", "Spring 2027"]

    remove = rows[0].select_one("form")["action"]
    assert remove == f"/cohorts/{spring.id}/reviewers/{chosen.id}/remove"
    response = admin.post(remove, data={"csrf_token": csrf_token(admin, url)})
    assert response.status_code == 302 and response.headers["Location"] == url
    assert _assigned(spring) == set()
    assert _names(reviewer) == []
    assert reviewer.get(f"/cohorts/{spring.id}").status_code == 404
    assert "No reviewers are assigned" in page(admin.get(url)).get_text()

    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action.like("cohort.reviewer-%"))
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.target) for e in events] == [
        ("cohort.reviewer-added", f"cohort:{spring.id}"),
        ("cohort.reviewer-removed", f"cohort:{spring.id}"),
    ]
    assert (
        events[0].after["email"] == chosen.email and events[0].actor_id == people[Role.HEE_ADMIN].id
    )

    again = admin.post(remove, data={"csrf_token": csrf_token(admin, url)})  # a second click
    assert again.status_code == 302
    assert "That reviewer is not assigned to this cohort" in page(admin.get(url)).get_text()


@pytest.mark.parametrize(
    "who", [Role.HEE_ADMIN, Role.ORG_LEAD, Role.ORG_CONTRIBUTOR, "inactive", "missing", "blank"]
)
def test_only_active_hee_reviewers_can_be_assigned(clients, people, make_user, cohorts, who):
    spring, _ = cohorts
    if who == "inactive":
        value = str(make_user(Role.HEE_REVIEWER, active=False).id)
    elif who == "missing":
        value = "999999"
    elif who == "blank":
        value = ""
    else:
        value = str(people[who].id)
    url = f"/cohorts/{spring.id}/reviewers"
    response = submit(clients[Role.HEE_ADMIN], url, {"reviewer": value})
    assert response.status_code == 200
    expected = (
        "Select a reviewer to add" if who == "blank" else "Select an HEE reviewer from the list"
    )
    assert error_summary(page(response)) == [expected]
    assert _assigned(spring) == set()


def test_a_reviewer_already_assigned_is_not_added_twice(clients, people, cohorts):
    spring, _ = cohorts
    reviewer = people[Role.HEE_REVIEWER]
    url = f"/cohorts/{spring.id}/reviewers"
    token = csrf_token(clients[Role.HEE_ADMIN], url)
    assert clients[Role.HEE_ADMIN].post(url, data={"csrf_token": token, "reviewer": reviewer.id})
    response = clients[Role.HEE_ADMIN].post(
        url, data={"csrf_token": token, "reviewer": reviewer.id}
    )
    assert error_summary(page(response)) == [
        f"{reviewer.name} is already a reviewer of this cohort"
    ]
    assert _assigned(spring) == {reviewer.id}
    soup = page(clients[Role.HEE_ADMIN].get(url))
    assert not soup.select("select[name=reviewer]")  # nobody left to offer
    assert "Every HEE reviewer is already assigned to this cohort" in soup.get_text()


@pytest.mark.parametrize("role", [Role.HEE_REVIEWER, Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_only_hee_admins_assign_reviewers(clients, people, cohorts, role):
    spring, _ = cohorts
    reviewer = people[Role.HEE_REVIEWER]
    with unit_of_work():
        db.session.add(CohortReviewer(cohort_id=spring.id, user_id=reviewer.id))
    client = clients[role]
    token = csrf_token(client, "/home")
    url = f"/cohorts/{spring.id}/reviewers"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"csrf_token": token, "reviewer": reviewer.id}).status_code == 403
    remove = f"{url}/{reviewer.id}/remove"
    assert client.post(remove, data={"csrf_token": token}).status_code == 403
    assert _assigned(spring) == {reviewer.id}


def test_reviewers_of_a_cohort_that_does_not_exist_are_not_found(clients, people):
    admin = clients[Role.HEE_ADMIN]
    token = csrf_token(admin, "/home")
    assert admin.get("/cohorts/999999/reviewers").status_code == 404
    reviewer = people[Role.HEE_REVIEWER].id
    assert admin.post("/cohorts/999999/reviewers", data={"csrf_token": token}).status_code == 404
    response = admin.post(
        f"/cohorts/999999/reviewers/{reviewer}/remove", data={"csrf_token": token}
    )
    assert response.status_code == 404
