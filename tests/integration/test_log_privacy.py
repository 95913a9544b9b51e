"""No personal data in the application log: a whole journey through the Flask client, every log
record captured at DEBUG (and the JSON request log beside it), and none may carry an email
address, a person's name, an answer, a comment, an evidence file name or a token.

The audit trail keeps all of these, as it must; the log is read by more people, kept longer
and copied to more places, so it names people and records by id only.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from accredit.data.models import Answer, Assessment, Award
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.logs import configure_logging
from accredit.seed.demo_assessments import _rest, _short_of, fill
from accredit.services.assessments import assessments
from accredit.services.assessments.workspace import load
from accredit.services.operations.mail import read_outbox
from tests.integration import evidence_helpers as evidence
from tests.integration.assess_helpers import post_page
from tests.integration.review_helpers import judge, judge_all, met_mandatory_bronze, start_review
from tests.support.forms import submit

LEAD_NAME, LEAD_EMAIL = "Philippa Quenby-Marchetti", "philippa.quenby@example.nhs.uk"
COLLEAGUE_NAME, COLLEAGUE_EMAIL = "Ignatius Wembury", "ignatius.wembury@example.nhs.uk"
ADMIN_NAME, ADMIN_EMAIL = "Octavia Fernsby", "octavia.fernsby@example.nhs.uk"
REVIEWER_NAME, REVIEWER_EMAIL = "Balthazar Nettlefold", "balthazar.nettlefold@example.nhs.uk"
ANSWER = "Head of Zanzibar Marmalade Outreach"
FILENAME = "Quixotic-placement-charter.pdf"
COMMENT = "The Quillfeather policy lapsed in 2019: attach the renewed one."
NOTE = "Please revisit the Snorkelwhistle placement register."
PASSWORD = "thistle-cobalt-lantern-61"
NEW_PASSWORD = "meadow-copper-violin-84"


@pytest.fixture
def captured(app, caplog) -> Iterator[tuple[pytest.LogCaptureFixture, io.StringIO]]:
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    caplog.set_level(logging.DEBUG)
    yield caplog, stream
    configure_logging("INFO", "json")


def _link(settings, path: str) -> str:
    body = read_outbox(settings)[-1].get_content()
    match = re.search(rf"http://localhost({path}/\S+)", body)
    assert match, body
    return match.group(1)


def _answer_the_rest(assessment_id: int, evidence_id: int) -> None:
    """Answer every other question as the demo's submitted organisation does (directly: the
    pages for answering are driven above and in test_assess)."""
    assessment = db.session.get(Assessment, assessment_id)
    workspace = load(assessment)
    standard, profile = workspace.standard, workspace.profile
    answers = fill(standard, profile, 2, str(evidence_id))
    answers = _short_of(standard, profile, _rest(standard, profile, answers, str(evidence_id)), 2)
    have = set(db.session.scalars(select(Answer.key).filter_by(assessment_id=assessment_id)))
    with unit_of_work():
        for key, value in answers.items():
            if key not in have:
                db.session.add(Answer(assessment_id=assessment_id, key=key, value=value))
        assessment.revision += 1
        db.session.flush()
        assessments.refresh_summary(load(assessment))


def test_a_whole_journey_writes_no_personal_data_to_the_log(
    app, settings, enrol, make_org, make_user, sign_in_as, captured
):
    caplog, stream = captured
    admin = make_user(Role.HEE_ADMIN, name=ADMIN_NAME, email=ADMIN_EMAIL)
    reviewer = make_user(Role.HEE_REVIEWER, name=REVIEWER_NAME, email=REVIEWER_EMAIL)
    org = enrol(make_org("Westerby Community Trust"))
    admin_client, reviewer_client = sign_in_as(admin), sign_in_as(reviewer)
    tokens: list[str] = []

    # HEE invites the lead, who sets a password from the link and signs in.
    invite = {"name": LEAD_NAME, "email": LEAD_EMAIL, "role": "org_lead"}
    assert submit(admin_client, f"/organisations/{org.id}/invite", invite).status_code == 302
    link = _link(settings, "/invitations")
    tokens.append(link.rsplit("/", 1)[1])
    lead = app.test_client()
    assert lead.get(link).status_code == 200
    assert submit(lead, link, {"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    wrong = submit(lead, "/sign-in", {"email": LEAD_EMAIL, "password": "not-the-password-1"})
    assert wrong.status_code == 401
    signed_in = submit(lead, "/sign-in", {"email": LEAD_EMAIL, "password": PASSWORD})
    assert signed_in.headers["Location"] == "/home"

    # The lead invites a colleague.
    colleague = {"name": COLLEAGUE_NAME, "email": COLLEAGUE_EMAIL, "role": "org_contributor"}
    assert submit(lead, f"/organisations/{org.id}/invite", colleague).status_code == 302
    tokens.append(_link(settings, "/invitations").rsplit("/", 1)[1])

    # Start, answer with distinctive text, upload evidence with a distinctive name, submit.
    start = f"/organisations/{org.id}/assessment/start"
    assert submit(lead, start, {}, page=start).status_code == 302
    aid = db.session.scalars(select(Assessment.id).filter_by(organisation_id=org.id)).one()
    url = f"/assessments/{aid}/criteria/1.1"
    assert post_page(lead, url, {"q1": "yes", "q2": ANSWER}).status_code == 302
    item = evidence.added_item(evidence.add(lead, org, filename=FILENAME))
    _answer_the_rest(aid, item.id)
    assert submit(lead, f"/assessments/{aid}/submit", {"declaration": "yes"}).status_code == 302

    # The reviewer disagrees on one criterion with a comment and returns it with a note.
    assert start_review(reviewer_client, aid).status_code == 302
    target = met_mandatory_bronze(aid)
    assert judge(reviewer_client, aid, target, "disagree", COMMENT).status_code == 302
    returned = submit(reviewer_client, f"/assessments/{aid}/review/return", {"note": NOTE})
    assert returned.status_code == 302

    # The lead resubmits as it was; the reviewer accepts; the lead downloads the certificate.
    resubmitted = submit(
        lead, f"/assessments/{aid}/submit", {"declaration": "yes", "unchanged": "yes"}
    )
    assert resubmitted.status_code == 302
    assert start_review(reviewer_client, aid).status_code == 302
    judge_all(reviewer_client, aid)
    accepted = submit(reviewer_client, f"/assessments/{aid}/review/accept", {"level": "bronze"})
    assert accepted.status_code == 302
    award = db.session.scalars(select(Award).filter_by(organisation_id=org.id)).one()
    certificate = lead.get(f"/awards/{award.id}/certificate.pdf")
    assert certificate.status_code == 200 and certificate.mimetype == "application/pdf"

    # The lead forgets the password and resets it from the emailed link.
    anonymous = app.test_client()
    assert submit(anonymous, "/forgot-password", {"email": LEAD_EMAIL}).status_code == 200
    reset = _link(settings, "/reset-password")
    tokens.append(reset.rsplit("/", 1)[1])
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert submit(anonymous, reset, form).status_code == 302

    # Everything the log received, formatted.
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    records = [formatter.format(record) for record in caplog.records]
    log_text = "\n".join(records) + "\n" + stream.getvalue()
    assert len(records) > 50, "the journey should have been logged"
    assert '"route": "/invitations/<token>"' in stream.getvalue()
    assert '"route": "/reset-password/<token>"' in stream.getvalue()
    forbidden = {
        "an email address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
        **{
            f"{what} {value!r}": re.compile(re.escape(value), re.IGNORECASE)
            for what, value in [
                ("the lead's name", LEAD_NAME),
                ("the lead's surname", "Quenby"),
                ("the colleague's name", COLLEAGUE_NAME),
                ("the admin's name", ADMIN_NAME),
                ("the reviewer's name", REVIEWER_NAME),
                ("an answer", ANSWER),
                ("a comment", COMMENT),
                ("a note", NOTE),
                ("an evidence file name", FILENAME),
                ("an evidence file name", "Quixotic"),
                ("a password", PASSWORD),
                ("a password", NEW_PASSWORD),
                *[("a token", token) for token in tokens],
            ]
        },
    }
    leaks = {
        what: [line for line in log_text.splitlines() if pattern.search(line)][:3]
        for what, pattern in forbidden.items()
        if pattern.search(log_text)
    }
    assert leaks == {}
