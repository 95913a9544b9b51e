"""bench/load_setup.py against the real app: the load test's people can do what the locustfile
makes them do, each with an account of their own, and the pages say what it checks for."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select

from accredit.data.models import Assessment, User
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from tests.support.bench_modules import load

load_setup = load("load_setup")
pages = load("load_pages")


@pytest.fixture
def plan(app, tmp_path):  # type: ignore[no-untyped-def]
    return load_setup.prepare(app, tmp_path, 40, 3)


def signed_in(app, email: str, password: str):  # type: ignore[no-untyped-def]
    """A client signed in through the sign-in page, as the simulated people are."""
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post(
        "/sign-in",
        data={"csrf_token": pages.token(page), "email": email, "password": password},
    )
    assert response.status_code == 302, f"{email} could not sign in"
    return client


def test_every_simulated_person_has_an_account_of_their_own(plan):
    leads = [lead["email"] for lead in (*plan.leads, *plan.packers)]
    hee = [*plan.reviewers, *plan.staff]
    assert len(plan.leads) == len(plan.reviewers) == len(plan.staff) == 3 + load_setup.SPARE
    assert len(plan.packers) == 1
    assert len(set(leads + hee)) == len(leads) + len(hee)
    assessments = [lead["assessment"] for lead in (*plan.leads, *plan.packers)]
    assert len(set(assessments)) == len(assessments)  # nobody edits another's answers
    for lead in (*plan.leads, *plan.packers):
        assessment = db.session.get(Assessment, lead["assessment"])
        assert assessment is not None and assessment.status is AssessmentStatus.DRAFT
        assert assessment.organisation_id == lead["organisation"]
        assert assessment.cohort_id == plan.cohort_id
        owner = db.session.scalars(select(User).where(User.email == lead["email"])).one()
        assert owner.organisation_id == lead["organisation"] and owner.role is Role.ORG_LEAD
    roles = db.session.scalars(select(User.role).where(User.email.in_(hee))).all()
    assert set(roles) == {Role.HEE_REVIEWER}  # no admin has to sign in, two-factor or not
    assert Path(plan.evidence_pdf).read_bytes().startswith(b"%PDF")


def test_a_lead_saves_answers_as_the_locustfile_does(app, plan):
    lead = plan.leads[0]
    client = signed_in(app, lead["email"], plan.password)
    for n in range(4):  # later and continue, on both criteria
        url = f"/assessments/{lead['assessment']}/criteria/{pages.criterion_for(n)}"
        page = client.get(url).get_data(as_text=True)
        response = client.post(url, data=pages.answer_form(page, n))
        assert response.status_code == 302, response.get_data(as_text=True)[-800:]
        landing = client.get(response.headers["Location"]).get_data(as_text=True)
        expected = pages.SAVED if pages.comes_back_later(n) else pages.QUESTION_PAGE
        assert expected in landing
        assert pages.request_name(response.headers["Location"]).startswith("/assessments/[id]")
        again = client.get(url).get_data(as_text=True)
        assert pages.answer_form(page, n)["q2"] in again  # saved, not just redirected


def test_a_stale_form_is_not_counted_as_a_save(app, plan):
    """The locustfile expects 302 from a save: a refused one (here a forged base) is not."""
    lead = plan.leads[1]
    client = signed_in(app, lead["email"], plan.password)
    url = f"/assessments/{lead['assessment']}/criteria/1.1"
    form = pages.answer_form(client.get(url).get_data(as_text=True), 0)
    response = client.post(url, data={**form, "base": "forged"})
    assert response.status_code == 400
    assert form["q2"] in response.get_data(as_text=True)  # what was typed is shown again


def test_a_lead_uploads_the_plans_pdf_as_evidence(app, plan):
    lead = plan.leads[0]
    client = signed_in(app, lead["email"], plan.password)
    url = f"/organisations/{lead['organisation']}/evidence/new"
    page = client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "csrf_token": pages.token(page),
            "kind": "file",
            "title": "Register extract 1",
            "file": (BytesIO(Path(plan.evidence_pdf).read_bytes()), "register-extract-1.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "has been added to the evidence library" in shown
    report = client.get(f"/assessments/{lead['assessment']}/report").get_data(as_text=True)
    assert "Readiness report" in report


def test_hee_staff_and_reviewers_read_what_the_locustfile_asks_for(app, plan):
    staff = signed_in(app, plan.staff[0], plan.password)
    cohort = plan.cohort_id
    assert staff.get(f"/cohorts/{cohort}").status_code == 200
    view = {"region": plan.regions[0], "type": plan.types[0]}
    assert staff.get(f"/cohorts/{cohort}", query_string=view).status_code == 200
    table = staff.get(f"/cohorts/{cohort}/organisations", query_string={"page": 1, "sort": "name"})
    assert table.status_code == 200 and "Organisations" in table.get_data(as_text=True)
    reviewer = signed_in(app, plan.reviewers[0], plan.password)
    for assessment in plan.reports[:3]:
        report = reviewer.get(f"/assessments/{assessment}/report")
        assert report.status_code == 200 and "Readiness report" in report.get_data(as_text=True)


def test_too_small_a_cohort_for_the_users_is_refused_before_any_account_changes(app, tmp_path):
    with pytest.raises(SystemExit, match="draft assessments; 61 are needed for 58 users"):
        load_setup.prepare(app, tmp_path, 20, 58)
    hashes = db.session.scalars(select(User.password_hash).where(User.role == Role.ORG_LEAD))
    assert set(hashes) == {None}  # no lead was given the load test's password
