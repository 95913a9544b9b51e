"""The records behind the answers the service already knows (``domain.known_answers``): an
organisation's earlier assessment cycles and whether a year's activity return is submitted.

The one-assessment readers are for a caller holding an assessment it fetched through the
user's scope (they read only that assessment's organisation); the many-organisation readers
take the scope.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from accredit.data.models import ActivityReturn, Assessment, Award
from accredit.data.queries.scope import Scope
from accredit.domain.assessments.activity_return import SUBMITTED
from accredit.domain.scoring.known_answers import Cycle
from accredit.extensions import db


def earlier_cycles(assessment: Assessment) -> list[Cycle]:
    """The organisation's assessments started before this one, each with the awards it led to
    (one query)."""
    rows = db.session.execute(
        select(
            Assessment.created_at,
            Assessment.last_activity_at,
            Award.expires_on,
            Award.ended_at,
        )
        .outerjoin(Award, Award.assessment_id == Assessment.id)
        .where(
            Assessment.organisation_id == assessment.organisation_id,
            Assessment.id < assessment.id,
        )
    )
    return [Cycle.of(*row) for row in rows]


def return_submitted(organisation_id: int, year: int) -> bool:
    found = db.session.scalar(
        select(ActivityReturn.id).where(
            ActivityReturn.organisation_id == organisation_id,
            ActivityReturn.year == year,
            ActivityReturn.status == SUBMITTED,
        )
    )
    return found is not None


# --- Many organisations at once (exports) -------------------------------------------------


def cycles_of(scope: Scope, organisation_ids: Sequence[int]) -> list[tuple[int, int, Cycle]]:
    """(organisation id, assessment id, its cycle) of every assessment of these organisations
    the scope may see, each with the awards it led to (one query)."""
    if not organisation_ids:
        return []
    rows = db.session.execute(
        select(
            Assessment.organisation_id,
            Assessment.id,
            Assessment.created_at,
            Assessment.last_activity_at,
            Award.expires_on,
            Award.ended_at,
        )
        .outerjoin(Award, Award.assessment_id == Assessment.id)
        .where(
            Assessment.organisation_id.in_(sorted(set(organisation_ids))),
            scope.organisations_clause(Assessment.organisation_id),
        )
    )
    return [
        (org, aid, Cycle.of(started, active, expires, ended))
        for org, aid, started, active, expires, ended in rows
    ]


def submitted_years(scope: Scope, organisation_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(organisation id, year) of every submitted return of these organisations (one query)."""
    if not organisation_ids:
        return set()
    rows = db.session.execute(
        select(ActivityReturn.organisation_id, ActivityReturn.year).where(
            ActivityReturn.organisation_id.in_(sorted(set(organisation_ids))),
            ActivityReturn.status == SUBMITTED,
            scope.organisations_clause(ActivityReturn.organisation_id),
        )
    )
    return {(org, year) for org, year in rows}
