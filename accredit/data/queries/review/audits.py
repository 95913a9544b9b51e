"""Random audit draws: the population of accredited organisations, past draws, the awards
drawn and their outcomes. Draw pages are for HEE admins only (the views say so); the mark on
an organisation's page goes through the viewer's scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update

from accredit.data.models import (
    AuditDraw,
    Award,
    AwardAudit,
    Cohort,
    Organisation,
    Region,
    User,
)
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import Role
from accredit.domain.review.awards import AuditOutcome, AwardStatus
from accredit.extensions import db


@dataclass(frozen=True, slots=True)
class Candidate:
    """An award that may be drawn, with the organisation holding it and its strata."""

    award_id: int
    organisation_id: int
    region: str
    org_type: str


def population(today: date, cohort_id: int | None) -> list[Candidate]:
    """Every award that is current and unexpired on ``today`` (of the cohort, when given)."""
    query = (
        select(Award.id, Award.organisation_id, Region.code, Organisation.org_type)
        .join(Organisation, Organisation.id == Award.organisation_id)
        .join(Region, Region.id == Organisation.region_id)
        .where(Award.status == AwardStatus.CURRENT, Award.expires_on > today)
        .order_by(Award.id)
    )
    if cohort_id is not None:
        query = query.where(Award.cohort_id == cohort_id)
    return [
        Candidate(award_id, org_id, region, str(org_type))
        for award_id, org_id, region, org_type in db.session.execute(query)
    ]


@dataclass(frozen=True, slots=True)
class DrawSummary:
    draw: AuditDraw
    drawn_by: str | None
    cohort: str | None
    recorded: int


def draws() -> list[DrawSummary]:
    """Every draw, newest first, with who made it and how many outcomes are recorded."""
    recorded = (
        select(AwardAudit.draw_id, func.count().label("n"))
        .where(AwardAudit.outcome.is_not(None))
        .group_by(AwardAudit.draw_id)
        .subquery()
    )
    rows = db.session.execute(
        select(AuditDraw, User.name, Cohort.name, func.coalesce(recorded.c.n, 0))
        .outerjoin(User, User.id == AuditDraw.drawn_by_id)
        .outerjoin(Cohort, Cohort.id == AuditDraw.cohort_id)
        .outerjoin(recorded, recorded.c.draw_id == AuditDraw.id)
        .order_by(AuditDraw.created_at.desc(), AuditDraw.id.desc())
    )
    return [DrawSummary(d, who, cohort, n) for d, who, cohort, n in rows]


def draw_by_id(draw_id: int) -> DrawSummary | None:
    row = db.session.execute(
        select(AuditDraw, User.name, Cohort.name)
        .outerjoin(User, User.id == AuditDraw.drawn_by_id)
        .outerjoin(Cohort, Cohort.id == AuditDraw.cohort_id)
        .where(AuditDraw.id == draw_id)
    ).first()
    if row is None:
        return None
    audit_draw, who, cohort = row
    return DrawSummary(audit_draw, who, cohort, 0)


@dataclass(frozen=True, slots=True)
class DrawnAward:
    audit: AwardAudit
    award: Award
    recorded_by: str | None


def drawn_awards(draw_id: int) -> list[DrawnAward]:
    """The awards drawn, each with its organisation (joined) and outcome, in draw order."""
    rows = db.session.execute(
        select(AwardAudit, Award, User.name)
        .join(Award, Award.id == AwardAudit.award_id)
        .outerjoin(User, User.id == AwardAudit.recorded_by_id)
        .where(AwardAudit.draw_id == draw_id)
    )
    found = [DrawnAward(audit, award, who) for audit, award, who in rows]
    order = {award_id: i for i, award_id in enumerate(_selected(draw_id))}
    return sorted(found, key=lambda row: (order.get(row.award.id, len(order)), row.award.id))


def _selected(draw_id: int) -> list[int]:
    return list(db.session.scalar(select(AuditDraw.selected).where(AuditDraw.id == draw_id)) or [])


def drawn_award(draw_id: int, award_id: int) -> DrawnAward | None:
    row = db.session.execute(
        select(AwardAudit, Award, User.name)
        .join(Award, Award.id == AwardAudit.award_id)
        .outerjoin(User, User.id == AwardAudit.recorded_by_id)
        .where(AwardAudit.draw_id == draw_id, AwardAudit.award_id == award_id)
    ).first()
    return DrawnAward(*row) if row is not None else None


def replacement_award(award: Award) -> Award | None:
    """The current award re-issued at another level from ``award`` by an audit: the same
    organisation, snapshot, standard and dates, made after it."""
    return db.session.scalars(
        select(Award)
        .where(
            Award.organisation_id == award.organisation_id,
            Award.fingerprint == award.fingerprint,
            Award.standard_id == award.standard_id,
            Award.standard_version == award.standard_version,
            Award.awarded_on == award.awarded_on,
            Award.id > award.id,
            Award.status == AwardStatus.CURRENT,
        )
        .order_by(Award.id.desc())
        .limit(1)
    ).first()


def holds_an_award(organisation_id: int) -> bool:
    """Whether the organisation has ever had an award (the demo leaves those alone)."""
    found = db.session.scalar(
        select(Award.id).where(Award.organisation_id == organisation_id).limit(1)
    )
    return found is not None


def cohort_choices() -> Sequence[Cohort]:
    return db.session.scalars(select(Cohort).order_by(Cohort.year.desc(), Cohort.name)).all()


@dataclass(frozen=True, slots=True)
class AuditMark:
    """An organisation's award drawn for audit, as its page shows it."""

    drawn_on: date
    level_name: str
    standard_title: str
    audit: AwardAudit


def organisation_audits(scope: Scope, organisation_id: int) -> list[AuditMark]:
    """The audits of an organisation's awards, newest first. Reviewers see only those of
    awards made in the cohorts they review; organisation users only their own."""
    if not scope.allows(organisation_id):
        return []
    query = (
        select(AuditDraw.created_at, Award.level_name, Award.standard_title, AwardAudit)
        .join(AuditDraw, AuditDraw.id == AwardAudit.draw_id)
        .join(Award, Award.id == AwardAudit.award_id)
        .where(
            AwardAudit.organisation_id == organisation_id,
            scope.organisations_clause(AwardAudit.organisation_id),
        )
        .order_by(AuditDraw.created_at.desc(), AwardAudit.id.desc())
    )
    if scope.role is Role.HEE_REVIEWER:
        query = query.where(Award.cohort_id.in_(sorted(scope.cohort_ids)))
    return [
        AuditMark(drawn_at.date(), level, title, audit)
        for drawn_at, level, title, audit in db.session.execute(query)
    ]


def claim_outcome(
    audit_id: int, outcome: AuditOutcome | None, recorded_at: datetime | None, now: datetime
) -> bool:
    """Stamp the audit row as being recorded now, only if its outcome and time are still as
    read; False when another change got there first (the update waits for it, then finds no
    row). Joins the caller's transaction."""
    still = (
        AwardAudit.outcome.is_(None) if outcome is None else AwardAudit.outcome == outcome,
        AwardAudit.recorded_at.is_(None)
        if recorded_at is None
        else AwardAudit.recorded_at == recorded_at,
    )
    claimed = db.session.execute(
        update(AwardAudit)
        .where(AwardAudit.id == audit_id, *still)
        .values(recorded_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]
