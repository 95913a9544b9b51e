"""The facts behind the answers the service already knows, read for one assessment (two
queries, and none for a standard that asks nothing the service answers), or for many at once
(two queries for the lot)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from accredit.data.models import Assessment
from accredit.data.queries.assessments import known_answers as queries
from accredit.data.queries.scope import Scope
from accredit.domain.scoring.known_answers import (
    Cycle,
    ServiceFacts,
    known_answers,
    return_due,
    return_year,
)
from accredit.domain.scoring.standard import Standard


def facts_for(assessment: Assessment, standard: Standard) -> ServiceFacts | None:
    if not standard.answered_by_service:
        return None
    year = return_year(assessment.created_at.date())
    return ServiceFacts(
        return_year=year,
        return_due=return_due(year, queries.earlier_cycles(assessment)),
        return_submitted=queries.return_submitted(assessment.organisation_id, year),
    )


def known_for_many(
    scope: Scope, assessments: Sequence[tuple[int, int, Standard]]
) -> dict[int, dict[str, str]]:
    """For each (assessment id, organisation id, pinned standard) whose standard has questions
    the service answers, the answers `facts_for` gives it (answer key -> "yes"/"no")."""
    asks: dict[str, bool] = {}  # by content hash: a cohort shares one or two versions
    for _, _, standard in assessments:
        if standard.content_hash not in asks:
            asks[standard.content_hash] = bool(standard.answered_by_service)
    asking = [item for item in assessments if asks[item[2].content_hash]]
    if not asking:
        return {}
    organisations = [organisation_id for _, organisation_id, _ in asking]
    by_organisation: dict[int, list[tuple[int, Cycle]]] = defaultdict(list)
    for organisation_id, assessment_id, cycle in queries.cycles_of(scope, organisations):
        by_organisation[organisation_id].append((assessment_id, cycle))
    submitted = queries.submitted_years(scope, organisations)
    found: dict[int, dict[str, str]] = {}
    for assessment_id, organisation_id, standard in asking:
        cycles = by_organisation[organisation_id]
        own = next((c for i, c in cycles if i == assessment_id), None)
        if own is None:  # not one the scope may see
            continue
        year = return_year(own.start)
        earlier = [c for i, c in cycles if i < assessment_id]
        facts = ServiceFacts(year, return_due(year, earlier), (organisation_id, year) in submitted)
        found[assessment_id] = known_answers(standard, facts)
    return found


def next_cycle_facts(
    scope: Scope, organisations: Sequence[int], today: date
) -> dict[int, ServiceFacts]:
    """For each organisation, what the service would know if it started its next cycle
    `today`: every cycle so far counts as earlier (two queries for the lot)."""
    year = return_year(today)
    cycles: dict[int, list[Cycle]] = defaultdict(list)
    for organisation_id, _, cycle in queries.cycles_of(scope, organisations):
        cycles[organisation_id].append(cycle)
    submitted = queries.submitted_years(scope, organisations)
    return {
        organisation_id: ServiceFacts(
            year, return_due(year, cycles[organisation_id]), (organisation_id, year) in submitted
        )
        for organisation_id in organisations
    }
