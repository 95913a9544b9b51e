"""Awards: an organisation's current award and history, certificates issued, and the cohort
dashboard's accreditation warnings. Everything an organisation's user or a reviewer reads goes
through their Scope; the verify page (HEE staff, who check certificates from anywhere) reads
by fingerprint or number without one, as the pack lookups do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from accredit.data.models import (
    Assessment,
    AuditEvent,
    Award,
    CohortMembership,
    Organisation,
)
from accredit.data.queries.scope import Scope
from accredit.domain.review.awards import AwardStatus, last_valid_day
from accredit.domain.review.certificates import STALLABLE
from accredit.extensions import db

#: The audit action recording each certificate file handed out, with its SHA-256.
CERTIFICATE_ISSUED = "award.certificate-issued"


def award_target(award_id: int) -> str:
    return f"award:{award_id}"


def awards_of(scope: Scope, organisation_id: int) -> Sequence[Award]:
    """Newest first: the current award (if any) and the history."""
    return db.session.scalars(
        select(Award)
        .where(
            Award.organisation_id == organisation_id,
            scope.organisations_clause(Award.organisation_id),
        )
        .order_by(Award.awarded_on.desc(), Award.id.desc())
    ).all()


def award_by_id(scope: Scope, award_id: int) -> Award | None:
    return db.session.scalar(
        select(Award).where(Award.id == award_id, scope.organisations_clause(Award.organisation_id))
    )


def current_awards(organisation_id: int) -> Sequence[Award]:
    """For granting (the caller already holds the organisation): normally one, or none."""
    return db.session.scalars(
        select(Award).where(
            Award.organisation_id == organisation_id, Award.status == AwardStatus.CURRENT
        )
    ).all()


def awards_with_fingerprint(fingerprint: str) -> Sequence[Award]:
    """For the verify page: HEE staff check a certificate from any organisation."""
    return db.session.scalars(
        select(Award).where(Award.fingerprint == fingerprint).order_by(Award.id)
    ).all()


def award_for_verification(award_id: int) -> Award | None:
    """For the verify page, by the number in a certificate reference."""
    return db.session.get(Award, award_id)


def issued_certificates(award_id: int) -> list[str]:
    """SHA-256 of every certificate file handed out for the award, oldest first."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.action == CERTIFICATE_ISSUED,
            AuditEvent.target == award_target(award_id),
        )
        .order_by(AuditEvent.created_at, AuditEvent.id)
    )
    return [str(e.after["sha256"]) for e in events if e.after and e.after.get("sha256")]


def with_certificates(award_ids: Sequence[int]) -> set[int]:
    """Which of these awards have had a certificate handed out (one query)."""
    if not award_ids:
        return set()
    targets = {award_target(i): i for i in award_ids}
    found = db.session.scalars(
        select(AuditEvent.target)
        .where(AuditEvent.action == CERTIFICATE_ISSUED, AuditEvent.target.in_(list(targets)))
        .distinct()
    )
    return {targets[t] for t in found}


# --- The cohort dashboard's warnings ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExpiringRow:
    award_id: int
    organisation_id: int
    name: str
    ods_code: str
    level_name: str
    expires_on: date

    @property
    def last_valid_day(self) -> date:
        return last_valid_day(self.expires_on)


@dataclass(frozen=True, slots=True)
class StalledRow:
    organisation_id: int
    name: str
    ods_code: str
    assessment_id: int | None
    last_activity_at: datetime | None


def _members(scope: Scope, cohort_id: int) -> Select[Any]:
    return (
        select()
        .select_from(CohortMembership)
        .join(Organisation, Organisation.id == CohortMembership.organisation_id)
        .where(
            CohortMembership.cohort_id == cohort_id,
            scope.cohorts_clause(CohortMembership.cohort_id),
        )
    )


def _member_ids(scope: Scope, cohort_id: int) -> Select[Any]:
    return select(CohortMembership.organisation_id).where(
        CohortMembership.cohort_id == cohort_id,
        scope.cohorts_clause(CohortMembership.cohort_id),
    )


def award_counts(scope: Scope, cohort_id: int, today: date, warn_until: date) -> tuple[int, int]:
    """(organisations holding a valid award, those whose award expires by ``warn_until``).
    Driven from the awards' status and expiry index: current awards are few beside members."""
    soon = case((Award.expires_on <= warn_until, Award.organisation_id))
    row = db.session.execute(
        select(
            func.count(func.distinct(Award.organisation_id)), func.count(func.distinct(soon))
        ).where(
            Award.status == AwardStatus.CURRENT,
            Award.expires_on > today,
            Award.organisation_id.in_(_member_ids(scope, cohort_id)),
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def expiring_awards(
    scope: Scope, cohort_id: int, today: date, warn_until: date, limit: int
) -> list[ExpiringRow]:
    """The first ``limit`` current awards expiring after today and by ``warn_until``, soonest
    first."""
    rows = db.session.execute(
        _members(scope, cohort_id)
        .join(Award, Award.organisation_id == Organisation.id)
        .where(
            Award.status == AwardStatus.CURRENT,
            Award.expires_on > today,
            Award.expires_on <= warn_until,
        )
        .add_columns(
            Award.id,
            Organisation.id,
            Organisation.name,
            Organisation.ods_code,
            Award.level_name,
            Award.expires_on,
        )
        .order_by(Award.expires_on, Organisation.name, Award.id)
        .limit(limit)
    ).all()
    return [ExpiringRow(*row) for row in rows]


def stalled_organisations(
    scope: Scope, cohort_id: int, before: datetime, limit: int
) -> tuple[list[StalledRow], int]:
    """Organisations of the cohort whose newest assessment there is a draft or returned with no
    activity since ``before``, or that never started one though they joined before then: the
    longest quiet first (never started before all), and how many there are in all (one query:
    a window count)."""
    newer = aliased(Assessment)
    newest = and_(
        Assessment.cohort_id == cohort_id,
        Assessment.organisation_id == Organisation.id,
        ~exists().where(
            newer.cohort_id == cohort_id,
            newer.organisation_id == Assessment.organisation_id,
            newer.id > Assessment.id,
        ),
    )
    quiet = or_(Assessment.last_activity_at.is_(None), Assessment.last_activity_at < before)
    rows = db.session.execute(
        _members(scope, cohort_id)
        .outerjoin(Assessment, newest)
        .where(
            or_(
                # Never started, and in the cohort for longer than the quiet window allows.
                and_(Assessment.id.is_(None), CohortMembership.created_at < before),
                and_(Assessment.status.in_(STALLABLE), quiet),
            )
        )
        .add_columns(
            Organisation.id,
            Organisation.name,
            Organisation.ods_code,
            Assessment.id,
            Assessment.last_activity_at,
            func.count().over(),
        )
        .order_by(
            Assessment.id.is_not(None),
            Assessment.last_activity_at.nulls_first(),
            Organisation.name,
            Organisation.id,
        )
        .limit(limit)
    ).all()
    total = int(rows[0][-1]) if rows else 0
    return [StalledRow(*row[:-1]) for row in rows], total
