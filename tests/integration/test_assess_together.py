"""Working together: assignments, assigned items, comments; and the next cycle."""

from __future__ import annotations

import shutil
from pathlib import Path

from accredit.data.models import Answer, Assessment, Assignment, Cohort, CohortMembership, Comment
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from tests.integration.assess_helpers import post_page
from tests.support.html import page

ROOT = Path(__file__).resolve().parents[2]


def _csrf(client, url: str) -> str:
    return page(client.get(url)).find("input", {"name": "csrf_token"})["value"]


def test_a_lead_assigns_a_section_and_a_criterion_and_they_show_up(
    make_assessment, org, people, clients
):
    lead, colleague = people[Role.ORG_LEAD], people[Role.ORG_CONTRIBUTOR]
    assessment = make_assessment(org, lead)
    client = clients[Role.ORG_LEAD]
    url = f"/assessments/{assessment.id}/sections/induction/assign"
    token = _csrf(client, url)
    assert client.post(url, data={"csrf_token": token, "assignee": "999"}).status_code == 400
    response = client.post(url, data={"csrf_token": token, "assignee": str(colleague.id)})
    assert response.headers["Location"] == f"/assessments/{assessment.id}"
    url = f"/assessments/{assessment.id}/criteria/1.3/assign"
    client.post(url, data={"csrf_token": _csrf(client, url), "assignee": str(colleague.id)})
    assert {a.target for a in db.session.query(Assignment).all()} == {
        "section:induction",
        "criterion:1.3",
    }
    home = page(client.get(f"/assessments/{assessment.id}")).get_text()
    assert f"assigned to {colleague.name}" in home
    mine = page(clients[Role.ORG_CONTRIBUTOR].get("/my-assigned-items"))
    links = {a.get_text(strip=True): a["href"] for a in mine.select("main li a")}
    assert links["Placement induction"] == f"/assessments/{assessment.id}/sections/induction"
    assert links["1.3 You keep one central register of all placements"].endswith("/criteria/1.3")
    # Contributors cannot assign; taking it back leaves nobody assigned.
    assert clients[Role.ORG_CONTRIBUTOR].get(url).status_code == 403
    client.post(url, data={"csrf_token": _csrf(client, url), "assignee": ""})
    assert db.session.query(Assignment).filter_by(target="criterion:1.3").count() == 0


def test_comments_are_kept_beside_the_criterion(make_assessment, org, people, clients):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    client = clients[Role.ORG_CONTRIBUTOR]
    question = f"/assessments/{assessment.id}/criteria/1.1"
    token = _csrf(client, question)
    url = question + "/comments"
    client.post(url, data={"csrf_token": token, "body": "   "})
    assert db.session.query(Comment).count() == 0
    client.post(url, data={"csrf_token": token, "body": "Is <b>the deputy</b> named yet?"})
    shown = page(clients[Role.ORG_LEAD].get(question))
    comment = shown.select_one(".app-comment__body")
    assert comment.get_text() == "Is <b>the deputy</b> named yet?"  # shown as text, not HTML
    assert comment.find("b") is None


def test_the_next_cycle_carries_answers_forward_and_shows_what_changed(
    app, settings, tmp_path, make_assessment, org, people, clients
):
    lead = people[Role.ORG_LEAD]
    first = make_assessment(org, lead, offers_under_16=True)
    client = clients[Role.ORG_LEAD]
    post_page(client, f"/assessments/{first.id}/criteria/1.1", {"q1": "yes", "q2": "Matron"})
    with unit_of_work():
        db.session.get(Assessment, first.id).status = AssessmentStatus.ACCEPTED

    # HEE loads the next version of the standard and a new cohort uses it.
    standards = tmp_path / "standards"
    (standards / "weqs").mkdir(parents=True)
    shutil.copy(ROOT / "standards/weqs/2026.1.yaml", standards / "weqs/2026.1.yaml")
    # The fixture calls itself 2026.2; the real 2026.2 is loaded already, so give it a free name.
    changed = (ROOT / "tests/unit/fixtures/weqs-2026-changed.yaml").read_text(encoding="utf-8")
    (standards / "weqs/2026.9.yaml").write_text(
        changed.replace('version: "2026.2"', 'version: "2026.9"'), encoding="utf-8"
    )
    from accredit.services.operations.standards import sync_standards

    settings.standards_path = standards
    list(sync_standards(settings))
    with unit_of_work():
        cohort = Cohort(name="2027", year=2027, standard_id="weqs", standard_version="2026.9")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=org.id))

    start = f"/organisations/{org.id}/assessment/start"
    soup = page(client.get(start))
    assert soup.find("input", {"name": "carry_forward", "value": "yes"})
    response = client.post(start, data={"csrf_token": _csrf(client, start), "carry_forward": "yes"})
    second = db.session.query(Assessment).filter(Assessment.id != first.id).one()
    assert response.headers["Location"] == f"/assessments/{second.id}"
    assert (second.standard_version, second.previous_id) == ("2026.9", first.id)
    carried = db.session.query(Answer).filter_by(assessment_id=second.id).all()
    assert {(a.key, a.value, a.carried_forward) for a in carried} == {
        ("1.1/1", "yes", True),
        ("1.1/2", "Matron", True),
    }
    home = page(client.get(f"/assessments/{second.id}")).get_text()
    assert "2 answers were carried forward" in home
    assert "The standard has changed since version 2026.1" in home
    assert "6.9" in home and "4.5" in home  # added, and reworded
    question = f"/assessments/{second.id}/criteria/1.1"
    assert "carried forward from your last assessment" in page(client.get(question)).get_text()
    post_page(client, question, {"q1": "yes", "q2": "Matron"})
    db.session.expire_all()
    assert not any(
        a.carried_forward for a in db.session.query(Answer).filter_by(assessment_id=second.id)
    )


def test_only_one_assessment_is_open_at_a_time(make_assessment, org, people, clients):
    make_assessment(org, people[Role.ORG_LEAD])
    client = clients[Role.ORG_LEAD]
    start = f"/organisations/{org.id}/assessment/start"
    token = page(client.get("/home")).find("input", {"name": "csrf_token"})["value"]
    response = client.post(start, data={"csrf_token": token})
    assert response.status_code == 302
    assert "already has an assessment in progress" in client.get(
        start, follow_redirects=True
    ).get_data(as_text=True)
    assert db.session.query(Assessment).count() == 1
