"""The words people read (issue 18, item 10): profile questions in good English, roles named as
a sentence names them, the service's own name in emails, and comments held to an answer's
length with a message that says by how much."""

from __future__ import annotations

import re

from accredit.data.models import Comment
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.comments import COMMENT_MAX
from accredit.extensions import db
from accredit.services.operations.mail import read_outbox
from tests.integration.review_helpers import judge, start_review
from tests.support.forms import csrf_token, submit
from tests.support.html import error_summary, page

SERVICE = "Work experience accreditation"


def _text(response) -> str:
    return " ".join(page(response).get_text(" ", strip=True).split())


def test_every_profile_question_reads_as_english(make_assessment, org, people, clients):
    make_assessment(org, people[Role.ORG_LEAD])
    client = clients[Role.ORG_LEAD]
    url = f"/organisations/{org.id}/profile"
    legends = [
        " ".join(legend.get_text(" ", strip=True).split())
        for legend in page(client.get(url)).select("fieldset legend")
    ]
    assert legends == [
        "Does your organisation offer placements to under-16s?",
        "Does your organisation offer clinical placements?",
        "Does your organisation offer T Level industry placements?",
    ]
    refused = submit(client, url, {"offers_under_16": "yes"})
    assert refused.status_code == 400
    assert error_summary(page(refused)) == [
        "Select yes if your organisation offers clinical placements",
        "Select yes if your organisation offers T Level industry placements",
    ]


def test_hee_staff_are_told_their_role_as_a_sentence_says_it(clients):
    assert "You are signed in as an HEE admin." in _text(clients[Role.HEE_ADMIN].get("/home"))
    reviewer = _text(clients[Role.HEE_REVIEWER].get("/home"))
    assert "You are signed in as an HEE reviewer." in reviewer
    assert "hee admin" not in reviewer.lower() and "hee reviewer." not in reviewer


def test_emails_name_the_service_and_the_role_properly(app, settings, clients, org, people):
    submit(
        clients[Role.HEE_ADMIN],
        f"/organisations/{org.id}/invite",
        {"name": "New Person", "email": "new.lead@example.nhs.uk", "role": "org_lead"},
    )
    invitation = read_outbox(settings)[-1]
    assert invitation["Subject"] == f"You have been invited to {SERVICE}"
    body = " ".join(invitation.get_content().split())
    assert f"has invited you to use {SERVICE} for {org.name} as an organisation lead." in body
    link = re.search(r"http://localhost(/invitations/[\w-]+)", body)
    assert link
    accept = _text(app.test_client().get(link.group(1)))
    assert "You have been invited as an organisation lead." in accept

    submit(app.test_client(), "/forgot-password", {"email": people[Role.ORG_LEAD].email})
    reset = read_outbox(settings)[-1]
    assert reset["Subject"] == f"Reset your {SERVICE} password"
    for message in (invitation, reset):
        words = f"{message['Subject']} {message.get_content()}"
        assert not re.search(r"\baccredit\b", words.replace("localhost", "")), words


def test_a_colleagues_comment_is_held_to_an_answers_length(make_assessment, org, people, clients):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    client = clients[Role.ORG_CONTRIBUTOR]
    question = f"/assessments/{assessment.id}/criteria/1.1"
    token = csrf_token(client, question)
    refused = client.post(question + "/comments", data={"csrf_token": token, "body": "x" * 1_001})
    assert refused.status_code == 400
    assert db.session.query(Comment).count() == 0
    shown = page(refused)
    message = "Your comment must be 1,000 characters or fewer: you have 1 character too many"
    assert error_summary(shown) == [message]
    assert message in shown.select_one("#comment-body-error").get_text()
    assert shown.select_one("textarea#comment-body").get_text() == "x" * 1_001  # nothing lost
    client.post(question + "/comments", data={"csrf_token": token, "body": "y" * COMMENT_MAX})
    assert [len(c.body) for c in db.session.query(Comment).all()] == [1_000]


def test_a_reviewers_comment_is_held_to_an_answers_length(clients, enrol, org, people):
    from accredit.seed.demo_assessments import Stage, seed_stage

    assessment = seed_stage(enrol(org), people[Role.ORG_LEAD], Stage.SUBMITTED)
    reviewer = clients[Role.HEE_REVIEWER]
    start_review(reviewer, assessment.id)
    refused = judge(reviewer, assessment.id, "1.1", "disagree", "z" * 1_025)
    assert refused.status_code == 400
    assert error_summary(page(refused)) == [
        "The comment must be 1,000 characters or fewer: you have 25 characters too many"
    ]
    assert judge(reviewer, assessment.id, "1.1", "disagree", "z" * 1_000).status_code == 302
