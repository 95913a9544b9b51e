"""Demo awards: several demo organisations already hold an award from an earlier cycle, so an
HEE admin can draw a random audit sample (and see awards expiring) straight after `make run`.

The organisations chosen are the ones not on the demo's review journey (their leads are not
about to submit or be accepted), across regions, types and levels; one award expires within
the dashboard's warning window. Two of them (``demo_history.EARLIER_CYCLE``) earn theirs through
a full earlier cycle, made first, so they are left alone here; the others hold an award with no
assessment behind it."""

from __future__ import annotations

import hashlib
from datetime import date

from accredit.data.models import Award
from accredit.data.queries.accounts.organisations import organisation_by_ods
from accredit.data.queries.review.audits import holds_an_award
from accredit.data.transactions import unit_of_work
from accredit.domain.review.awards import AwardStatus, add_months, expires_on
from accredit.extensions import db

#: (ODS code, level id, level name, months since the award was made)
DEMO_AWARDS: tuple[tuple[str, str, str, int], ...] = (
    ("RX1", "silver", "Silver", 14),
    ("RX3", "bronze", "Bronze", 8),
    ("RX5", "bronze", "Bronze", 17),
    ("RX6", "gold", "Gold", 5),
    ("V90003", "bronze", "Bronze", 11),
    ("8X901", "silver", "Silver", 3),
    ("RX7", "bronze", "Bronze", 22),  # expires within three months: the dashboard warns
    ("VX902", "bronze", "Bronze", 1),
)


def seed_demo_awards(cohort_id: int, award_months: int, today: date | None = None) -> int:
    """Give the demo organisations their earlier awards (lasting ACCREDIT_AWARD_MONTHS);
    organisations that already have an award are left alone. Returns how many were made."""
    today = today or date.today()
    months = award_months
    made = 0
    with unit_of_work():
        for ods, level, level_name, age in DEMO_AWARDS:
            organisation = organisation_by_ods(ods)
            if organisation is None or holds_an_award(organisation.id):
                continue
            awarded_on = add_months(today, -age)
            db.session.add(
                Award(
                    organisation_id=organisation.id,
                    cohort_id=cohort_id,
                    level=level,
                    level_name=level_name,
                    awarded_on=awarded_on,
                    expires_on=expires_on(awarded_on, months),
                    standard_id="weqs",
                    standard_version="2026.1",
                    standard_title="Work Experience Quality Standard",
                    # No snapshot stands behind a demo award: a fingerprint of its own name
                    # (no pack or certificate file will match it).
                    fingerprint=hashlib.sha256(f"demo-award:{ods}".encode()).hexdigest(),
                    status=AwardStatus.CURRENT,
                )
            )
            made += 1
    return made
