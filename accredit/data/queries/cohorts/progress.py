"""Weekly progress points: written in bulk from the stored summaries, read back aggregated.

A week's snapshot is one ``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` (SQLite and
PostgreSQL both have it), so 10,000 assessments cost one statement, and running it again in
the same week updates that week's points instead of adding more. Each cohort's totals for
the week are then added up once into ``progress_weeks``, which the dashboard reads. Each
organisation's assessment in a cohort is its newest one there, as on the dashboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, and_, delete, func, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from accredit.data.base import FAST_JSON, utcnow
from accredit.data.models import (
    Assessment,
    CohortMembership,
    ProgressPoint,
    ProgressWeek,
    ScoreSummary,
)
from accredit.data.queries.scope import Scope
from accredit.domain.cohorts.dashboard import RowStatus
from accredit.extensions import db

#: Statuses that count as handed in to HEE (submitted, in review, accepted).
HANDED_IN = tuple(status.value for status in RowStatus if status.handed_in)


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """A cohort in one week: how many assessments had a point, how many had each level as
    the highest they reached (None: not yet ready for any), how many were handed in, and
    the mean completion and overall score (percentages)."""

    week: date
    assessments: int = 0
    at_level: dict[str | None, int] = field(default_factory=dict)
    submitted: int = 0
    mean_completion: float = 0.0
    mean_percent: float = 0.0


@dataclass(frozen=True, slots=True)
class OrganisationPoint:
    week: date
    cohort_id: int
    status: str
    level_reached: str | None
    percent: float
    completion: float


def write_week(week: date) -> int:
    """Copy the stored summary (and status) of each member organisation's newest assessment
    in each cohort into a point for ``week``, updating points already there; returns how
    many points were written. An assessment without a summary is recorded with zeros."""
    newest = (
        select(
            Assessment.cohort_id.label("cohort_id"),
            Assessment.organisation_id.label("organisation_id"),
            func.max(Assessment.id).label("assessment_id"),
        )
        .group_by(Assessment.cohort_id, Assessment.organisation_id)
        .subquery("newest")
    )
    # The summaries' JSON is JSONB on PostgreSQL: the empty default must be of the same type.
    empty = literal({}, FAST_JSON)
    source = (
        select(
            newest.c.assessment_id,
            newest.c.cohort_id,
            newest.c.organisation_id,
            literal(week, Date),
            Assessment.status,
            ScoreSummary.level_reached,
            func.coalesce(ScoreSummary.percent, 0.0),
            func.coalesce(ScoreSummary.completion, 0.0),
            func.coalesce(ScoreSummary.level_percents, empty),
            func.coalesce(ScoreSummary.section_percents, empty),
        )
        .select_from(newest)
        .join(Assessment, Assessment.id == newest.c.assessment_id)
        .join(
            CohortMembership,
            and_(
                CohortMembership.cohort_id == newest.c.cohort_id,
                CohortMembership.organisation_id == newest.c.organisation_id,
            ),
        )
        .outerjoin(ScoreSummary, ScoreSummary.assessment_id == newest.c.assessment_id)
        # SQLite reads "ON CONFLICT" after a bare join as the join's own ON: a WHERE
        # clause ends the SELECT unambiguously.
        .where(Assessment.id.is_not(None))
    )
    copied = (
        "status",
        "level_reached",
        "percent",
        "completion",
        "level_percents",
        "section_percents",
    )
    columns = ("assessment_id", "cohort_id", "organisation_id", "week", *copied)
    insert = _insert_for_dialect().from_select(list(columns), source)
    statement = insert.on_conflict_do_update(
        index_elements=[ProgressPoint.assessment_id, ProgressPoint.week],
        set_={
            **{name: insert.excluded[name] for name in copied},
            "updated_at": utcnow(),
        },
    )
    # SQLAlchemy keeps an INSERT's row count only when asked to.
    result = db.session.execute(statement.execution_options(preserve_rowcount=True))
    # A point recorded earlier this week for an assessment no longer current (a newer one was
    # started, or the organisation left the cohort) would be counted twice: drop it.
    current = source.with_only_columns(newest.c.assessment_id)
    db.session.execute(
        delete(ProgressPoint).where(
            ProgressPoint.week == week, ProgressPoint.assessment_id.not_in(current)
        )
    )
    total_weeks([week])
    return int(result.rowcount)  # type: ignore[attr-defined]


def _insert_for_dialect() -> postgresql.Insert | sqlite.Insert:
    name = db.session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(ProgressPoint)
    if name == "sqlite":
        return sqlite.insert(ProgressPoint)
    raise NotImplementedError(f"Progress snapshots need SQLite or PostgreSQL, not {name}")


def cohort_trajectory(
    cohort_id: int, weeks: int = 26, *, level_ids: Sequence[str]
) -> list[WeekFigures]:
    """The cohort's figures for the ``weeks`` weeks up to its latest recorded one, oldest
    first (a week without a snapshot is simply missing): per week, how many points had each
    of ``level_ids`` as their highest level reached and how many had none (key None), how
    many were handed in, and the mean completion and overall score.

    Read from the weekly totals kept beside the points (``progress_weeks``): a row a week,
    however large the cohort. The caller has checked the cohort is in the user's scope."""
    rows = db.session.scalars(
        select(ProgressWeek)
        .where(ProgressWeek.cohort_id == cohort_id)
        .order_by(ProgressWeek.week.desc())
        .limit(weeks)
    ).all()
    if not rows:
        return []
    since = rows[0].week - timedelta(weeks=weeks - 1)
    return [
        WeekFigures(
            week=row.week,
            assessments=row.assessments,
            at_level={
                None: int(row.at_level.get("", 0)),
                **{level_id: int(row.at_level.get(level_id, 0)) for level_id in level_ids},
            },
            submitted=row.submitted,
            mean_completion=row.completion_sum / row.assessments if row.assessments else 0.0,
            mean_percent=row.percent_sum / row.assessments if row.assessments else 0.0,
        )
        for row in reversed(rows)
        if row.week >= since
    ]


