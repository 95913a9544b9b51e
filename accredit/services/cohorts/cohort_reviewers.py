"""Assigning HEE reviewers to cohorts (HEE admins). A reviewer sees only the cohorts they are
assigned to, and the organisations in them, everywhere in the service. Every change is audited."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from accredit.data.models import Cohort, CohortReviewer, User
from accredit.data.queries.accounts.users import user_by_id
from accredit.data.queries.cohorts import cohort_members as queries
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.operations import audit


class ReviewerRefused(Exception):
    """The person cannot be assigned; the message is shown on the form."""


def _refuse_unless_admin(actor: User) -> None:
    if actor.role is not Role.HEE_ADMIN:
        raise ReviewerRefused("Only HEE admins can assign reviewers")


def assign(actor: User, cohort: Cohort, user_id: int) -> User:
    """Give an active HEE reviewer the cohort."""
    _refuse_unless_admin(actor)
    reviewer = user_by_id(user_id) if user_id else None
    if reviewer is None or reviewer.role is not Role.HEE_REVIEWER or not reviewer.active:
        raise ReviewerRefused("Select an HEE reviewer from the list")
    if queries.reviewer_assignment(cohort.id, reviewer.id) is not None:
        raise ReviewerRefused(f"{reviewer.name} is already a reviewer of this cohort")
    try:
        with unit_of_work():
            db.session.add(CohortReviewer(cohort_id=cohort.id, user_id=reviewer.id))
            audit.record(
                "cohort.reviewer-added",
                f"cohort:{cohort.id}",
                actor=actor,
                after={"user_id": reviewer.id, "email": reviewer.email},
            )
    except IntegrityError:  # assigned by someone else at the same moment
        raise ReviewerRefused(f"{reviewer.name} is already a reviewer of this cohort") from None
    return reviewer


def unassign(actor: User, cohort: Cohort, user_id: int) -> User | None:
    """Take the cohort from a reviewer; None when they were not assigned to it."""
    _refuse_unless_admin(actor)
    assignment = queries.reviewer_assignment(cohort.id, user_id)
    if assignment is None:
        return None
    reviewer = assignment.user
    with unit_of_work():
        db.session.delete(assignment)
        audit.record(
            "cohort.reviewer-removed",
            f"cohort:{cohort.id}",
            actor=actor,
            before={"user_id": reviewer.id, "email": reviewer.email},
        )
    return reviewer
