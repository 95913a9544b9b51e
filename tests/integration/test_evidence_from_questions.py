"""Evidence from where it is asked for and judged (issue 18, items 3 and 4): a lead goes from a
question page to the library and back without losing what was typed; a reviewer opens each
cited item from the page where they judge the criterion."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from accredit.domain.accounts.organisations import Role
from tests.integration import evidence_helpers as evidence
from tests.integration.assess_helpers import post_page
from tests.integration.review_helpers import start_review
from tests.support.forms import csrf_token
from tests.support.html import page


def _question(assessment_id: int) -> str:
    return f"/assessments/{assessment_id}/criteria/1.1"


def test_save_and_add_evidence_keeps_the_answers_and_comes_back(
    make_assessment, org, people, clients
):
    lead = clients[Role.ORG_LEAD]
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    url = _question(assessment.id)
    shown = page(lead.get(url))
    assert not [a for a in shown.find_all("a", href=True) if not a["href"].strip()]
    assert "Your evidence library is empty" in shown.get_text()
    assert shown.find("button", {"name": "action", "value": "evidence"})

    # Saved as it is (the evidence it asks for is not there yet), then off to the library.
    response = post_page(lead, url, {"q1": "yes", "q2": "Head of education"}, action="evidence")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == f"/organisations/{org.id}/evidence/new"
    assert parse_qs(target.query)["back"] == [url]
    assert _saved(assessment.id) == "Head of education"

    adding = page(lead.get(response.headers["Location"]))
    assert adding.select_one(".nhsuk-back-link a, a.nhsuk-back-link")["href"] == url
    form = adding.find("form", enctype="multipart/form-data")
    assert parse_qs(urlsplit(form["action"]).query)["back"] == [url]
    added = _add_statement(lead, response.headers["Location"])
    assert added.status_code == 302 and added.headers["Location"] == url
    back = page(lead.get(url))
    assert "Induction has been added" in back.get_text()
    offered = [label.get_text(strip=True) for label in back.select("#question-evidence label")]
    assert offered == ["Induction"]  # ready to link
    assert back.find("input", {"name": "q2"})["value"] == "Head of education"


def _add_statement(client, new_url: str):
    return client.post(
        new_url,
        data={
            "csrf_token": csrf_token(client, new_url),
            "kind": "statement",
            "title": "Induction",
            "description": "",
            "statement": "We induct every learner on their first morning.",
            "url": "",
            "effective_date-day": "",
            "effective_date-month": "",
            "effective_date-year": "",
        },
        content_type="multipart/form-data",
    )


def _saved(assessment_id: int) -> object:
    from sqlalchemy import select

    from accredit.data.models import Answer
    from accredit.extensions import db

    db.session.expire_all()
    return db.session.scalar(
        select(Answer.value).filter_by(assessment_id=assessment_id, key="1.1/2")
    )


@pytest.mark.parametrize(
    "back",
    ["https://evil.example/x", "//evil.example/x", "/home", "/assessments/1/review", "\\\\evil"],
)
def test_back_goes_only_to_a_question_page(org, people, clients, back):
    lead = clients[Role.ORG_LEAD]
    new_url = f"/organisations/{org.id}/evidence/new?kind=statement&back={back}"
    assert "Back to the evidence library" in page(lead.get(new_url)).get_text()
    added = _add_statement(lead, new_url)
    assert added.status_code == 302
    assert added.headers["Location"].startswith(f"/organisations/{org.id}/evidence/")


def test_a_reviewer_opens_cited_evidence_from_the_judging_page(enrol, org, people, clients):

    from accredit.seed.demo_assessments import Stage, seed_stage

    lead = clients[Role.ORG_LEAD]
    item = evidence.added_item(evidence.add(lead, org))
    aid = seed_stage(enrol(org), people[Role.ORG_LEAD], Stage.SUBMITTED).id
    evidence.cite(aid, "1.1", [item.id])
    reviewer = clients[Role.HEE_REVIEWER]
    assert start_review(reviewer, aid).status_code == 302
    judging = page(reviewer.get(f"/assessments/{aid}/review/criteria/1.1"))
    link = judging.find("a", href=f"/organisations/{org.id}/evidence/{item.id}")
    assert link is not None and link.get_text(strip=True) == "Work experience policy"
    opened = reviewer.get(link["href"])
    assert opened.status_code == 200 and "Work experience policy" in opened.get_data(as_text=True)
