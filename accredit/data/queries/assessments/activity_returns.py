"""Reads of the annual activity returns: an organisation's own, the cohort dashboard's totals
and the cohort export's rows. Every one takes the signed-in user's scope.

The totals are summed in SQL from the JSON ``figures`` (``json_extract`` on SQLite, ``->>`` on
PostgreSQL's JSONB) in one GROUP BY over year, region and organisation type, so the dashboard
reads a few hundred rows whatever the cohort's size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select

from accredit.data.models import (
    ActivityReturn,
    CohortMembership,
    Organisation,
    Region,
    User,
)
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.assessments.activity_return import SUBMITTED
from accredit.domain.cohorts.activity_totals import SUMMED
from accredit.extensions import db


def organisation_returns(scope: Scope, organisation_id: int) -> Sequence[ActivityReturn]:
    """The organisation's returns, newest year first."""
    if not scope.allows(organisation_id):
        return []
    return db.session.scalars(
        select(ActivityReturn)
        .where(ActivityReturn.organisation_id == organisation_id)
        .order_by(ActivityReturn.year.desc())
    ).all()


def return_for(scope: Scope, organisation_id: int, year: int) -> ActivityReturn | None:
    if not scope.allows(organisation_id):
        return None
    return db.session.scalar(
        select(ActivityReturn).where(
            ActivityReturn.organisation_id == organisation_id, ActivityReturn.year == year
        )
    )


def fresh_return_for(organisation_id: int, year: int) -> ActivityReturn | None:
    """The return as the database holds it now (after a colleague's save), bypassing what
    this session already loaded. Only for a caller that has checked the scope."""
    return db.session.scalar(
        select(ActivityReturn)
        .where(ActivityReturn.organisation_id == organisation_id, ActivityReturn.year == year)
        .execution_options(populate_existing=True)
    )


def user_names(user_ids: Sequence[int | None]) -> dict[int, str]:
    """Names of the people who saved or submitted returns (one query)."""
    wanted = sorted({i for i in user_ids if i is not None})
    if not wanted:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


class TotalsRow(NamedTuple):
    year: int
    region: str
    org_type: OrgType
    organisations: int
    #: The summed figures, in the order asked for (None where no return had that figure).
    sums: tuple[int | None, ...]


def _summed_column(name: str) -> Any:
    """The column a summed figure is copied into (``ActivityReturn._copy_summed``)."""
    if name not in SUMMED:
        raise ValueError(f"{name} is not one of the figures kept in its own column")
    return getattr(ActivityReturn, name)


def submitted_totals(scope: Scope, cohort_id: int, fields: Sequence[str]) -> list[TotalsRow]:
    """The cohort's submitted returns added up per year, region and organisation type (only
    the organisations the scope may see)."""
    sums = [func.sum(_summed_column(name)) for name in fields]
    query = (
        select(
            ActivityReturn.year,
            Region.name,
            Organisation.org_type,
            func.count(ActivityReturn.id),
            *sums,
        )
        .select_from(CohortMembership)
        .join(ActivityReturn, ActivityReturn.organisation_id == CohortMembership.organisation_id)
        .join(Organisation, Organisation.id == CohortMembership.organisation_id)
        .join(Region, Region.id == Organisation.region_id)
        .where(
            CohortMembership.cohort_id == cohort_id,
            ActivityReturn.status == SUBMITTED,
            scope.cohorts_clause(CohortMembership.cohort_id),
            scope.organisations_clause(CohortMembership.organisation_id),
        )
        .group_by(ActivityReturn.year, Region.name, Organisation.org_type)
    )
    return [
        TotalsRow(
            year=int(row[0]),
            region=str(row[1]),
            org_type=OrgType(row[2]),
            organisations=int(row[3]),
            sums=tuple(None if v is None else int(v) for v in row[4:]),
        )
        for row in db.session.execute(query)
    ]


class ExportRow(NamedTuple):
    name: str
    ods_code: str
    region: str
    org_type: OrgType
    year: int
    status: str
    submitted_at: datetime | None
    figures: dict[str, Any]


def export_rows(scope: Scope, cohort_id: int) -> Iterator[ExportRow]:
    """Every return of the cohort's organisations, a row per organisation and year, streamed."""
    query = (
        select(
            Organisation.name,
            Organisation.ods_code,
            Region.name,
            Organisation.org_type,
            ActivityReturn.year,
            ActivityReturn.status,
            ActivityReturn.submitted_at,
            ActivityReturn.figures,
        )
        .select_from(CohortMembership)
        .join(ActivityReturn, ActivityReturn.organisation_id == CohortMembership.organisation_id)
        .join(Organisation, Organisation.id == CohortMembership.organisation_id)
        .join(Region, Region.id == Organisation.region_id)
        .where(
            CohortMembership.cohort_id == cohort_id,
            scope.cohorts_clause(CohortMembership.cohort_id),
            scope.organisations_clause(CohortMembership.organisation_id),
        )
        .order_by(Organisation.name, Organisation.id, ActivityReturn.year)
        .execution_options(yield_per=2000)
    )
    for row in db.session.execute(query):
        yield ExportRow(*row)


def has_returns(organisation_id: int) -> bool:
    """Whether the organisation has any return (for seeding: never scoped to a user)."""
    found = db.session.scalar(
        select(ActivityReturn.id).where(ActivityReturn.organisation_id == organisation_id).limit(1)
    )
    return found is not None
