"""The forms the route sweep's world does not show, fuzzed in the state that shows them.

test_hostile_forms posts hostile values to every form its one world shows; a few forms appear
only in another state (an organisation not yet started, an assessment answered in full, a
review with every criterion judged, an import with no errors, a session that has ended). Each
is set up here, its page read for the form's fields, and the same fuzz run: never a 500, a
clear refusal that saves nothing, or a success.
"""

from __future__ import annotations

from flask import Flask, url_for
from sqlalchemy import select

from accredit.data.models import CohortImport, CohortMembership
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from tests.integration.review_helpers import judge_all, start_review
from tests.integration.test_hostile_forms import Target, _fuzz
from tests.support.forms import _TOKEN as TOKEN
from tests.support.hostile import form_fields


def _url(app: Flask, endpoint: str, **values: object) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)


def _fuzz_form_on_page(client, target: Target) -> None:
    html = client.get(target.page).get_data(as_text=True)
    fields = form_fields(html, target.page, target.url)
    assert fields is not None, f"{target.endpoint}: no form on {target.page}"
    token = TOKEN.search(html)
    assert token, f"no CSRF token on {target.page}"
    _fuzz(client, target, token.group(1), fields)
    assert not target.problems, "\n".join(target.problems[:20])


def test_starting_an_assessment(app, enrol, make_org, make_user, sign_in_as):
    organisation = enrol(make_org())
    lead = make_user(Role.ORG_LEAD, organisation)
    target = Target(
        "assess.begin",
        _url(app, "assess.begin", organisation_id=organisation.id),
        _url(app, "assess.start", organisation_id=organisation.id),
        Role.ORG_LEAD,
    )
    _fuzz_form_on_page(sign_in_as(lead), target)


def test_submitting_an_assessment(app, enrol, make_org, make_user, sign_in_as):
    organisation = enrol(make_org())
    lead = make_user(Role.ORG_LEAD, organisation)
    assessment = seed_stage(organisation, lead, Stage.SILVER)  # every question answered
    assert assessment is not None
    url = _url(app, "assess.submit", assessment_id=assessment.id)
    _fuzz_form_on_page(sign_in_as(lead), Target("assess.submit", url, url, Role.ORG_LEAD))


def test_accepting_an_assessment(app, enrol, make_org, make_user, people, sign_in_as):
    organisation = enrol(make_org())
    lead = make_user(Role.ORG_LEAD, organisation)
    assessment = seed_stage(organisation, lead, Stage.SUBMITTED)
    assert assessment is not None
    reviewer = sign_in_as(people[Role.HEE_REVIEWER])
    assert start_review(reviewer, assessment.id).status_code == 302
    judge_all(reviewer, assessment.id)  # acceptance is offered once every criterion is judged
    url = _url(app, "review.accept", assessment_id=assessment.id)
    _fuzz_form_on_page(reviewer, Target("review.accept", url, url, Role.HEE_REVIEWER))


def test_confirming_an_import(app, enrol, make_org, people, sign_in_as):
    organisation = enrol(make_org())
    cohort_id = db.session.scalar(
        select(CohortMembership.cohort_id).where(
            CohortMembership.organisation_id == organisation.id
        )
    )
    row = {
        "ods_code": "RX7",
        "name": "Clean Import Trust",
        "type": "acute_trust",
        "region": "london",
        "lead_name": "Clean Lead",
        "lead_email": "clean.lead@example.nhs.uk",
    }
    preview = CohortImport(
        cohort_id=cohort_id,
        filename="clean.csv",
        rows=[
            {"line": 2, "values": row, "errors": [], "notes": [], "existing": False, "invite": True}
        ],
    )
    with unit_of_work():
        db.session.add(preview)
    url = _url(app, "cohorts.import_preview", cohort_id=cohort_id, import_id=preview.id)
    admin = sign_in_as(people[Role.HEE_ADMIN])
    _fuzz_form_on_page(admin, Target("cohorts.import_preview", url, url, Role.HEE_ADMIN))


def test_signing_in_again_after_the_session_ended(app, make_assessment, org, people):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    question = _url(app, "assess.question", assessment_id=assessment.id, criterion_id="1.1")
    browser = app.test_client()  # signed out: a late post shows the session-ended page
    ended = browser.post(question, data={"q2": "Typed before the session ended"})
    assert ended.status_code == 401
    html = ended.get_data(as_text=True)
    url = _url(app, "auth.continue_session")
    fields = form_fields(html, question, url)
    assert fields is not None and {f.name for f in fields} >= {"email", "password", "carry"}
    token = TOKEN.search(html)
    assert token
    target = Target("auth.continue_session", url, question, None)
    _fuzz(browser, target, token.group(1), fields)
    assert not target.problems, "\n".join(target.problems[:20])
