"""The cohort dashboard's accreditation warnings: awards expiring soon and organisations that
have stalled before the deadline.

Cheap at any cohort size: one aggregate for the award counts and two limited lists (the stalled
list carries its own total as a window count), every query through the user's scope. The
warnings cover the whole cohort the user may see, whatever the dashboard's filters: an expiring
award is worth knowing about wherever it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Cohort
from accredit.data.queries.review import awards as queries
from accredit.data.queries.review.awards import ExpiringRow, StalledRow
from accredit.data.queries.scope import Scope
from accredit.domain.review.awards import EXPIRY_WARNING_MONTHS, add_months
from accredit.domain.review.certificates import stalled_before, watching_for_stalls

#: Rows listed under each warning; the count above the list is always the whole number.
LISTED = 20


@dataclass(frozen=True, slots=True)
class Accreditation:
    accredited: int
    expiring_total: int
    expiring: list[ExpiringRow]
    warn_until: date
    #: False once the deadline has passed: late organisations are overdue, not stalled.
    watching: bool
    stalled_total: int
    stalled: list[StalledRow]
    stalled_weeks: int
    quiet_since: datetime
    listed: int = LISTED
    warning_months: int = EXPIRY_WARNING_MONTHS


def build(
    scope: Scope, cohort: Cohort, settings: Settings, now: datetime | None = None
) -> Accreditation:
    now = now or utcnow()
    today = now.date()
    warn_until = add_months(today, EXPIRY_WARNING_MONTHS)
    accredited, expiring_total = queries.award_counts(scope, cohort.id, today, warn_until)
    expiring = (
        queries.expiring_awards(scope, cohort.id, today, warn_until, LISTED)
        if expiring_total
        else []
    )
    quiet_since = stalled_before(now, settings.stalled_weeks)
    watching = watching_for_stalls(cohort.deadline, today)
    stalled, stalled_total = (
        queries.stalled_organisations(scope, cohort.id, quiet_since, LISTED)
        if watching
        else ([], 0)
    )
    return Accreditation(
        accredited=accredited,
        expiring_total=expiring_total,
        expiring=expiring,
        warn_until=warn_until,
        watching=watching,
        stalled_total=stalled_total,
        stalled=stalled,
        stalled_weeks=settings.stalled_weeks,
        quiet_since=quiet_since,
    )
