"""What an organisation's badge says. Pure Python.

A badge has a stable address per organisation, so a page that embeds it stays right: it shows
the award that stands today, and turns grey saying "expired" (or "withdrawn") the day the award
ends, until a new award replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from accredit.domain.review.awards import AwardStatus, last_valid_day, valid_on

#: The longest organisation name a badge prints before cutting it short with an ellipsis.
NAME_MAX = 48


class BadgeState(StrEnum):
    CURRENT = "current"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Badge:
    state: BadgeState
    #: The left part (the organisation) and the right part (the award, or that it ended).
    label: str
    message: str

    @property
    def description(self) -> str:
        """The badge in one sentence, for its alt text and its title."""
        return f"{self.label}: {self.message}"


def badge_for(
    name: str, level_name: str, status: AwardStatus, expires_on: date, today: date
) -> Badge:
    """The badge of an organisation's latest award (the one standing today, when there is one)."""
    label = name if len(name) <= NAME_MAX else name[: NAME_MAX - 1].rstrip() + "\u2026"
    if status is AwardStatus.WITHDRAWN:
        return Badge(BadgeState.WITHDRAWN, label, "Work experience award withdrawn")
    if status is AwardStatus.CURRENT and valid_on(expires_on, today):
        until = last_valid_day(expires_on).strftime("%-d %b %Y")
        return Badge(BadgeState.CURRENT, label, f"{level_name} work experience, until {until}")
    return Badge(BadgeState.EXPIRED, label, f"{level_name} work experience award expired")
