"""How review pages show a criterion's status and an award's length."""

from __future__ import annotations

from accredit.domain.review.review import STATUS_LABELS, STATUS_TAGS
from accredit.domain.scoring.results import Status
from accredit.web.helpers import settings


def criterion_status(value: str) -> dict[str, str]:
    """A criterion status as an NHS.UK tag: its words and colour."""
    status = Status(value)
    return {"text": STATUS_LABELS[status], "colour": STATUS_TAGS[status]}


def award_period() -> str:
    """How long an award lasts, in words ("2 years", "18 months")."""
    months = settings().award_months
    if months % 12 == 0:
        years = months // 12
        return f"{years} year" if years == 1 else f"{years} years"
    return f"{months} month" if months == 1 else f"{months} months"
