"""Action plan queries. Callers pass an assessment they fetched through the user's scope."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from accredit.data.models import Action, Assessment, User
from accredit.extensions import db


def actions_of(assessment: Assessment) -> Sequence[Action]:
    """In the order they were made (the order of the blockers they came from, usually)."""
    return db.session.scalars(
        select(Action).where(Action.assessment_id == assessment.id).order_by(Action.id)
    ).all()


def action_of(assessment: Assessment, action_id: int) -> Action | None:
    return db.session.scalar(
        select(Action).where(Action.assessment_id == assessment.id, Action.id == action_id)
    )


def action_for_criterion(assessment: Assessment, criterion_id: str) -> Action | None:
    return db.session.scalar(
        select(Action).where(
            Action.assessment_id == assessment.id, Action.criterion_id == criterion_id
        )
    )


def possible_owners(organisation_id: int) -> Sequence[User]:
    """Active people of the organisation, by name: who an action can be given to."""
    return db.session.scalars(
        select(User)
        .where(User.organisation_id == organisation_id, User.active.is_(True))
        .order_by(User.name, User.id)
    ).all()
