"""Assessment queries. Anything that reads an organisation's assessment takes the caller's scope;
the per-assessment readers below take an assessment the caller already fetched through it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accredit.data.models import (
    Assessment,
    Cohort,
    CohortMembership,
    Organisation,
    ScoreSummary,
    StatusChange,
)
from accredit.data.queries.scope import Scope
from accredit.extensions import db


def get_assessment(scope: Scope, assessment_id: int) -> Assessment | None:
    """The assessment, or None when it does not exist or belongs to an organisation out of scope."""
    # The organisation comes with it (pages show its name and profile), not its region.
    assessment = db.session.get(
        Assessment,
        assessment_id,
        options=[joinedload(Assessment.organisation).lazyload(Organisation.region)],
    )
    if assessment is None or not scope.allows_assessment(
        assessment.organisation_id, assessment.cohort_id
    ):
        return None
    return assessment


def assessments_for(scope: Scope, organisation_id: int) -> Sequence[Assessment]:
    """Newest first."""
    if not scope.allows(organisation_id):
        return []
    return db.session.scalars(
        select(Assessment)
        .where(
            Assessment.organisation_id == organisation_id,
            scope.cohorts_clause(Assessment.cohort_id),
        )
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    ).all()


def current_cohort(organisation_id: int) -> Cohort | None:
    """The organisation's most recent cohort."""
    return db.session.scalar(
        select(Cohort)
        .join(CohortMembership, CohortMembership.cohort_id == Cohort.id)
        .where(CohortMembership.organisation_id == organisation_id)
        .order_by(Cohort.year.desc(), Cohort.id.desc())
        .limit(1)
    )


def touch_assessment(assessment: Assessment, when: object) -> None:
    """Bump the revision and last activity in one UPDATE, and in the loaded object as well
    (without making it dirty, so the ORM does not write it again)."""
    from typing import cast

    from sqlalchemy import Table, bindparam
    from sqlalchemy.orm.attributes import set_committed_value

    table = cast(Table, Assessment.__table__)
    statement = (
        table.update()
        .where(table.c.id == bindparam("of_assessment"))
        .values(revision=table.c.revision + 1, last_activity_at=bindparam("when"))
    )
    db.session.execute(statement, {"of_assessment": assessment.id, "when": when})
    set_committed_value(assessment, "revision", (assessment.revision or 0) + 1)
    set_committed_value(assessment, "last_activity_at", when)


def status_changes_of(assessment: Assessment) -> Sequence[StatusChange]:
    return db.session.scalars(
        select(StatusChange)
        .where(StatusChange.assessment_id == assessment.id)
        .order_by(StatusChange.created_at, StatusChange.id)
    ).all()


def latest_assessment(organisation_id: int) -> Assessment | None:
    """The organisation's newest assessment (callers have checked the organisation is in scope)."""
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def assessments_of_organisation(organisation_id: int) -> Sequence[Assessment]:
    return db.session.scalars(
        select(Assessment).where(Assessment.organisation_id == organisation_id)
    ).all()


def update_summary(assessment_id: int, values: Mapping[str, object]) -> bool:
    """Overwrite the stored summary; False when there is none yet.

    A plain UPDATE with bound parameters: with `.values(...)` SQLAlchemy would hash the JSON
    values into the statement's cache key on every save."""
    from typing import cast

    from sqlalchemy import Table, bindparam

    table = cast(Table, ScoreSummary.__table__)
    statement = table.update().where(table.c.assessment_id == bindparam("of_assessment"))
    result = db.session.execute(statement, {**values, "of_assessment": assessment_id})
    return bool(result.rowcount)  # type: ignore[attr-defined]


def assessments_ready_for_a_level() -> Sequence[Assessment]:
    """Every assessment whose stored summary has a level reached (demo and bench set-up)."""
    return db.session.scalars(
        select(Assessment)
        .join(ScoreSummary, ScoreSummary.assessment_id == Assessment.id)
        .where(ScoreSummary.level_reached.is_not(None))
        .order_by(Assessment.id)
    ).all()


def cohort_has_assessments(cohort_id: int) -> bool:
    return (
        db.session.scalar(select(Assessment.id).where(Assessment.cohort_id == cohort_id).limit(1))
        is not None
    )
