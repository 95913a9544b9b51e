"""The records behind the answers the service already knows (``domain.known_answers``): an
organisation's earlier assessment cycles and whether a year's activity return is submitted.

For a caller holding an assessment it fetched through the user's scope: these read only that
assessment's organisation.
"""

from __future__ import annotations

from sqlalchemy import select

from accredit.data.models import ActivityReturn, Assessment, Award
from accredit.domain.activity_return import SUBMITTED
from accredit.domain.known_answers import Cycle
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
