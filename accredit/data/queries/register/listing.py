"""The public register's reads. No scope: these read only what a certificate already prints
(an organisation's name, ODS code, type and region, and its award's level, dates and standard)
and only for awards that stand today, so there is nothing here a member of the public may not
see. Nothing about an assessment, its answers, evidence or people is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from accredit.data.models import Award, Organisation, Region
from accredit.data.queries.like import ESCAPE, escape_like
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.register.search import PAGE_SIZE, RegisterSearch
from accredit.domain.review.awards import AwardStatus, last_valid_day
from accredit.extensions import db


@dataclass(frozen=True, slots=True)
class Entry:
    """One award on the register."""

    ods_code: str
    name: str
    org_type: OrgType
    region: str
    level: str
    level_name: str
    awarded_on: date
    expires_on: date
    standard_id: str
    standard_title: str
    standard_version: str

    @property
    def last_valid_day(self) -> date:
        return last_valid_day(self.expires_on)


_COLUMNS = (
    Organisation.ods_code,
    Organisation.name,
    Organisation.org_type,
    Region.name,
    Award.level,
    Award.level_name,
    Award.awarded_on,
    Award.expires_on,
    Award.standard_id,
    Award.standard_title,
    Award.standard_version,
)


def _standing(today: date, *columns: Any) -> Select[Any]:
    """Awards that stand today (current, before their expiry), with their organisation."""
    return (
        select(*columns)
        .select_from(Award)
        .join(Organisation, Organisation.id == Award.organisation_id)
        .join(Region, Region.id == Organisation.region_id)
        .where(
            Award.status == AwardStatus.CURRENT,
            Award.expires_on > today,
            Award.awarded_on <= today,
        )
    )


def _conditions(search: RegisterSearch) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if search.region:
        conditions.append(Region.code == search.region)
    if search.org_type:
        conditions.append(Organisation.org_type == OrgType(search.org_type))
    if search.level:
        conditions.append(Award.level == search.level)
    if search.words:
        words = escape_like(search.words)
        conditions.append(
            or_(
                func.lower(Organisation.name).like(f"%{words.lower()}%", escape=ESCAPE),
                Organisation.ods_code.like(f"{words.upper()}%", escape=ESCAPE),
            )
        )
    return conditions


def _entry(row: Any) -> Entry:
    return Entry(*row)


def search(search: RegisterSearch, today: date) -> tuple[list[Entry], int]:
    """One page of the awards matching the search, by organisation name, and how many match."""
    conditions = _conditions(search)
    rows = db.session.execute(
        _standing(today, *_COLUMNS)
        .where(*conditions)
        .order_by(func.lower(Organisation.name), Organisation.ods_code, Award.level)
        .limit(PAGE_SIZE)
        .offset((search.page - 1) * PAGE_SIZE)
    ).all()
    total = db.session.scalar(_standing(today, func.count()).where(*conditions)) or 0
    return [_entry(row) for row in rows], total


def organisation(ods_code: str, today: date) -> list[Entry]:
    """The awards an organisation holds today, found by its ODS code (none: not on the
    register)."""
    rows = db.session.execute(
        _standing(today, *_COLUMNS)
        .where(Organisation.ods_code == ods_code.upper())
        .order_by(Award.awarded_on.desc(), Award.id.desc())
    ).all()
    return [_entry(row) for row in rows]


def levels(today: date) -> list[tuple[str, str, str, str]]:
    """The levels held on the register today, as (standard, version, level id, level name)."""
    rows = db.session.execute(
        _standing(
            today, Award.standard_id, Award.standard_version, Award.level, Award.level_name
        ).distinct()
    ).all()
    return [(standard, version, level, name) for standard, version, level, name in rows]


def everyone(today: date) -> list[Entry]:
    """Every award on the register today, by organisation name (the open data downloads)."""
    rows = db.session.execute(
        _standing(today, *_COLUMNS).order_by(
            func.lower(Organisation.name), Organisation.ods_code, Award.level
        )
    ).all()
    return [_entry(row) for row in rows]


@dataclass(frozen=True, slots=True)
class LatestAward:
    ods_code: str
    name: str
    level_name: str
    status: AwardStatus
    expires_on: date


def latest_award(ods_code: str, today: date) -> LatestAward | None:
    """The award an organisation's badge shows: the one standing today, else its latest
    (expired or withdrawn); None when it never held one."""
    standing = case(
        (and_(Award.status == AwardStatus.CURRENT, Award.expires_on > today), 0), else_=1
    )
    row = db.session.execute(
        select(
            Organisation.ods_code,
            Organisation.name,
            Award.level_name,
            Award.status,
            Award.expires_on,
        )
        .join(Organisation, Organisation.id == Award.organisation_id)
        .where(Organisation.ods_code == ods_code.upper(), Award.awarded_on <= today)
        .order_by(standing, Award.awarded_on.desc(), Award.id.desc())
        .limit(1)
    ).first()
    return LatestAward(*row) if row is not None else None
