"""The demo's earlier cycle: two organisations were accredited on WEQS 2026.1 in last year's
cohort, through the whole journey (submitted, reviewed criterion by criterion, accepted), before
the programme moved to 2026.2. Their leads have not started this cycle yet, so their start page
offers to carry last cycle's answers forward onto 2026.2, and the service answers 9.1 from the
activity return their earlier cycle made due.

The cycle runs through the real services, then its dates are moved back to when it happened
(the award's age comes from ``demo_awards.DEMO_AWARDS``). The audit trail keeps the day the demo
was seeded: it is never rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from accredit.config import Settings
from accredit.data.models import (
    Answer,
    Assessment,
    Award,
    Cohort,
    CohortMembership,
    CohortReviewer,
    CriterionReview,
    Organisation,
    Review,
    Snapshot,
    StatusChange,
    User,
)
from accredit.data.queries.operations.standards import standard_version
from accredit.data.transactions import unit_of_work
from accredit.domain.review.awards import add_months, expires_on
from accredit.domain.review.review import Agreement
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.seed.demo_awards import DEMO_AWARDS
from accredit.services.assessments.workspace import load
from accredit.services.review import review

#: Superseded since, so no cohort can start on it; what was accredited on it stays pinned to it.
EARLIER_STANDARD = ("weqs", "2026.1")
EARLIER_COHORT = ("HEE work experience cohort 2025", 2025)
#: ODS codes of the organisations whose demo award comes from a full earlier cycle.
EARLIER_CYCLE = ("RX5", "8X901")


def seed_earlier_cycle(
    settings: Settings,
    people: Sequence[tuple[Organisation, User]],
    reviewer: User,
    today: date | None = None,
) -> Cohort | None:
    """Last year's cohort on WEQS 2026.1 with an accepted assessment and its award for each of
    the EARLIER_CYCLE organisations among ``people`` (organisation, lead). Run it before they
    join the current cohort: a new assessment starts in an organisation's newest cohort.
    Nothing is made without WEQS 2026.1 loaded, or when the cohort is already there."""
    if standard_version(*EARLIER_STANDARD) is None:
        return None
    name, year = EARLIER_COHORT
    if db.session.query(Cohort).filter_by(name=name, year=year).first() is not None:
        return None
    chosen = [(o, lead) for o, lead in people if o.ods_code in EARLIER_CYCLE]
    with unit_of_work():
        cohort = Cohort(
            name=name,
            year=year,
            region=None,
            standard_id=EARLIER_STANDARD[0],
            standard_version=EARLIER_STANDARD[1],
            deadline=None,
        )
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortReviewer(cohort_id=cohort.id, user_id=reviewer.id))
        for organisation, _ in chosen:
            db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
    awards = {ods: (level, months) for ods, level, _, months in DEMO_AWARDS}
    for organisation, lead in chosen:
        level, months = awards[organisation.ods_code]
        accepted = _accepted(settings, organisation, lead, reviewer, level)
        awarded_on = add_months(today or date.today(), -months)
        _move_back(accepted, awarded_on, settings.award_months)
    return cohort


def _accepted(
    settings: Settings, organisation: Organisation, lead: User, reviewer: User, level: str
) -> Assessment:
    """Submitted ready for ``level`` and no higher, every criterion agreed, accepted at it."""
    ws = load(_submitted(organisation, lead, level))
    review.start(reviewer, ws)
    ws = load(ws.assessment)
    for criterion in review.state(ws).result.to_judge():
        review.judge(reviewer, ws, criterion.id, Agreement.AGREE, "", None)
    review.accept(settings, reviewer, load(ws.assessment), level)
    return ws.assessment


def _submitted(organisation: Organisation, lead: User, level: str) -> Assessment:
    levels = {"bronze": 1, "silver": 2, "gold": 3}[level]
    assessment = seed_stage(organisation, lead, Stage.SUBMITTED, levels=levels)
    if assessment is None:  # a submitted stage always makes one
        raise RuntimeError(f"No earlier assessment was made for {organisation.name}")
    return assessment


def _move_back(assessment: Assessment, awarded_on: date, award_months: int) -> None:
    """Date the cycle as it happened: started ten weeks before the award, submitted four
    weeks before, reviewed the week after submission, accepted on the day of the award."""
    accepted = datetime.combine(awarded_on, time(11), UTC)
    started = accepted - timedelta(weeks=10)
    submitted = accepted - timedelta(weeks=4)
    reviewed = submitted + timedelta(weeks=1)
    at_status = {"draft": started, "submitted": submitted, "in_review": reviewed}
    with unit_of_work():
        assessment.created_at = started
        assessment.submitted_at = submitted
        assessment.last_activity_at = accepted
        for change in db.session.query(StatusChange).filter_by(assessment_id=assessment.id):
            change.created_at = change.updated_at = at_status.get(change.after, accepted)
        for answer in db.session.query(Answer).filter_by(assessment_id=assessment.id):
            answer.created_at = answer.updated_at = started + timedelta(weeks=3)
        for round_ in db.session.query(Review).filter_by(assessment_id=assessment.id):
            round_.created_at = reviewed
            round_.decided_at = round_.updated_at = accepted
        for judged in db.session.query(CriterionReview).filter_by(assessment_id=assessment.id):
            judged.created_at = judged.updated_at = reviewed + timedelta(days=2)
        for kept in db.session.query(Snapshot).filter_by(assessment_id=assessment.id):
            kept.created_at = kept.updated_at = submitted if kept.submitted else accepted
        for award in db.session.query(Award).filter_by(assessment_id=assessment.id):
            award.awarded_on = awarded_on
            award.expires_on = expires_on(awarded_on, award_months)
            award.created_at = award.updated_at = accepted
