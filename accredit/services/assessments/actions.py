"""The action plan: a blocker becomes an action with an owner, a due date and a status.

Organisation staff make and edit actions at any stage (a plan outlives a submission). Edits
carry the version they started from and are refused, changing nothing, when someone else saved
the action in between. Everything is in the audit trail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from accredit.data.models import Action, Assessment, User
from accredit.data.queries.assessments import actions as queries
from accredit.data.transactions import unit_of_work
from accredit.domain.assessments.actions import ActionStatus, due_date_problem
from accredit.domain.cohorts.spreadsheet import neutralise
from accredit.extensions import db
from accredit.services.assessments.workspace import Workspace
from accredit.services.operations import audit
from accredit.services.reports.report import ActionLine


class ActionRefused(Exception):
    """A change the service will not make, with the message to show and the field it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _check_actor(actor: User, assessment: Assessment) -> None:
    if actor.role.is_hee or actor.organisation_id != assessment.organisation_id:
        raise ActionRefused("Only people in the organisation can change its action plan")


def create(actor: User, ws: Workspace, criterion_id: str) -> Action:
    """An action for a criterion that applies and is not yet met (or the existing one)."""
    assessment = ws.assessment
    _check_actor(actor, assessment)
    try:
        criterion = ws.standard.criterion(criterion_id)
        result = ws.result.criterion(criterion_id)
    except KeyError:
        raise ActionRefused("There is no such criterion in this standard") from None
    existing = queries.action_for_criterion(assessment, criterion_id)
    if existing is not None:
        return existing
    if not result.applicable:
        raise ActionRefused(f"{criterion.id} does not apply to your organisation")
    with unit_of_work():
        action = Action(
            assessment_id=assessment.id,
            criterion_id=criterion.id,
            description=f"Meet {criterion.id}: {criterion.title}",
            status=ActionStatus.NOT_STARTED.value,
            created_by_id=actor.id,
        )
        db.session.add(action)
        db.session.flush()
        audit.record(
            "action.created", f"action:{action.id}", actor=actor, after=_audit_values(action)
        )
    return action


def update(
    actor: User,
    action: Action,
    assessment: Assessment,
    *,
    version: int,
    description: str,
    owner_id: int | None,
    due_date: date | None,
    status: ActionStatus,
    today: date | None = None,
) -> Action:
    _check_actor(actor, assessment)
    description = description.strip()
    if not description:
        raise ActionRefused("Enter what needs to be done", "description")
    if len(description) > 2000:
        raise ActionRefused("What needs to be done must be 2000 characters or fewer", "description")
    problem = due_date_problem(due_date, today or date.today(), was=action.due_date)
    if problem:
        raise ActionRefused(problem, "due_date")
    if owner_id is not None and owner_id not in {
        u.id for u in queries.possible_owners(assessment.organisation_id)
    }:
        raise ActionRefused("Choose someone in your organisation", "owner_id")
    if version != action.version:
        raise ActionRefused(_STALE)
    before = _audit_values(action)
    try:
        with unit_of_work():
            action.description = description
            action.owner_id = owner_id
            action.due_date = due_date
            action.status = status.value
            db.session.flush()
            audit.record(
                "action.updated",
                f"action:{action.id}",
                actor=actor,
                before=before,
                after=_audit_values(action),
            )
    except StaleDataError:  # the unit rolled back: nothing of this edit is kept
        raise ActionRefused(_STALE) from None
    return action


_STALE = (
    "Someone else changed this action while you were editing it. "
    "Check their changes below, then make yours again."
)


def delete(actor: User, action: Action, assessment: Assessment) -> None:
    _check_actor(actor, assessment)
    with unit_of_work():
        audit.record(
            "action.deleted", f"action:{action.id}", actor=actor, before=_audit_values(action)
        )
        db.session.delete(action)


def _audit_values(action: Action) -> dict[str, Any]:
    return {
        "criterion": action.criterion_id,
        "description": action.description,
        "owner_id": action.owner_id,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "status": action.status,
    }


CSV_HEADERS = ("Criterion", "Title", "Action", "Owner", "Due date", "Status", "Overdue")


def to_csv(lines: Iterable[ActionLine]) -> str:
    """The plan as CSV, with every cell safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    for line in lines:
        action = line.action
        writer.writerow(
            [
                neutralise(value)
                for value in (
                    line.criterion.id,
                    line.criterion.title,
                    action.description,
                    action.owner.name if action.owner else "",
                    action.due_date.isoformat() if action.due_date else "",
                    line.status.label,
                    "Yes" if line.overdue else "No",
                )
            ]
        )
    return out.getvalue()
