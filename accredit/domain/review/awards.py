"""Awards and their audits: statuses, expiry and the warnings HEE watches. Pure Python.

One meaning of expiry everywhere: an award's stored ``expires_on`` is the first day it no longer
stands, the same date ``award_months`` after it was made; its last valid day is the day before.
People are only ever shown the last valid day (``last_valid_day``: "Valid until ..."), so the
certificate, the organisation page, the verify page, audits and emails print one date.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
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
    """The first day an award made on ``awarded_on`` no longer stands: the same date
    ``months`` later (an award of 7 December 2026 for 24 months expires on 7 December 2028)."""
    return add_months(awarded_on, months)


def last_valid_day(expiry: date) -> date:
    """The last day an award stands, the date printed as "Valid until": the day before its
    stored expiry (valid until 6 December 2028 when ``expires_on`` is 7 December 2028)."""
    return expiry - timedelta(days=1)


def valid_on(expiry: date, day: date) -> bool:
    """Whether an award's period covers ``day``: up to and including its last valid day."""
    return day <= last_valid_day(expiry)


def expiring_soon(expiry: date, today: date) -> bool:
    """Still valid, and ending within the warning window."""
    return valid_on(expiry, today) and expiry <= add_months(today, EXPIRY_WARNING_MONTHS)


def is_valid(status: AwardStatus, expiry: date, today: date) -> bool:
    """Current (not superseded or withdrawn) and within its period on ``today``."""
    return status is AwardStatus.CURRENT and valid_on(expiry, today)
