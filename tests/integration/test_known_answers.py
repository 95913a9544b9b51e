"""Answers the service already knows: a criterion answered from the organisation's activity
returns (`answered_by`), on a small standard written the way WEQS 2026.2's 9.1 is."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from accredit.data.base import utcnow
from accredit.data.models import (
    ActivityReturn,
    Answer,
    Assessment,
    Cohort,
    CohortMembership,
    CohortReviewer,
    Organisation,
    ScoreSummary,
    StandardVersion,
    User,
)
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.activity_return import SUBMITTED, financial_year
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.scoring.results import Status
from accredit.extensions import db
from accredit.services.assessments.assessments import AssessmentError, save_criterion, start, submit
from accredit.services.assessments.workspace import load
from accredit.standards import content_hash
from tests.integration.assess_helpers import open_page, post_page
from tests.integration.test_activity_returns import complete, post
from tests.support.html import page

STANDARD = """\
id: known
title: Known answers test standard
version: "1"
status: published
effective: 2026-01-01
profile_fields:
  - id: org_type
    label: Organisation type
    type: choice
    options: [acute_trust, mental_health_trust, community_trust, ambulance_trust,
              gp_practice, dental_practice, social_care, other]
levels:
  - {id: bronze, name: Bronze, colour: "#A0522D", threshold: 80}
sections:
  - id: main
    title: Main
    criteria:
      - id: "1.1"
        title: There is a named work experience lead
        level: bronze
        mandatory: true
        questions:
          - id: "1"
            text: Do you have a named work experience lead?
            type: yes_no
      - id: "9.1"
        title: The annual activity return for the last financial year is submitted
        level: bronze
        mandatory: true
        questions:
          - id: "1"
            text: Was an activity return due for the last financial year?
            type: yes_no
            scored: false
            answered_by: activity_return_due
          - id: "2"
            text: Has your organisation submitted its activity return for the last financial year?
            type: yes_no
            answered_by: activity_return_submitted
            show_if: {answer: "9.1/1", equals: "yes"}
