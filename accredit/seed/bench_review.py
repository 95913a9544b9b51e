"""Reviews, judgements and awards for `accredit seed-bench`: every assessment HEE has picked up
gets a review round, decided ones get a judgement per applicable criterion (mostly agreeing,
some criteria misjudged far more often than others), and accepted ones an award, some of them
close to expiry. So the dashboard benchmark measures moderation and expiry over a full cohort.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from accredit.data.models import Award, CriterionReview, Review
from accredit.data.queries.seed import insert_returning_ids, insert_rows
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.review.awards import AwardStatus, add_months
from accredit.domain.review.review import Agreement, Outcome
from accredit.domain.scoring.standard import Standard

if TYPE_CHECKING:
    from accredit.seed.bench_organisations import OrgPlan
    from accredit.seed.bench_templates import Template

STAMPS = ("created_at", "updated_at")
REVIEW_COLUMNS = (
    "assessment_id", "cohort_id", "round", "reviewer_id", "self_level", "reviewed_level",
    "outcome", "level_awarded", "note", "decided_at", "decided_by_id", *STAMPS,
)  # fmt: skip
JUDGEMENT_COLUMNS = (
    "review_id", "assessment_id", "cohort_id", "criterion_id", "section_id", "self_status",
    "agreement", "comment", "reviewer_id", "version", *STAMPS,
)  # fmt: skip
AWARD_COLUMNS = (
    "organisation_id", "assessment_id", "review_id", "cohort_id", "level", "level_name",
    "awarded_on", "expires_on", "standard_id", "standard_version", "standard_title",
    "fingerprint", "status", *STAMPS,
)  # fmt: skip
REVIEWED = (AssessmentStatus.IN_REVIEW, AssessmentStatus.ACCEPTED, AssessmentStatus.RETURNED)
AWARD_MONTHS = 24
REASON = "Please attach the current, approved document: the one cited is out of date."


def write_reviews(
    standard: Standard,
    started: Sequence[tuple[OrgPlan, int, int, Template]],
    assessment_ids: Sequence[int],
    today: date,
    counts: Counter[str],
) -> None:
    """``started`` is (plan, organisation id, lead id, template) per assessment, in the order
    of ``assessment_ids``. Uses its own random stream, so other seeded figures do not move."""
    picked = [
        (plan, org_id, template, aid)
        for (plan, org_id, _, template), aid in zip(started, assessment_ids, strict=True)
        if plan.status in REVIEWED
    ]
    if not picked:
        return
    rng = random.Random(assessment_ids[0])
    # Some criteria are misjudged far more often than others, the same ones in every batch.
    doubt = {c.id: random.Random(c.id).choice((0.02, 0.04, 0.08, 0.25)) for c in standard.criteria}
    section_of = {c.id: c.section_id for c in standard.criteria}
    reviews = []
    for plan, _, template, aid in picked:
        when = plan.last_activity_at
        decided = plan.status is not AssessmentStatus.IN_REVIEW
        outcome = {
            AssessmentStatus.ACCEPTED: Outcome.ACCEPTED,
            AssessmentStatus.RETURNED: Outcome.RETURNED,
        }.get(plan.status)
        level = _award_level(template)
        reviews.append(
            (
                aid, plan.cohort_id, 1, None, template.level,
                level if decided else None, outcome,
                level if outcome is Outcome.ACCEPTED else None, None,
                when if decided else None, None, when, when,
            )
        )  # fmt: skip
    review_ids = insert_returning_ids(Review, REVIEW_COLUMNS, reviews)
    judgements: list[tuple[Any, ...]] = []
    awards: list[tuple[Any, ...]] = []
    for (plan, org_id, template, aid), review_id in zip(picked, review_ids, strict=True):
        if plan.status is AssessmentStatus.IN_REVIEW:
            continue
        when = plan.last_activity_at
        for cid, (status, _evidence) in (template.summary["criteria"] or {}).items():
            if status == "not_applicable":
                continue
            roll = rng.random()
            agreement = (
                Agreement.AGREE
                if roll >= doubt[cid]
                else Agreement.NEEDS_EVIDENCE
                if roll < doubt[cid] / 3
                else Agreement.DISAGREE
            )
            comment = "" if agreement is Agreement.AGREE else REASON
            judgements.append(
                (review_id, aid, plan.cohort_id, cid, section_of[cid], status, agreement,
                 comment, None, 1, when, when)
            )  # fmt: skip
        if plan.status is AssessmentStatus.ACCEPTED:
            level = _award_level(template)
            # Awarded up to 23 months ago, so some are within three months of expiry.
            awarded = today - timedelta(days=rng.randint(1, 700))
            stamp = datetime.combine(awarded, time(12), UTC)
            awards.append(
                (
                    org_id, aid, review_id, plan.cohort_id, level,
                    standard.level(level).name, awarded, add_months(awarded, AWARD_MONTHS),
                    standard.id, standard.version, standard.title,
                    f"{aid:064x}", AwardStatus.CURRENT, stamp, stamp,
                )
            )  # fmt: skip
    insert_rows(CriterionReview, JUDGEMENT_COLUMNS, judgements)
    insert_rows(Award, AWARD_COLUMNS, awards)
    counts["reviews"] += len(reviews)
    counts["judgements"] += len(judgements)
    counts["awards"] += len(awards)


def _award_level(template: Template) -> str:
    """Submitted bench templates reach a level; an award is never below Bronze."""
    return template.level or "bronze"
