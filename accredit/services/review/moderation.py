"""A cohort's moderation figures: reviewers' agreement with self-assessments, from the stored
judgements of decided reviews (one GROUP BY), laid out by the standard's sections."""

from __future__ import annotations

from accredit.data.models import Cohort
from accredit.data.queries.review import reviews as queries
from accredit.data.queries.scope import Scope
from accredit.domain.review.moderation import Moderation, moderation
from accredit.services.cohorts.dashboard import standard_of


def for_cohort(scope: Scope, cohort: Cohort) -> Moderation | None:
    standard = standard_of(cohort)
    if standard is None:
        return None
    return moderation(
        queries.moderation_counts(scope, cohort.id),
        [(s.id, s.title) for s in standard.sections],
        [(c.id, f"{c.id} {c.title}") for c in standard.criteria],
    )
