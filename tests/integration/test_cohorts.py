"""Cohorts: HEE admins create and change them; HEE reviewers read; organisations never reach."""

from __future__ import annotations

import pytest

from accredit.data.models import AuditEvent, Cohort, CohortReviewer
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from tests.support.forms import csrf_token
from tests.support.html import error_summary, page


def _post(client, url, **fields):
    data = {
        "csrf_token": csrf_token(client, url),
        "name": "North West cohort",
        "year": "2027",
        "region": "",
        "standard": "employability@2026.2",
        "deadline-day": "31",
        "deadline-month": "3",
        "deadline-year": "2028",
    }
    data.update(fields)
    return client.post(url, data=data)


def test_an_admin_creates_and_changes_a_cohort(clients, people, standards_loaded):
    admin = clients[Role.HEE_ADMIN]
    response = _post(admin, "/cohorts/new")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cohorts")
    cohort = db.session.query(Cohort).one()
    assert (cohort.name, cohort.year, cohort.standard_id, cohort.standard_version) == (
        "North West cohort",
        2027,
        "employability",
        "2026.2",
    )
    assert cohort.deadline.isoformat() == "2028-03-31" and cohort.region is None

    region = page(admin.get("/cohorts/new")).select("select[name=region] option")[1]["value"]
    response = _post(admin, f"/cohorts/{cohort.id}/edit", name="North West 2027", region=region)
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Cohort, cohort.id)
    assert changed.name == "North West 2027" and changed.region.code == region
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["cohort.created", "cohort.updated"]

    reviewer = clients[Role.HEE_REVIEWER]
    assert "North West 2027" not in page(reviewer.get("/cohorts")).get_text()  # not assigned
    with unit_of_work():
        db.session.add(CohortReviewer(cohort_id=cohort.id, user_id=people[Role.HEE_REVIEWER].id))
    rows = page(reviewer.get("/cohorts")).select("tbody tr")
    assert "North West 2027" in rows[0].get_text()
    assert "EMPLOYABILITY 2026.2" in rows[0].get_text()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter the cohort's name"),
        ({"year": ""}, "Enter the year, for example 2026"),
        ({"year": "1999"}, "Enter a year between 2015 and 2100"),
        ({"standard": ""}, "Choose the standard and version"),
        ({"standard": "weqs@1999.9"}, "Choose a published version of a standard"),
        ({"region": "NOWHERE"}, "Choose a region from the list"),
        ({"deadline-day": "31", "deadline-month": "2"}, "Submission deadline must be a real date"),
    ],
)
def test_bad_details_are_refused_with_a_message(clients, standards_loaded, fields, message):
    response = _post(clients[Role.HEE_ADMIN], "/cohorts/new", **fields)
    assert response.status_code == 200
    assert error_summary(page(response)) == [message]
    assert db.session.query(Cohort).count() == 0


def test_two_cohorts_cannot_share_a_name_and_year(clients, standards_loaded):
    admin = clients[Role.HEE_ADMIN]
    assert _post(admin, "/cohorts/new").status_code == 302
    response = _post(admin, "/cohorts/new")
    assert error_summary(page(response)) == [
        "There is already a cohort called North West cohort in 2027"
    ]


def test_the_standard_is_fixed_once_assessments_have_started(clients, make_assessment, org):
    make_assessment(org)
    cohort = db.session.query(Cohort).one()
    response = _post(
        clients[Role.HEE_ADMIN], f"/cohorts/{cohort.id}/edit", standard="employability@2026.2"
    )
    assert error_summary(page(response)) == [
        "Assessments have started against this cohort's standard version, so it cannot change"
    ]


def test_no_cohort_can_start_on_a_superseded_version(clients, standards_loaded):
    admin = clients[Role.HEE_ADMIN]
    offered = [o["value"] for o in page(admin.get("/cohorts/new")).select("#standard option")]
    assert "employability@2026.2" in offered
    assert "weqs@2026.1" not in offered and "employability@2026.1" not in offered
    response = _post(admin, "/cohorts/new", standard="weqs@2026.1")
    assert response.status_code == 200
    assert error_summary(page(response)) == [
        "Work Experience Quality Standard, version 2026.1 has been superseded: "
        "choose a current version"
    ]
    assert db.session.query(Cohort).count() == 0


def test_a_cohort_already_on_a_superseded_version_keeps_it(clients, make_assessment, org):
    make_assessment(org)  # a WEQS 2026.1 cohort, started before the version was superseded
    cohort = db.session.query(Cohort).one()
    admin = clients[Role.HEE_ADMIN]
    url = f"/cohorts/{cohort.id}/edit"
    options = page(admin.get(url)).select("#standard option")
    current = next(o for o in options if o["value"] == "weqs@2026.1")
    assert current.has_attr("selected") and "(superseded)" in current.get_text()
    response = _post(admin, url, name="Renamed cohort", standard="weqs@2026.1")
    assert response.status_code == 302, error_summary(page(response))
    db.session.expire_all()
    kept = db.session.get(Cohort, cohort.id)
    assert (kept.name, kept.standard_version) == ("Renamed cohort", "2026.1")


def test_only_hee_admins_change_cohorts(clients, standards_loaded):
    for role in (Role.HEE_REVIEWER, Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        assert clients[role].get("/cohorts/new").status_code == 403
        assert _post(clients[role], "/cohorts/new").status_code == 403
    for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        assert clients[role].get("/cohorts").status_code == 403
    assert clients[Role.HEE_ADMIN].get("/cohorts/999/edit").status_code == 404
