"""Cohorts, for HEE staff: admins see every cohort, reviewers the ones assigned to them."""

from __future__ import annotations

from sqlalchemy import func, select

from accredit.data.models import Cohort, CohortMembership
from accredit.data.queries.scope import Scope
from accredit.extensions import db


def cohorts_with_sizes(scope: Scope) -> list[tuple[Cohort, int]]:
    """Every cohort the scope may see, newest year first, with how many organisations are in
    it (HEE admins see all; reviewers the cohorts they are assigned)."""
    members = (
        select(CohortMembership.cohort_id, func.count().label("size"))
        .group_by(CohortMembership.cohort_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Cohort, func.coalesce(members.c.size, 0))
        .outerjoin(members, members.c.cohort_id == Cohort.id)
        .where(scope.cohorts_clause(Cohort.id))
        .order_by(Cohort.year.desc(), Cohort.name)
    )
    return [(cohort, size) for cohort, size in rows]


def cohort_by_id(cohort_id: int) -> Cohort | None:
    return db.session.get(Cohort, cohort_id)


def get_cohort(scope: Scope, cohort_id: int) -> Cohort | None:
    """The cohort when the scope may see it; None for any other (asked before the database,
    so an organisation user or an unassigned reviewer learns nothing, not even that it exists)."""
    return cohort_by_id(cohort_id) if scope.allows_cohort(cohort_id) else None


def cohort_named(name: str, year: int) -> Cohort | None:
    return db.session.scalar(select(Cohort).where(Cohort.name == name, Cohort.year == year))


def cohort_by_name(name: str) -> Cohort | None:
    return db.session.scalar(select(Cohort).where(Cohort.name == name).limit(1))
