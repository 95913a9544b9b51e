"""Unknown is not "no": the organisation profile is answered before an assessment starts, a
criterion gated on an unanswered field waits for it, and submission lists the profile as missing.
On SQLite and PostgreSQL."""

from __future__ import annotations

from accredit.data.models import Assessment, Cohort, CohortMembership, Organisation
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.assessments.assessments import ProfileIncomplete, start
from tests.support import profiles
from tests.support.html import page

#: WEQS 2026.2 asks about DBS (3.3) by age band and by regulated activity.
DBS = "3.3"


def _join_weqs_2026_2(organisation: Organisation, profile: dict[str, object]) -> Organisation:
    organisation = db.session.get(Organisation, organisation.id)
    with unit_of_work():
        cohort = Cohort(
            name="Cohort 2027", year=2027, standard_id="weqs", standard_version="2026.2"
        )
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
        organisation.profile = profile
    return organisation


def _token(client, url: str) -> str:
    return page(client.get(url)).find("input", {"name": "csrf_token"})["value"]


def _assessments(organisation: Organisation) -> list[Assessment]:
    db.session.expire_all()
    return db.session.query(Assessment).filter_by(organisation_id=organisation.id).all()


def test_starting_asks_for_the_profile_first_and_then_starts(
    standards_loaded, org, people, clients
):
    _join_weqs_2026_2(org, {})
    client = clients[Role.ORG_LEAD]
    start_page = page(client.get(f"/organisations/{org.id}/assessment/start"))
    assert start_page.find("h2", string="Answer your organisation profile first")
    assert not start_page.find("button", string="Start self-assessment")
    # A start posted anyway (an old tab) is sent to the profile and starts nothing.
    token = _token(client, f"/organisations/{org.id}/profile")
    refused = client.post(f"/organisations/{org.id}/assessment/start", data={"csrf_token": token})
    assert refused.headers["Location"] == f"/organisations/{org.id}/profile"
    assert _assessments(org) == []
    profile_page = page(client.get(f"/organisations/{org.id}/profile"))
    assert "Answer your organisation profile before you start" in profile_page.get_text()
    legends = [legend.get_text(" ", strip=True) for legend in profile_page.select("legend")]
    assert "Does your organisation have learners who take part in regulated activity?" in legends
    assert "Regulated activity is work" in profile_page.get_text()  # the field's hint

    answers = {name: "no" for name in profiles.ANSWERED} | {"offers_adults": "yes"}
    answers.pop("org_type", None)
    saved = client.post(f"/organisations/{org.id}/profile", data={"csrf_token": token, **answers})
    assert saved.headers["Location"] == f"/organisations/{org.id}/assessment/start"
    token = _token(client, f"/organisations/{org.id}/assessment/start")
    started = client.post(f"/organisations/{org.id}/assessment/start", data={"csrf_token": token})
    [assessment] = _assessments(org)
    assert started.headers["Location"] == f"/assessments/{assessment.id}"
    assert assessment.standard_version == "2026.2"


def test_the_service_refuses_to_start_without_the_profile(standards_loaded, org, people):
    _join_weqs_2026_2(org, profiles.answered(regulated_activity=None))
    try:
        start(people[Role.ORG_LEAD], db.session.get(Organisation, org.id))
    except ProfileIncomplete:
        pass
    else:
        raise AssertionError("started with an unanswered profile field")
    assert _assessments(org) == []


def test_a_criterion_gated_on_an_unanswered_field_waits_and_submission_lists_the_profile(
    standards_loaded, org, people, clients
):
    organisation = _join_weqs_2026_2(org, profiles.answered())
    assessment = start(people[Role.ORG_LEAD], organisation)
    # A field added to the profile later (or cleared) is unknown, not "no".
    with unit_of_work():
        db.session.get(Organisation, org.id).profile = profiles.answered(regulated_activity=None)
    client = clients[Role.ORG_LEAD]

    question = page(client.get(f"/assessments/{assessment.id}/criteria/{DBS}"))
    waiting = question.select_one("#awaiting-profile")
    assert waiting is not None
    assert "Has learners who take part in regulated activity" in waiting.get_text()
    assert not question.select("form.app-question-form")
    assert "Answer the organisation profile first" in question.get_text()

    tasks = page(client.get(f"/assessments/{assessment.id}"))
    banner = tasks.select_one("#profile-needed")
    assert banner is not None and "regulated activity" in banner.get_text()

    submit = page(client.get(f"/assessments/{assessment.id}/submit"))
    missing = submit.select_one("#profile-missing")
    assert missing is not None
    assert [li.get_text(strip=True) for li in missing.select("li")] == [
        "Has learners who take part in regulated activity"
    ]
    token = _token(client, f"/organisations/{org.id}/profile")
    response = client.post(
        f"/assessments/{assessment.id}/submit", data={"csrf_token": token, "declaration": "yes"}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).submitted_at is None

    # Answered "no", the DBS criterion is decided by the age bands alone (none under 18 here).
    with unit_of_work():
        db.session.get(Organisation, org.id).profile = profiles.answered()
    settled = client.get(f"/assessments/{assessment.id}/criteria/{DBS}")
    assert settled.status_code == 404  # not applicable to an adults-only provider
