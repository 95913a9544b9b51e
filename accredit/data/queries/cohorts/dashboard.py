"""The cohort dashboard's reads: a few aggregated queries over the stored score summaries.

Nothing here rescores, and no query runs once per organisation: the tiles and every cohort
chart but the weekly one come from one GROUP BY, the table page from one query plus its
count. Each organisation's assessment in the cohort is its newest one there, found from the
``ix_assessments_cohort_org`` index alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    func,
    literal,
    or_,
    select,
)

from accredit.data.models import (
    Assessment,
    CohortMembership,
    Organisation,
    Region,
    ScoreSummary,
)
from accredit.data.queries.like import ESCAPE, escape_like
from accredit.data.queries.planner import likely
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.cohorts.dashboard import (
    NO_LEVEL,
    PAGE_SIZE,
    Filters,
    RowStatus,
    Sort,
    row_status,
)
from accredit.extensions import db


@dataclass(frozen=True, slots=True)
class TableRow:
    organisation_id: int
    name: str
    ods_code: str
    org_type: OrgType
    region: str
    assessment_id: int | None
    status: RowStatus
    completion: float | None
    level_reached: str | None
    last_activity_at: datetime | None


def _newest(cohort_id: int, among: Sequence[int] | None = None) -> Select[int, int]:
    query = select(
        Assessment.organisation_id.label("organisation_id"),
        func.max(Assessment.id).label("assessment_id"),
    ).where(Assessment.cohort_id == cohort_id)
    if among is not None:
        query = query.where(Assessment.organisation_id.in_(among))
    return query.group_by(Assessment.organisation_id)


def _base(
    scope: Scope,
    cohort_id: int,
    filters: Filters,
    *columns: Any,
    assessed: bool = True,
    among: Sequence[int] | None = None,
) -> Select[Any]:
    """The cohort's organisations joined to their newest assessment and its summary, filtered.
    Without ``assessed`` only the organisations (and regions), for filters that need no more."""
    query = (
        select(*columns)
        .select_from(CohortMembership)
        .join(Organisation, Organisation.id == CohortMembership.organisation_id)
        .join(Region, Region.id == Organisation.region_id)
        .where(
            CohortMembership.cohort_id == cohort_id,
            scope.cohorts_clause(CohortMembership.cohort_id),
        )
    )
    if among is not None:
        query = query.where(Organisation.id.in_(among))
    if assessed:
        newest = _newest(cohort_id, among).subquery("newest")
        query = (
            query.outerjoin(newest, newest.c.organisation_id == Organisation.id)
            .outerjoin(Assessment, Assessment.id == newest.c.assessment_id)
            .outerjoin(ScoreSummary, ScoreSummary.assessment_id == Assessment.id)
        )
    return query.where(*_conditions(filters))


def _about_organisations_only(filters: Filters) -> bool:
    """Whether the view's filters need nothing from the assessments (region, type, search)."""
    return filters.status is None and filters.level is None


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.region:
        conditions.append(Region.code == filters.region)
    if filters.org_type:
        conditions.append(Organisation.org_type == OrgType(filters.org_type))
    if filters.status is RowStatus.NOT_STARTED:
        conditions.append(Assessment.id.is_(None))
    elif filters.status is not None:
        # Followed from each organisation's newest assessment, never walked by status first.
        conditions.append(likely(Assessment.status == AssessmentStatus(filters.status.value)))
    if filters.level == NO_LEVEL:
        conditions.append(ScoreSummary.level_reached.is_(None))
    elif filters.level:
        conditions.append(ScoreSummary.level_reached == filters.level)
    if filters.search:
        words = escape_like(filters.search.lower())
        conditions.append(
            or_(
                func.lower(Organisation.name).like(f"%{words}%", escape=ESCAPE),
                Organisation.ods_code.like(f"{words.upper()}%", escape=ESCAPE),
            )
        )
    return conditions


@dataclass(frozen=True, slots=True)
class Group:
    """Organisations sharing a region, status and level reached, with their section scores
    added up (sum and how many had a score, section by section)."""

    region: str
    status: RowStatus
    level: str | None
    count: int
    section_sums: tuple[float, ...]
    section_counts: tuple[int, ...]


