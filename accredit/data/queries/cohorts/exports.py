"""What cohort exports read: plain row tuples, never ORM objects, so a million rows stream.

An organisation's assessment in a cohort is its newest one there (the highest id for the
cohort and organisation, found from ``ix_assessments_cohort_org`` alone). Every query takes the
signed-in user's scope and the cohort, and the per-chunk queries check both again, so an
assessment id that is not the caller's to see returns nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Subquery, Text, and_, cast, func, select

from accredit.data.models import (
    Answer,
    Assessment,
    CohortMembership,
    Comment,
    EvidenceItem,
    Job,
    Organisation,
    Region,
    ScoreSummary,
)
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db

#: Rows fetched from the database at a time when streaming (PostgreSQL: a server-side cursor).
FETCH_SIZE = 2000


class OrganisationRow(NamedTuple):
    ods_code: str
    name: str
    org_type: OrgType
    region: str
    status: AssessmentStatus | None
    completion: float | None
    level_reached: str | None
    level_percents: dict[str, float] | None
    section_percents: dict[str, float | None] | None
    last_activity_at: datetime | None
    submitted_at: datetime | None


class AssessedRow(NamedTuple):
    """An organisation of the cohort with an assessment there, and the standard it is pinned to."""

    assessment_id: int
    organisation_id: int
    ods_code: str
    name: str
    standard_id: str
    standard_version: str
    content_hash: str


def _newest(scope: Scope, cohort_id: int) -> Subquery:
    """Each organisation's newest assessment in the cohort, as the scope may see it."""
    return (
        select(
            Assessment.organisation_id.label("organisation_id"),
            func.max(Assessment.id).label("assessment_id"),
        )
        .where(
            Assessment.cohort_id == cohort_id,
            scope.cohorts_clause(Assessment.cohort_id),
            scope.organisations_clause(Assessment.organisation_id),
        )
        .group_by(Assessment.organisation_id)
        .subquery("newest")
    )


def _members(scope: Scope, cohort_id: int) -> ColumnElement[bool]:
    return and_(
        CohortMembership.cohort_id == cohort_id,
        scope.cohorts_clause(CohortMembership.cohort_id),
        scope.organisations_clause(CohortMembership.organisation_id),
    )


def organisation_rows(scope: Scope, cohort_id: int) -> Iterator[OrganisationRow]:
    """Every organisation in the cohort by name, with its newest assessment's stored summary
    (the assessment columns are None for an organisation that has not started)."""
    newest = _newest(scope, cohort_id)
    statement = (
        select(
            Organisation.ods_code,
            Organisation.name,
            Organisation.org_type,
            Region.name,
            Assessment.status,
            ScoreSummary.completion,
            ScoreSummary.level_reached,
            ScoreSummary.level_percents,
            ScoreSummary.section_percents,
            Assessment.last_activity_at,
            Assessment.submitted_at,
        )
        .select_from(CohortMembership)
        .join(Organisation, Organisation.id == CohortMembership.organisation_id)
        .join(Region, Region.id == Organisation.region_id)
        .outerjoin(newest, newest.c.organisation_id == Organisation.id)
        .outerjoin(Assessment, Assessment.id == newest.c.assessment_id)
        .outerjoin(ScoreSummary, ScoreSummary.assessment_id == Assessment.id)
        .where(_members(scope, cohort_id))
        .order_by(Organisation.name, Organisation.ods_code)
        .execution_options(yield_per=FETCH_SIZE)
    )
    for row in db.session.execute(statement):
        yield OrganisationRow(*row)


def assessed(scope: Scope, cohort_id: int) -> list[AssessedRow]:
    """The cohort's organisations that have an assessment there, by name (one small row each:
    answers are read per chunk of these)."""
    newest = _newest(scope, cohort_id)
    statement = (
        select(
            Assessment.id,
            Organisation.id,
            Organisation.ods_code,
            Organisation.name,
            Assessment.standard_id,
            Assessment.standard_version,
            Assessment.content_hash,
        )
        .select_from(CohortMembership)
        .join(Organisation, Organisation.id == CohortMembership.organisation_id)
        .join(newest, newest.c.organisation_id == Organisation.id)
        .join(Assessment, Assessment.id == newest.c.assessment_id)
        .where(_members(scope, cohort_id))
        .order_by(Organisation.name, Organisation.ods_code)
    )
    return [AssessedRow(*row) for row in db.session.execute(statement)]


