"""Awards and their audits: statuses, expiry and the warnings HEE watches. Pure Python."""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

#: The dashboard warns of awards that expire within this many months.
EXPIRY_WARNING_MONTHS = 3


class AwardStatus(StrEnum):
    CURRENT = "current"
    #: Replaced by a later award (the next cycle's, or one re-issued after an audit).
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"current": "Current", "superseded": "Superseded", "withdrawn": "Withdrawn"}[
            self.value
        ]


class AuditOutcome(StrEnum):
    CONFIRMED = "confirmed"
    LEVEL_CHANGED = "level_changed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "confirmed": "Award confirmed",
            "level_changed": "Level changed",
            "withdrawn": "Award withdrawn",
        }[self.value]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day
    (an award made on 29 February 2028 expires on 28 February 2030)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expires_on(awarded_on: date, months: int) -> date:
    """An award is valid up to and including the day before the same date ``months`` later."""
    return add_months(awarded_on, months)


def expiring_soon(expiry: date, today: date) -> bool:
    """Still valid, and ending within the warning window."""
    return today < expiry <= add_months(today, EXPIRY_WARNING_MONTHS)


def is_valid(status: AwardStatus, expiry: date, today: date) -> bool:
    return status is AwardStatus.CURRENT and today < expiry
