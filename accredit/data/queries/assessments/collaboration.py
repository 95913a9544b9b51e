"""Working together on an assessment: comments, assignments of sections to colleagues, and the
stashed edits that survive an expired session.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select

from accredit.data.models import (
    Assessment,
    Assignment,
    Comment,
    FormStash,
)
from accredit.data.queries.scope import Scope
from accredit.extensions import db


def comments_on(assessment: Assessment, criterion_id: str) -> Sequence[Comment]:
    return db.session.scalars(
        select(Comment)
        .where(Comment.assessment_id == assessment.id, Comment.criterion_id == criterion_id)
        .order_by(Comment.created_at, Comment.id)
    ).all()


def assignments_of(assessment: Assessment) -> Sequence[Assignment]:
    return db.session.scalars(
        select(Assignment).where(Assignment.assessment_id == assessment.id)
    ).all()


def assignment(assessment: Assessment, target: str) -> Assignment | None:
    return db.session.scalar(
        select(Assignment).where(
            Assignment.assessment_id == assessment.id, Assignment.target == target
        )
    )


def first_assignment(assessment: Assessment, targets: Sequence[str]) -> Assignment | None:
    """The assignment for the first of `targets` that has one (a criterion, then its section)."""
    rows = db.session.scalars(
        select(Assignment).where(
            Assignment.assessment_id == assessment.id, Assignment.target.in_(list(targets))
        )
    ).all()
    by_target = {row.target: row for row in rows}
    return next((by_target[t] for t in targets if t in by_target), None)


def assignments_for_user(scope: Scope, user_id: int) -> Sequence[Assignment]:
    """Items given to this person, in assessments the scope may see."""
    query = (
        select(Assignment)
        .join(Assessment, Assessment.id == Assignment.assessment_id)
        .where(Assignment.assignee_id == user_id)
        .order_by(Assessment.id.desc(), Assignment.target)
    )
    query = query.where(
        scope.organisations_clause(Assessment.organisation_id),
        scope.cohorts_clause(Assessment.cohort_id),
    )
    return db.session.scalars(query).all()


def delete_stashes(user_id: int, path: str) -> None:
    db.session.execute(
        delete(FormStash).where(FormStash.user_id == user_id, FormStash.path == path)
    )


def stash_for(user_id: int, stash_id: int) -> FormStash | None:
    stash = db.session.get(FormStash, stash_id)
    return stash if stash is not None and stash.user_id == user_id else None