"""
#: The year the assessment asks about: the financial year before the one it starts in (now).
YEAR = financial_year(utcnow().date()) - 1


@pytest.fixture
def cohort(app, people) -> Cohort:
    with unit_of_work():
        db.session.add(
            StandardVersion(
                standard_id="known",
                version="1",
                title="Known answers test standard",
                status="published",
                effective=datetime(2026, 1, 1).date(),
                content_hash=content_hash(STANDARD),
                criteria_count=2,
                source_text=STANDARD,
            )
        )
        cohort = Cohort(name="Known cohort", year=2026, standard_id="known", standard_version="1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortReviewer(cohort_id=cohort.id, user_id=people[Role.HEE_REVIEWER].id))
    return cohort


@pytest.fixture
def begin(cohort, people) -> Callable[..., Assessment]:
    """Put `org` in the cohort, optionally with an earlier assessment that ran during YEAR and
    a return for YEAR, and start its assessment as its lead."""

    def begin(organisation: Organisation, *, earlier: bool, returned: str | None = None):
        lead = people[Role.ORG_LEAD]
        with unit_of_work():
            db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
            if earlier:
                db.session.add(
                    Assessment(
                        organisation_id=organisation.id,
                        cohort_id=cohort.id,
                        standard_id="known",
                        standard_version="1",
                        content_hash=content_hash(STANDARD),
                        status=AssessmentStatus.ACCEPTED,
                        revision=1,
                        created_at=datetime(YEAR, 5, 1, 9, tzinfo=UTC),
                        last_activity_at=datetime(YEAR, 7, 1, 9, tzinfo=UTC),
                    )
                )
            if returned is not None:
                db.session.add(
                    ActivityReturn(
                        organisation_id=organisation.id,
                        year=YEAR,
                        status=returned,
                        figures={},
                        submitted_at=utcnow() if returned == SUBMITTED else None,
                        submitted_by_id=lead.id if returned == SUBMITTED else None,
                    )
                )
        return start(db.session.get(User, lead.id), db.session.get(Organisation, organisation.id))

    return begin


def _url(assessment: Assessment, criterion_id: str = "9.1") -> str:
    return f"/assessments/{assessment.id}/criteria/{criterion_id}"


def _status(assessment: Assessment, criterion_id: str = "9.1") -> Status:
    db.session.expire_all()
    return load(db.session.get(Assessment, assessment.id)).result.criterion(criterion_id).status


def _summary(assessment: Assessment) -> ScoreSummary:
    db.session.expire_all()
    return db.session.scalars(
        select(ScoreSummary).where(ScoreSummary.assessment_id == assessment.id)
    ).one()


def _fresh(assessment: Assessment) -> Assessment:
    db.session.expire_all()
    return db.session.get(Assessment, assessment.id)


def _lead(people) -> User:
    return db.session.get(User, people[Role.ORG_LEAD].id)


def _return_link(org: Organisation) -> str:
    return f"a[href='/organisations/{org.id}/activity-returns/{YEAR}']"


def test_a_first_cycle_owes_no_return_and_reaches_bronze(begin, org, clients):
    assessment = begin(org, earlier=False)
    lead = clients[Role.ORG_LEAD]
    assert post_page(lead, _url(assessment, "1.1"), {"q1": "yes"}).status_code == 302
    assert _status(assessment) is Status.NOT_APPLICABLE
    summary = _summary(assessment)
    assert summary.level_reached == "bronze"
    assert summary.criteria["9.1"][0] == "not_applicable"


def test_a_submitted_return_meets_it_and_both_lead_and_reviewer_see_the_return(
    begin, org, clients, people
):
    assessment = begin(org, earlier=True, returned=SUBMITTED)
    assert _status(assessment) is Status.MET
    lead = clients[Role.ORG_LEAD]
    soup = page(lead.get(_url(assessment)))
    known = soup.select_one("#known-answers")
    assert known is not None
    text = " ".join(known.get_text().split())
    assert "Was an activity return due for the last financial year? Yes" in text
    assert "submitted its activity return for the last financial year? Yes" in text
    assert "We answer these questions from your organisation's activity returns" in text
    assert known.select_one(_return_link(org)) is not None
    # Neither question is a field to fill in.
    assert not soup.select("input[name=q1], input[name=q2]")
    # The lead submits; the reviewer reads the answers with the link to the return.
    post_page(lead, _url(assessment, "1.1"), {"q1": "yes"})
    submit(_lead(people), load(_fresh(assessment)), declared=True)
    reviewer = clients[Role.HEE_REVIEWER]
    judged = page(reviewer.get(f"/assessments/{assessment.id}/review/criteria/9.1"))
    answers = judged.select_one("dl.nhsuk-summary-list")
    assert answers is not None
    assert "From the organisation's activity return for" in answers.get_text()
    link = answers.select_one(_return_link(org))
    assert link is not None
    assert reviewer.get(link["href"]).status_code == 200
    assert _summary(assessment).level_reached == "bronze"


def test_a_return_due_and_not_submitted_is_not_met_until_it_is(begin, org, clients):
    assessment = begin(org, earlier=True)
    lead = clients[Role.ORG_LEAD]
    post_page(lead, _url(assessment, "1.1"), {"q1": "yes"})
    assert _status(assessment) is Status.NOT_MET
    assert _summary(assessment).level_reached is None
    soup = page(lead.get(_url(assessment)))
    text = " ".join(soup.select_one("#known-answers").get_text().split())
    assert "submitted its activity return for the last financial year? No" in text
    assert "To meet this criterion, submit your organisation's activity return for" in text
    # Submitting the return meets it, and the stored score the dashboards read follows.
    assert post(lead, org, complete(), action="submit", year=YEAR).status_code == 302
    assert _status(assessment) is Status.MET
    summary = _summary(assessment)
    assert summary.criteria["9.1"][0] == "met" and summary.level_reached == "bronze"


def test_a_draft_return_does_not_count(begin, org):
    assessment = begin(org, earlier=True, returned="draft")
    assert _status(assessment) is Status.NOT_MET


def test_a_typed_answer_changes_nothing(begin, org, clients, people):
    assessment = begin(org, earlier=True)
    lead = clients[Role.ORG_LEAD]
    tokens = open_page(lead, _url(assessment))
    response = post_page(lead, _url(assessment), {"q1": "yes", "q2": "yes"}, tokens=tokens)
    assert response.status_code == 400
    assert "nothing was saved" in page(response).get_text()
    assert _status(assessment) is Status.NOT_MET
    stored = db.session.scalars(select(Answer.key).where(Answer.assessment_id == assessment.id))
    assert not [key for key in stored if key.startswith("9.1/")]
    # Nor can the service be asked to save one, and an answer stored anyway is overridden.
    ws = load(_fresh(assessment))
    with pytest.raises(AssessmentError):
        save_criterion(_lead(people), ws, "9.1", {"9.1/2": "yes"}, {})
    with unit_of_work():
        db.session.add(Answer(assessment_id=assessment.id, key="9.1/2", value="yes"))
    assert _status(assessment) is Status.NOT_MET


def test_the_answers_export_gives_the_services_answers(begin, cohort, org, make_org, clients):
    begin(org, earlier=True)
    first = begin(make_org("First Trust"), earlier=False)
    returned = make_org("Returned Trust")
    begin(returned, earlier=True, returned=SUBMITTED)
    response = clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}/exports/answers.csv")
    assert response.status_code == 200
    header, *body = csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")))
    cells = {
        (row[header.index("Organisation")], row[header.index("Question key")]): row[
            header.index("Answer")
        ]
        for row in body
    }
    assert (cells["Home Trust", "9.1/1"], cells["Home Trust", "9.1/2"]) == ("Yes", "No")
    assert (cells["First Trust", "9.1/1"], cells["First Trust", "9.1/2"]) == ("No", "No")
    assert (cells["Returned Trust", "9.1/1"], cells["Returned Trust", "9.1/2"]) == ("Yes", "Yes")
    assert load(_fresh(first)).known == {"9.1/1": "no", "9.1/2": "no"}


def test_the_what_if_simulation_knows_what_the_next_cycle_would_know(begin, org, make_org, people):
    """For a move to a new version, every cycle so far is an earlier one: an organisation in
    its first cycle now owes a return at its next cycle, and its submitted return meets it."""
    from accredit.data.queries.scope import scope_for
    from accredit.services.assessments.known_answers import next_cycle_facts

    newcomer = make_org("Newcomer Trust")
    begin(org, earlier=True, returned=SUBMITTED)
    admin = people[Role.HEE_ADMIN]
    scope = scope_for(admin.id, admin.role, None)
    # The cycle the simulation imagines starts a year after YEAR's return was asked about.
    later = datetime(YEAR + 2, 6, 1).date()
    facts = next_cycle_facts(scope, [org.id, newcomer.id], later)
    assert (facts[org.id].return_year, facts[org.id].return_due) == (YEAR + 1, True)
    assert facts[org.id].return_submitted is False  # YEAR + 1's return is not in
    assert facts[newcomer.id].return_due is False  # never took part: nothing owed
    now = next_cycle_facts(scope, [org.id], datetime(YEAR + 1, 6, 1).date())[org.id]
    assert (now.return_year, now.return_due, now.return_submitted) == (YEAR, True, True)
