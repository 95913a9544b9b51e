"""What an award means on a given day, its certificate reference, and when an organisation has
stalled. Pure Python: the organisation page, the verify page and the dashboard all agree.

A certificate reference is printed beside the fingerprint so a person can read it out on the
phone: ``WEQS-2026-000123-3F9A`` is the standard, the year awarded, the award's number and the
first four characters of the award's fingerprint. The fingerprint part means a reference cannot
be guessed by counting award numbers: a made-up one is "not recognised", not some other award.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.review.awards import AwardStatus, expiring_soon, is_valid

_REFERENCE = re.compile(r"^([A-Z][A-Z0-9]{0,15})-(\d{4})-(\d{6,9})-([0-9A-F]{4})$")


class Standing(StrEnum):
    """An award as a reader of its certificate needs to know it today."""

    VALID = "valid"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "valid": "Valid",
            "expired": "Expired",
            "superseded": "Superseded",
            "withdrawn": "Withdrawn",
        }[self.value]

    @property
    def tag(self) -> str:
        """The NHS.UK tag colour for the standing."""
        return {
            "valid": "green",
            "expired": "grey",
            "superseded": "blue",
            "withdrawn": "red",
        }[self.value]


def standing(status: AwardStatus, expiry: date, today: date) -> Standing:
    """Withdrawn and superseded say why an award ended; a current one is valid until the day
    it expires (``domain.awards.is_valid``) and expired from then on."""
    if status is AwardStatus.WITHDRAWN:
        return Standing.WITHDRAWN
    if status is AwardStatus.SUPERSEDED:
        return Standing.SUPERSEDED
    return Standing.VALID if is_valid(status, expiry, today) else Standing.EXPIRED


def warns_of_expiry(status: AwardStatus, expiry: date, today: date) -> bool:
    return status is AwardStatus.CURRENT and expiring_soon(expiry, today)


def reference(standard_id: str, awarded_on: date, award_id: int, fingerprint: str) -> str:
    return f"{standard_id.upper()}-{awarded_on.year}-{award_id:06d}-{fingerprint[:4].upper()}"


@dataclass(frozen=True, slots=True)
class Reference:
    standard_id: str
    year: int
    award_id: int
    fingerprint_start: str


def parse_reference(text: str) -> Reference | None:
    """A reference as typed (any case, spaces around it), or None when it is not one."""
    found = _REFERENCE.match(text.strip().upper())
    if found is None:
        return None
    standard, year, number, start = found.groups()
    return Reference(standard.lower(), int(year), int(number), start.lower())


def matches_reference(
    ref: Reference, standard_id: str, awarded_on: date, award_id: int, fingerprint: str
) -> bool:
    return ref == Reference(standard_id.lower(), awarded_on.year, award_id, fingerprint[:4])


#: An organisation's assessment counts as stalled only while the organisation can still act
#: (the dashboard's query: this status with no activity since ``stalled_before``, or never
#: started, while ``watching_for_stalls``).
STALLABLE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


def stalled_before(now: datetime, weeks: int) -> datetime:
    """Activity before this moment is too old: the organisation has stalled."""
    return now - timedelta(weeks=weeks)


def watching_for_stalls(deadline: date | None, today: date) -> bool:
    """Stalls matter while the deadline is still ahead (once it passes, the organisation is
    overdue instead, which the dashboard counts on its own). A cohort without a deadline is
    still watched: nothing has been missed yet, but nobody is moving."""
    return deadline is None or today <= deadline
