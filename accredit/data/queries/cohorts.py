"""Cohort queries."""

from __future__ import annotations

from sqlalchemy import select

from accredit.data.models import Cohort
from accredit.extensions import db


def cohort_by_name(name: str) -> Cohort | None:
    return db.session.scalar(select(Cohort).where(Cohort.name == name))
