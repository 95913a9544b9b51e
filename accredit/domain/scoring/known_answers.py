"""Answers the service already knows: questions a standard marks `answered_by` are answered
"yes" or "no" from the service's own records, never typed, so a criterion such as "the annual
activity return is submitted" is met by the return itself. Pure Python: the service reads the
records and hands them in.

When a return is due. An assessment asks about the financial year before the one it started
in (fixed at the start, so a report read years later says the same). A return for that year
was due when the organisation took part in an earlier assessment cycle during it: an earlier
assessment of the organisation ran in that year (from its start to its last activity), or the
award it led to stood in that year. An organisation in its first cycle owes none, and neither
does one coming back after years away; one between cycles that holds an award owes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import assert_never

from accredit.domain.assessments.activity_return import FIRST_YEAR, financial_year, year_label
from accredit.domain.scoring.standard import ServiceFact, Standard


@dataclass(frozen=True, slots=True)
class Cycle:
    """Days an organisation took part in the programme: from `start` up to (not including)
    `until`."""

    start: date
    until: date

    @classmethod
    def of(
        cls,
        started: datetime,
        last_active: datetime | None,
        award_expires: date | None = None,
        award_ended: datetime | None = None,
    ) -> Cycle:
        """An earlier assessment's cycle: its start to its last activity, or to the end of the
        award it led to (`expires_on` is the first day an award no longer stands; one ended
        early stands until the day it ended)."""
        until = (last_active or started).date() + timedelta(days=1)
        if award_expires is not None:
            award_until = award_expires
            if award_ended is not None:
                award_until = min(award_until, award_ended.date())
            until = max(until, award_until)
        return cls(started.date(), until)


def return_year(started: date) -> int:
    """The financial year whose return an assessment started on `started` asks about: the
    last one that had ended by then."""
    return financial_year(started) - 1


def return_due(year: int, cycles: Iterable[Cycle]) -> bool:
    """Whether the organisation took part in any of `cycles` during financial year `year`."""
    first, after = date(year, 4, 1), date(year + 1, 4, 1)
    return any(c.start < after and c.until > first for c in cycles)


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    """What the service knows about one assessment's organisation."""

    #: The financial year the activity return questions are about (2025: April 2025 to
    #: March 2026).
    return_year: int
    return_due: bool
    return_submitted: bool

    @property
    def return_year_label(self) -> str:
        return year_label(self.return_year)

    @property
    def return_year_open(self) -> bool:
        """Whether the service takes returns for that year (it has a page to link to)."""
        return self.return_year >= FIRST_YEAR

    def holds(self, fact: ServiceFact) -> bool:
        if fact is ServiceFact.ACTIVITY_RETURN_DUE:
            return self.return_due
        if fact is ServiceFact.ACTIVITY_RETURN_SUBMITTED:
            return self.return_submitted
        assert_never(fact)


def known_answers(standard: Standard, facts: ServiceFacts) -> dict[str, str]:
    """Answer key -> "yes"/"no" for every question the service answers; these override
    anything stored under the same keys."""
    return {
        q.key: "yes" if facts.holds(q.answered_by) else "no"
        for q in standard.answered_by_service
        if q.answered_by is not None
    }