def _chunk(scope: Scope, cohort_id: int, ids: Sequence[int]) -> ColumnElement[bool]:
    """Assessments among ``ids`` that are in the cohort and the scope's to see."""
    return and_(
        Assessment.id.in_(list(ids)),
        Assessment.cohort_id == cohort_id,
        scope.cohorts_clause(Assessment.cohort_id),
        scope.organisations_clause(Assessment.organisation_id),
    )


def _plain_rows(statement: Any) -> list[tuple[Any, ...]]:
    """Every row of the statement as the driver's own tuples, in one fetch: for the million-row
    export, building SQLAlchemy rows (or fetching one at a time) costs more than the query."""
    result = db.session.connection().execute(statement)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def criteria_summaries(scope: Scope, cohort_id: int, ids: Sequence[int]) -> dict[int, str]:
    """Assessment id -> the stored {criterion id: [status, evidence count]} as JSON text
    (organisations with the same verdicts share the text, so it is decoded once for them)."""
    statement = (
        select(ScoreSummary.assessment_id, cast(ScoreSummary.criteria, Text))
        .join(Assessment, Assessment.id == ScoreSummary.assessment_id)
        .where(_chunk(scope, cohort_id, ids), ScoreSummary.criteria.is_not(None))
    )
    return {assessment_id: text for assessment_id, text in _plain_rows(statement) if text}


def answer_texts(
    scope: Scope, cohort_id: int, ids: Sequence[int]
) -> list[tuple[int, str, str | None]]:
    """(assessment id, answer key, the answer's JSON text): left as text so the caller can
    format each distinct answer once instead of decoding a million of them.

    The assessments are checked against the scope first, on their own: joined into the answers
    query, PostgreSQL picks a parallel plan several times slower than this index scan."""
    allowed = list(db.session.scalars(select(Assessment.id).where(_chunk(scope, cohort_id, ids))))
    if not allowed:
        return []
    statement = select(Answer.assessment_id, Answer.key, cast(Answer.value, Text)).where(
        Answer.assessment_id.in_(allowed)
    )
    return _plain_rows(statement)


def comment_bodies(scope: Scope, cohort_id: int, ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """(assessment id, criterion id, body) of every comment, oldest first."""
    return _plain_rows(
        select(Comment.assessment_id, Comment.criterion_id, Comment.body)
        .join(Assessment, Assessment.id == Comment.assessment_id)
        .where(_chunk(scope, cohort_id, ids))
        .order_by(Comment.id)
    )


def evidence_titles(
    scope: Scope, organisation_ids: Sequence[int], item_ids: Sequence[int]
) -> dict[int, str]:
    """Titles of these evidence items, kept to the organisations given and the scope."""
    if not item_ids:
        return {}
    rows = db.session.execute(
        select(EvidenceItem.id, EvidenceItem.title).where(
            EvidenceItem.id.in_(sorted(set(item_ids))),
            EvidenceItem.organisation_id.in_(sorted(set(organisation_ids))),
            scope.organisations_clause(EvidenceItem.organisation_id),
        )
    )
    return {item_id: title for item_id, title in rows}


def export_jobs(user_id: int, kinds: Sequence[str], prefix: str, limit: int = 10) -> list[Job]:
    """The user's most recent jobs of these kinds whose subject starts with ``prefix``."""
    return list(
        db.session.scalars(
            select(Job)
            .where(
                Job.kind.in_(list(kinds)),
                Job.requested_by_id == user_id,
                Job.subject.startswith(prefix, autoescape=True),
            )
            .order_by(Job.id.desc())
            .limit(limit)
        )
    )


def cohort_members(cohort_id: int) -> frozenset[int]:
    """The organisations in the cohort now (for a background export, which already checked
    that the person who asked may see the cohort)."""
    query = select(CohortMembership.organisation_id).where(CohortMembership.cohort_id == cohort_id)
    return frozenset(db.session.scalars(query))
