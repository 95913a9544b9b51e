"""Cohorts, for HEE staff (who see every cohort until reviewers are assigned to cohorts)."""

from __future__ import annotations

from sqlalchemy import func, select

from accredit.data.models import Cohort, CohortMembership
from accredit.extensions import db


def cohorts_with_sizes() -> list[tuple[Cohort, int]]:
    """Every cohort, newest year first, with how many organisations are in it."""
    members = (
        select(CohortMembership.cohort_id, func.count().label("size"))
        .group_by(CohortMembership.cohort_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Cohort, func.coalesce(members.c.size, 0))
        .outerjoin(members, members.c.cohort_id == Cohort.id)
        .order_by(Cohort.year.desc(), Cohort.name)
    )
    return [(cohort, size) for cohort, size in rows]


def cohort_by_id(cohort_id: int) -> Cohort | None:
    return db.session.get(Cohort, cohort_id)


def cohort_named(name: str, year: int) -> Cohort | None:
    return db.session.scalar(select(Cohort).where(Cohort.name == name, Cohort.year == year))


def cohort_by_name(name: str) -> Cohort | None:
    return db.session.scalar(select(Cohort).where(Cohort.name == name).limit(1))
