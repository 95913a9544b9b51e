"""The facts behind the answers the service already knows, read for one assessment (two
queries, and none for a standard that asks nothing the service answers)."""

from __future__ import annotations

from accredit.data.models import Assessment
from accredit.data.queries import known_answers as queries
from accredit.domain.known_answers import ServiceFacts, return_due, return_year
from accredit.domain.standard import Standard


def facts_for(assessment: Assessment, standard: Standard) -> ServiceFacts | None:
    if not standard.answered_by_service:
        return None
    year = return_year(assessment.created_at.date())
    return ServiceFacts(
        return_year=year,
        return_due=return_due(year, queries.earlier_cycles(assessment)),
        return_submitted=queries.return_submitted(assessment.organisation_id, year),
    )