def figures(
    scope: Scope, cohort_id: int, filters: Filters, section_ids: Sequence[str]
) -> list[Group]:
    """Everything the tiles and charts need in one pass over the cohort: a GROUP BY region,
    status and level, with each section's stored scores summed (read from the JSON summaries
    in SQL, on SQLite and PostgreSQL alike)."""
    # Each score is read out of the JSON once per row (in a subquery), then summed and counted.
    scores = [
        ScoreSummary.section_percents[s].as_float().label(f"s{i}")
        for i, s in enumerate(section_ids)
    ]
    rows_in = (
        _base(
            scope,
            cohort_id,
            filters,
            Region.name.label("region"),
            Assessment.status.label("status"),
            ScoreSummary.level_reached.label("level"),
            *scores,
        )
    ).subquery("scored")
    columns = [rows_in.c[f"s{i}"] for i in range(len(section_ids))]
    rows = db.session.execute(
        select(
            rows_in.c.region,
            rows_in.c.status,
            rows_in.c.level,
            func.count(),
            *(func.sum(column) for column in columns),
            *(func.count(column) for column in columns),
        ).group_by(rows_in.c.region, rows_in.c.status, rows_in.c.level)
    )
    width = len(section_ids)
    return [
        Group(
            region=str(row[0]),
            status=row_status(row[1]),
            level=row[2],
            count=int(row[3]),
            section_sums=tuple(float(v or 0.0) for v in row[4 : 4 + width]),
            section_counts=tuple(int(v or 0) for v in row[4 + width :]),
        )
        for row in rows
    ]


def _status_rank() -> ColumnElement[int]:
    """Statuses in the order of the workflow (not started first, accepted last)."""
    return case(
        *[
            (Assessment.status == AssessmentStatus(status.value), literal(rank))
            for rank, status in enumerate(RowStatus)
            if status is not RowStatus.NOT_STARTED
        ],
        else_=literal(0),
    )


def _order(filters: Filters, level_rank: ColumnElement[int]) -> list[Any]:
    key: Any = {
        Sort.NAME: func.lower(Organisation.name),
        Sort.STATUS: _status_rank(),
        Sort.COMPLETION: func.coalesce(ScoreSummary.completion, -1.0),
        Sort.LEVEL: level_rank,
        Sort.ACTIVITY: func.coalesce(Assessment.last_activity_at, datetime(1970, 1, 1)),
    }[filters.sort]
    tie = Organisation.id.desc() if filters.descending else Organisation.id
    return [key.desc() if filters.descending else key.asc(), tie]


def table_page(
    scope: Scope,
    cohort_id: int,
    filters: Filters,
    level_ids: Sequence[str],
    total: int | None = None,
) -> tuple[list[TableRow], int]:
    """One page of the organisations table and how many rows match in all (counted here
    unless the caller already knows)."""
    level_rank = case(
        *[(ScoreSummary.level_reached == lv, literal(i + 1)) for i, lv in enumerate(level_ids)],
        else_=literal(0),
    )
    order = _order(filters, level_rank)
    among = None
    if _about_organisations_only(filters) and filters.sort is Sort.NAME:
        # The page's organisations first, from the organisations alone; then their assessments.
        among = list(
            db.session.scalars(
                _base(scope, cohort_id, filters, Organisation.id, assessed=False)
                .order_by(*order)
                .limit(PAGE_SIZE)
                .offset((filters.page - 1) * PAGE_SIZE)
            )
        )
    query = _base(
        scope,
        cohort_id,
        filters,
        Organisation.id,
        Organisation.name,
        Organisation.ods_code,
        Organisation.org_type,
        Region.name,
        Assessment.id,
        Assessment.status,
        ScoreSummary.completion,
        ScoreSummary.level_reached,
        Assessment.last_activity_at,
        among=among,
    ).order_by(*order)
    if among is None:
        query = query.limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)
    rows = db.session.execute(query).all()
    if total is None:
        count = _base(
            scope, cohort_id, filters, func.count(), assessed=not _about_organisations_only(filters)
        )
        total = db.session.scalar(count) or 0
    return [
        TableRow(
            organisation_id=r[0],
            name=r[1],
            ods_code=r[2],
            org_type=r[3],
            region=r[4],
            assessment_id=r[5],
            status=row_status(r[6]),
            completion=r[7],
            level_reached=r[8],
            last_activity_at=r[9],
        )
        for r in rows
    ], total
