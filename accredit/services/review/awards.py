"""Granting an award when HEE accepts an assessment.

The award copies what it was given for (level name, standard title and version, the snapshot
fingerprint) rather than pointing at it: a certificate must read the same years later, after
the standard has a new version or the assessment has moved on. The period comes from the
``award_months`` setting, never from code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Assessment, Award, User
from accredit.data.queries.review.awards import (
    award_target,
    awards_of,
    current_awards,
    with_certificates,
)
from accredit.data.queries.scope import Scope
from accredit.domain.review.awards import AwardStatus, expires_on
from accredit.domain.review.certificates import Standing, standing, warns_of_expiry
from accredit.extensions import db
from accredit.services.operations import audit
from accredit.services.operations.standards import pinned_standard


class AwardError(ValueError):
    """The award cannot be made as asked (a level the standard does not have)."""


def grant(
    settings: Settings,
    actor: User,
    assessment: Assessment,
    review_id: int | None,
    level_id: str,
    fingerprint: str,
    today: date | None = None,
) -> Award:
    """Record the award and supersede the organisation's earlier current award, inside the
    caller's transaction (flushes, never commits)."""
    standard = pinned_standard(
        assessment.standard_id, assessment.standard_version, assessment.content_hash
    )
    level = next((lv for lv in standard.levels if lv.id == level_id), None)
    if level is None:
        raise AwardError(f"{standard.title} has no level {level_id!r}")
    now = utcnow()
    awarded_on = today or now.date()
    award = Award(
        organisation_id=assessment.organisation_id,
        assessment_id=assessment.id,
        review_id=review_id,
        cohort_id=assessment.cohort_id,
        level=level.id,
        level_name=level.name,
        awarded_on=awarded_on,
        expires_on=expires_on(awarded_on, settings.award_months),
        standard_id=standard.id,
        standard_version=standard.version,
        standard_title=standard.title,
        fingerprint=fingerprint,
        status=AwardStatus.CURRENT,
        awarded_by_id=actor.id,
    )
    earlier = list(current_awards(assessment.organisation_id))
    db.session.add(award)
    db.session.flush()
    for previous in earlier:
        previous.status = AwardStatus.SUPERSEDED
        previous.ended_at = now
        previous.ended_reason = (
            f"Superseded by award {award.id} ({level.name}, {awarded_on:%-d %B %Y})"
        )
        audit.record(
            "award.superseded",
            award_target(previous.id),
            actor=actor,
            before={"status": AwardStatus.CURRENT.value},
            after={"status": AwardStatus.SUPERSEDED.value, "by": award.id},
        )
    audit.record(
        "award.granted",
        award_target(award.id),
        actor=actor,
        after={
            "organisation_id": award.organisation_id,
            "assessment_id": assessment.id,
            "review_id": review_id,
            "level": level.id,
            "awarded_on": awarded_on.isoformat(),
            "expires_on": award.expires_on.isoformat(),
            "standard": f"{standard.id} {standard.version}",
            "fingerprint": fingerprint,
            "superseded": [a.id for a in earlier],
        },
    )
    db.session.flush()
    return award


@dataclass(frozen=True, slots=True)
class AwardRow:
    award: Award
    standing: Standing
    #: Valid, and ending within the dashboard's warning window.
    expiring_soon: bool
    #: A certificate can be downloaded: the award is valid, or one was handed out while it was.
    certificate: bool = True


@dataclass(frozen=True, slots=True)
class AwardHistory:
    """An organisation's page: the award it holds now (if valid today) and every other one."""

    current: AwardRow | None
    history: list[AwardRow]


def history(scope: Scope, organisation_id: int, today: date | None = None) -> AwardHistory:
    today = today or utcnow().date()
    awards = awards_of(scope, organisation_id)
    issued = with_certificates([a.id for a in awards])
    rows = []
    for a in awards:
        stands = standing(a.status, a.expires_on, today)
        rows.append(
            AwardRow(
                a,
                stands,
                warns_of_expiry(a.status, a.expires_on, today),
                certificate=a.status is not AwardStatus.WITHDRAWN
                and (stands is Standing.VALID or a.id in issued),
            )
        )
    current = next((r for r in rows if r.standing is Standing.VALID), None)
    return AwardHistory(current, [r for r in rows if r is not current])
