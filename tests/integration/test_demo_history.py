"""The demo's earlier cycle: organisations accredited on WEQS 2026.1 last year, through the
whole journey, whose leads start this cycle on 2026.2 from their previous answers."""

from __future__ import annotations

from datetime import date

from accredit.data.models import Answer, Assessment, Award, Cohort, Organisation, Review, User
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.review.awards import add_months
from accredit.domain.review.review import Outcome
from accredit.extensions import db
from accredit.seed.demo import DEMO_ORGANISATIONS, DEMO_STAGES, seed_demo
from accredit.seed.demo_assessments import Stage
from accredit.seed.demo_awards import DEMO_AWARDS
from accredit.seed.demo_history import EARLIER_CYCLE
from accredit.services.assessments.workspace import load
from tests.support.forms import submit

TODAY = date.today()


def _lead(ods: str) -> User:
    index = next(i for i, d in enumerate(DEMO_ORGANISATIONS, start=1) if d.ods == ods)
    assert DEMO_STAGES[(index - 1) % len(DEMO_STAGES)] is Stage.NOT_STARTED, "not started yet"
    return db.session.query(User).filter_by(email=f"lead{index}@demo.example.nhs.uk").one()


def test_the_earlier_cycle_was_accepted_on_2026_1_with_its_award(standards_loaded, settings):
    seed_demo(settings)
    earlier = db.session.query(Cohort).filter_by(standard_version="2026.1").one()
    current = db.session.query(Cohort).filter_by(standard_version="2026.2").one()
    assert earlier.year < current.year
    ages = {ods: (level, months) for ods, level, _, months in DEMO_AWARDS}
    for ods in EARLIER_CYCLE:
        organisation = db.session.query(Organisation).filter_by(ods_code=ods).one()
        [assessment] = db.session.query(Assessment).filter_by(organisation_id=organisation.id)
        assert assessment.status is AssessmentStatus.ACCEPTED
        assert (assessment.cohort_id, assessment.standard_version) == (earlier.id, "2026.1")
        [review] = db.session.query(Review).filter_by(assessment_id=assessment.id)
        [award] = db.session.query(Award).filter_by(organisation_id=organisation.id)
        level, months = ages[ods]
        assert (review.outcome, review.level_awarded) == (Outcome.ACCEPTED, level)
        assert (award.assessment_id, award.review_id, award.level) == (
            assessment.id,
            review.id,
            level,
        )
        assert award.standard_version == "2026.1"
        assert award.awarded_on == add_months(TODAY, -months)  # when it happened, not today
        assert assessment.created_at.date() < award.awarded_on
        assert load(assessment).result.level(level).ready


def test_the_next_cycle_starts_on_2026_2_from_the_earlier_answers(
    standards_loaded, sign_in_as, settings
):
    seed_demo(settings)
    lead = _lead(EARLIER_CYCLE[0])
    organisation_id = lead.organisation_id
    client = sign_in_as(lead)
    start = f"/organisations/{organisation_id}/assessment/start"
    text = client.get(start).get_data(as_text=True)
    assert "Start from your previous answers?" in text and "version 2026.2" in text
    response = submit(client, start, {"carry_forward": "yes"}, page=start)
    assert response.status_code == 302, response.get_data(as_text=True)
    new = (
        db.session.query(Assessment)
        .filter_by(organisation_id=organisation_id)
        .order_by(Assessment.id.desc())
        .first()
    )
    assert new is not None and new.standard_version == "2026.2"
    assert new.cohort.standard_version == "2026.2" and new.previous_id is not None
    carried = db.session.query(Answer).filter_by(assessment_id=new.id, carried_forward=True)
    assert carried.count() > 20
    ws = load(new)
    # An earlier cycle made last year's activity return due, and the demo submitted it.
    assert ws.known == {"9.1/1": "yes", "9.1/2": "yes"}
    assert ws.result.criterion("9.1").status.value == "met"
    assert client.get(f"/assessments/{new.id}").status_code == 200
