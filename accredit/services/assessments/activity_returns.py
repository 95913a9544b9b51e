"""Saving and submitting an organisation's annual activity return.

Leads and contributors save drafts (a draft may be partial); only the lead submits, and only
a complete, consistent return. Two colleagues saving from the same version never overwrite
each other: the second is refused with the return as it now stands, and the page shows them
what they typed beside it. One return per organisation and year is the table's unique
constraint; two first saves at once lose the race the same way. Every save is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from accredit.data.base import utcnow
from accredit.data.models import ActivityReturn, User
from accredit.data.queries.assessments import activity_returns as queries
from accredit.data.queries.assessments import assessments as assessment_queries
from accredit.data.queries.scope import Scope
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.activity_return import (
    DRAFT,
    SUBMITTED,
    Figures,
    open_years,
    validate,
    year_label,
)
from accredit.extensions import db
from accredit.services.assessments import assessments
from accredit.services.assessments.workspace import load
from accredit.services.operations import audit


class ReturnRefused(Exception):
    """Not allowed at all (the message says why); nothing was saved."""


@dataclass
class ReturnInvalid(Exception):
    """Figures that fail the checks: a message per field, in form order."""

    errors: dict[str, str]


@dataclass
class StaleReturn(Exception):
    """A colleague saved first: the return as it now stands (None if it has gone)."""

    current: ActivityReturn | None
    reason: str = field(default="saved")


def can_edit(role: Role) -> bool:
    return role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR)


def can_submit(role: Role) -> bool:
    return role is Role.ORG_LEAD


def save(
    scope: Scope,
    actor: User,
    organisation_id: int,
    year: int,
    raw: Mapping[str, str | None],
    *,
    version: int,
    submit: bool,
    today: date | None = None,
) -> ActivityReturn:
    """Save the figures as typed as a draft, or submit them; ``version`` is the version the
    form was opened at (0 for a return not started)."""
    if not (can_edit(actor.role) and scope.allows(organisation_id)):
        raise ReturnRefused("Only the organisation's own staff can change its activity return")
    if submit and not can_submit(actor.role):
        raise ReturnRefused("Only the organisation lead can submit the activity return")
    if year not in open_years(today or date.today()):
        raise ReturnRefused(f"A return for {year_label(year)} cannot be made yet")
    figures, errors = validate(raw, complete=submit)
    if errors:
        raise ReturnInvalid(errors)
    existing = queries.return_for(scope, organisation_id, year)
    if existing is not None:
        if existing.status == SUBMITTED:
            raise ReturnRefused("This return has been submitted, so it can no longer be changed")
        if existing.version != version:
            raise StaleReturn(existing)
    elif version != 0:
        raise StaleReturn(None, "removed")
    try:
        return _write(actor, organisation_id, year, existing, figures, submit)
    except IntegrityError:
        raise StaleReturn(queries.fresh_return_for(organisation_id, year), "started") from None
    except StaleDataError:
        raise StaleReturn(queries.fresh_return_for(organisation_id, year)) from None


def _write(
    actor: User,
    organisation_id: int,
    year: int,
    existing: ActivityReturn | None,
    figures: Figures,
    submit: bool,
) -> ActivityReturn:
    before = dict(existing.figures) if existing is not None else None
    with unit_of_work():
        record = existing
        if record is None:
            record = ActivityReturn(organisation_id=organisation_id, year=year, status=DRAFT)
            db.session.add(record)
        record.figures = dict(figures)
        record.updated_by_id = actor.id
        if submit:
            record.status = SUBMITTED
            record.submitted_at = utcnow()
            record.submitted_by_id = actor.id
        db.session.flush()
        audit.record(
            "activity-return.submitted" if submit else "activity-return.saved",
            f"activity-return:{record.id}",
            actor=actor,
            before=before,
            after=dict(figures),
            detail=f"organisation:{organisation_id} {year_label(year)}",
        )
        if submit:
            _rescore_open_assessments(organisation_id)
    return record


def _rescore_open_assessments(organisation_id: int) -> None:
    """A submitted return can answer a question the service answers itself (`answered_by`):
    keep the stored scores the dashboards read in step with it."""
    for assessment in assessment_queries.assessments_of_organisation(organisation_id):
        if assessment.status in assessments.OPEN:
            workspace = load(assessment)
            if workspace.known:
                assessments.refresh_summary(workspace)


def differences(current: ActivityReturn | None, typed: Figures) -> list[str]:
    """Fields where what the colleague saved differs from what was typed (for the clash)."""
    saved = current.figures if current is not None else {}
    return [name for name, value in typed.items() if saved.get(name) != value]