def total_weeks(weeks: Sequence[date]) -> int:
    """(Re)write each cohort's totals for these weeks from their points: one GROUP BY over
    the weeks' points, then a row per cohort and week. Returns how many rows were written."""
    if not weeks:
        return 0
    handed_in = ProgressPoint.status.in_(HANDED_IN)
    rows = db.session.execute(
        select(
            ProgressPoint.cohort_id,
            ProgressPoint.week,
            ProgressPoint.level_reached,
            func.count(),
            func.count().filter(handed_in),
            func.sum(ProgressPoint.completion),
            func.sum(ProgressPoint.percent),
        )
        .where(ProgressPoint.week.in_(sorted(set(weeks))))
        .group_by(ProgressPoint.cohort_id, ProgressPoint.week, ProgressPoint.level_reached)
    )
    totals: dict[tuple[int, date], dict[str, Any]] = {}
    for cohort_id, week, level, count, submitted, completion, percent in rows:
        total = totals.setdefault(
            (cohort_id, week),
            {"assessments": 0, "submitted": 0, "completion_sum": 0.0, "percent_sum": 0.0},
        )
        total["assessments"] += count
        total["submitted"] += submitted
        total["completion_sum"] += float(completion or 0.0)
        total["percent_sum"] += float(percent or 0.0)
        total.setdefault("at_level", {})[level or ""] = int(count)
    db.session.execute(delete(ProgressWeek).where(ProgressWeek.week.in_(sorted(set(weeks)))))
    if totals:
        db.session.execute(
            insert(ProgressWeek),
            [
                {"cohort_id": cohort_id, "week": week, **total}
                for (cohort_id, week), total in totals.items()
            ],
        )
    return len(totals)


def organisation_trajectory(
    scope: Scope, organisation_id: int, weeks: int = 26
) -> list[OrganisationPoint]:
    """The organisation's points for the ``weeks`` weeks up to its latest, oldest first, one
    a week (its newest assessment's, should two cohorts overlap). Empty outside the scope;
    an HEE reviewer sees only the points of cohorts they review."""
    if not scope.allows(organisation_id):
        return []
    query = (
        select(
            ProgressPoint.week,
            ProgressPoint.cohort_id,
            ProgressPoint.status,
            ProgressPoint.level_reached,
            ProgressPoint.percent,
            ProgressPoint.completion,
        )
        .where(ProgressPoint.organisation_id == organisation_id)
        .order_by(ProgressPoint.week, ProgressPoint.assessment_id)
    )
    if scope.is_hee:
        query = query.where(scope.cohorts_clause(ProgressPoint.cohort_id))
    by_week = {row.week: OrganisationPoint(*row) for row in db.session.execute(query)}
    if not by_week:
        return []
    since = max(by_week) - timedelta(weeks=weeks - 1)
    return [point for week, point in by_week.items() if week >= since]
