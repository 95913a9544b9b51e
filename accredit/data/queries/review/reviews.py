"""Review rounds, their per-criterion judgements, and the moderation counts across a cohort."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update

from accredit.data.models import (
    Assessment,
    CriterionReview,
    Organisation,
    Review,
)
from accredit.data.queries.scope import Scope
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.review.review import Agreement, Outcome
from accredit.extensions import db


def reviews_of(assessment_id: int) -> Sequence[Review]:
    """Every round, oldest first."""
    return db.session.scalars(
        select(Review).where(Review.assessment_id == assessment_id).order_by(Review.round)
    ).all()


def current_review(assessment_id: int) -> Review | None:
    return db.session.scalars(
        select(Review)
        .where(Review.assessment_id == assessment_id)
        .order_by(Review.round.desc())
        .limit(1)
    ).first()


def last_returned(assessment_id: int) -> Review | None:
    return db.session.scalars(
        select(Review)
        .where(Review.assessment_id == assessment_id, Review.outcome == Outcome.RETURNED)
        .order_by(Review.round.desc())
        .limit(1)
    ).first()


def last_decided_overrides(assessment_id: int) -> tuple[Review | None, list[CriterionReview]]:
    """The last decided round (returned or accepted) and its overriding judgements: the
    overrides the organisation's report and pack show."""
    decided = db.session.scalars(
        select(Review)
        .where(Review.assessment_id == assessment_id, Review.outcome.is_not(None))
        .order_by(Review.round.desc())
        .limit(1)
    ).first()
    if decided is None:
        return None, []
    rows = db.session.scalars(
        select(CriterionReview).where(
            CriterionReview.review_id == decided.id,
            CriterionReview.agreement == Agreement.OVERRIDE,
            CriterionReview.override_reason.is_not(None),
        )
    )
    return decided, list(rows)


def judgements(review_id: int) -> dict[str, CriterionReview]:
    rows = db.session.scalars(select(CriterionReview).where(CriterionReview.review_id == review_id))
    return {row.criterion_id: row for row in rows}


def judgement(review_id: int, criterion_id: str) -> CriterionReview | None:
    return db.session.scalars(
        select(CriterionReview).where(
            CriterionReview.review_id == review_id, CriterionReview.criterion_id == criterion_id
        )
    ).first()


def awaiting_review(scope: Scope, limit: int = 200) -> Sequence[Assessment]:
    """Submitted and in-review assessments the user may review, the longest waiting first."""
    return db.session.scalars(
        select(Assessment)
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .where(
            Assessment.status.in_([AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW]),
            scope.cohorts_clause(Assessment.cohort_id),
            scope.organisations_clause(Assessment.organisation_id),
        )
        .order_by(Assessment.submitted_at, Assessment.id)
        .limit(limit)
    ).all()


def moderation_counts(scope: Scope, cohort_id: int) -> list[tuple[str, str, str, int]]:
    """(section, criterion, agreement, judgements) over every decided review in the cohort:
    one GROUP BY on the judgements, which carry their cohort and section."""
    query = (
        select(
            CriterionReview.section_id,
            CriterionReview.criterion_id,
            CriterionReview.agreement,
            func.count(),
        )
        .where(
            CriterionReview.cohort_id == cohort_id,
            scope.cohorts_clause(CriterionReview.cohort_id),
            # Decided rounds only; read beside the covering index rather than joined row by row.
            CriterionReview.review_id.in_(
                select(Review.id).where(Review.cohort_id == cohort_id, Review.outcome.is_not(None))
            ),
        )
        .group_by(
            CriterionReview.section_id, CriterionReview.criterion_id, CriterionReview.agreement
        )
    )
    return [
        (s, c, str(a.value if hasattr(a, "value") else a), int(n))
        for s, c, a, n in db.session.execute(query).all()
    ]


def claim_decision(review_id: int, now: datetime) -> bool:
    """Mark the round decided, only if nobody has decided it: of two reviewers accepting (or
    one accepting and one returning) at the same moment, the second finds no row to update
    (it waits for the first, then sees it decided). Joins the caller's transaction."""
    claimed = db.session.execute(
        update(Review)
        .where(Review.id == review_id, Review.outcome.is_(None), Review.decided_at.is_(None))
        .values(decided_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def criteria_changed_since(assessment_id: int, since: datetime) -> set[str]:
    """Criteria with an answer (or its evidence list) changed at or after ``since``."""
    from accredit.data.models import AnswerChange

    return set(
        db.session.scalars(
            select(AnswerChange.criterion_id)
            .where(AnswerChange.assessment_id == assessment_id, AnswerChange.created_at >= since)
            .distinct()
        )
    )


def evidence_replaced_since(item_ids: Sequence[int], since: datetime) -> set[int]:
    """Which of these evidence items had a new file version uploaded at or after ``since``."""
    from accredit.data.models import EvidenceFile

    if not item_ids:
        return set()
    return set(
        db.session.scalars(
            select(EvidenceFile.item_id)
            .where(EvidenceFile.item_id.in_(item_ids), EvidenceFile.created_at >= since)
            .distinct()
        )
    )
