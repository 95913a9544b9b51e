"""The action plan's rules: an action's statuses and when it is overdue. Pure Python."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress", "done": "Done"}[
            self.value
        ]


def is_overdue(due: date | None, status: ActionStatus, today: date) -> bool:
    """Past its due date and not done (an action due today is not yet overdue)."""
    return due is not None and status is not ActionStatus.DONE and due < today


def due_date_problem(due: date | None, today: date, *, was: date | None = None) -> str | None:
    """A due date is for the future: a new date in the past is refused, but an unchanged past
    date is kept (an overdue action can still be edited without moving its date)."""
    if due is None or due >= today or due == was:
        return None
    return "Due date must be today or in the future"
