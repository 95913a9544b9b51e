"""Assignments and comments: who is answering what, and what colleagues said about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accredit.data.base import utcnow
from accredit.data.models import Assessment, Assignment, Comment, User
from accredit.data.queries.assessments import collaboration as collaboration_queries
from accredit.data.queries.scope import Scope
from accredit.data.transactions import unit_of_work
from accredit.domain.assessments.comments import too_long
from accredit.extensions import db
from accredit.services.operations import audit
from accredit.services.operations.standards import pinned_standard


class CollaborationError(Exception):
    """Refused, with the message to show."""


def assign(
    actor: User, assessment: Assessment, target: str, assignee_id: str, members: Sequence[User]
) -> Assignment | None:
    """Give a section or criterion to a colleague ("" takes it back from whoever had it)."""
    existing = collaboration_queries.assignment(assessment, target)
    if assignee_id == "":
        if existing is not None:
            with unit_of_work():
                audit.record(
                    "assignment-removed",
                    f"assessment:{assessment.id}",
                    actor=actor,
                    before={"target": target, "assignee": existing.assignee_id},
                )
                db.session.delete(existing)
        return None
    person = next((m for m in members if str(m.id) == assignee_id), None)
    if person is None:
        raise CollaborationError("Select someone from your organisation")
    with unit_of_work():
        before = {"target": target, "assignee": existing.assignee_id} if existing else None
        if existing is None:
            existing = Assignment(
                assessment_id=assessment.id,
                target=target,
                assignee_id=person.id,
                assigned_by_id=actor.id,
            )
            db.session.add(existing)
        else:
            existing.assignee_id = person.id
            existing.assigned_by_id = actor.id
        audit.record(
            "assignment-set",
            f"assessment:{assessment.id}",
            actor=actor,
            before=before,
            after={"target": target, "assignee": person.id},
        )
    return existing


def add_comment(actor: User, assessment: Assessment, criterion_id: str, body: str) -> Comment:
    text = body.replace("\x00", "").strip()
    if not text:
        raise CollaborationError("Enter a comment")
    problem = too_long("Your comment", text)
    if problem is not None:
        raise CollaborationError(problem)
    with unit_of_work():
        comment = Comment(
            assessment_id=assessment.id, criterion_id=criterion_id, author_id=actor.id, body=text
        )
        db.session.add(comment)
        assessment.last_activity_at = utcnow()
        audit.record(
            "comment-added",
            f"assessment:{assessment.id}",
            actor=actor,
            after={"criterion": criterion_id},
        )
    return comment


@dataclass(frozen=True, slots=True)
class AssignedItem:
    assessment: Assessment
    target: str
    title: str
    url_criterion: str | None  # first criterion to open
    section_id: str | None


def assigned_items(scope: Scope, person: User) -> list[AssignedItem]:
    items: list[AssignedItem] = []
    for assignment in collaboration_queries.assignments_for_user(scope, person.id):
        assessment = db.session.get(Assessment, assignment.assessment_id)
        if assessment is None:
            continue
        standard = pinned_standard(
            assessment.standard_id, assessment.standard_version, assessment.content_hash
        )
        kind, _, ident = assignment.target.partition(":")
        if kind == "section":
            section = standard.section(ident)
            first = section.criteria[0].id if section.criteria else None
            items.append(
                AssignedItem(assessment, assignment.target, section.title, first, section.id)
            )
        else:
            criterion = standard.criterion(ident)
            items.append(
                AssignedItem(
                    assessment,
                    assignment.target,
                    f"{criterion.id} {criterion.title}",
                    criterion.id,
                    criterion.section_id,
                )
            )
    return items
