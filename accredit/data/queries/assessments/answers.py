"""Answers and their history: reading an assessment's answers, the one statement that changes
them, and the record of each change. Callers pass an assessment fetched through the user's scope.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select

from accredit.data.models import (
    Answer,
    AnswerChange,
    Assessment,
)
from accredit.extensions import db


def answers_of(assessment: Assessment) -> Sequence[Answer]:
    return db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id)).all()


def answer_values(assessment_id: int) -> list[tuple[str, object, int, bool]]:
    """(key, value, version, carried forward) of every answer, without building ORM objects."""
    rows = db.session.execute(
        select(Answer.key, Answer.value, Answer.version, Answer.carried_forward).where(
            Answer.assessment_id == assessment_id
        )
    )
    return [(key, value, version, carried) for key, value, version, carried in rows]


def change_answers(
    assessment_id: int, changes: Sequence[tuple[str, int, Mapping[str, object]]]
) -> bool:
    """Update answers (key, the version they were read at, new fields) in one statement, each
    only if still at its version, bumping it; False when any was changed by someone first (the
    caller's transaction then rolls all of them back). No read: the optimistic lock is the WHERE
    clause, and values are bound at execution so the compiled statement is cached."""
    from typing import cast

    from sqlalchemy import Table, bindparam

    from accredit.data.base import utcnow

    if not changes:
        return True
    table = cast(Table, Answer.__table__)
    statement = (
        table.update()
        .where(
            table.c.assessment_id == bindparam("of_assessment"),
            table.c.key == bindparam("of_key"),
            table.c.version == bindparam("at_version"),
        )
        .values(
            version=table.c.version + 1,
            value=bindparam("new_value", type_=table.c.value.type),
            updated_by_id=bindparam("new_by"),
            carried_forward=bindparam("new_carried"),
            updated_at=bindparam("new_at", type_=table.c.updated_at.type),
        )
    )
    now = utcnow()
    params = [
        {
            "of_assessment": assessment_id,
            "of_key": key,
            "at_version": version,
            "new_value": fields["value"],
            "new_by": fields["updated_by_id"],
            "new_carried": False,
            "new_at": now,
        }
        for key, version, fields in changes
    ]
    result = db.session.execute(statement, params)
    return result.rowcount == len(params)  # type: ignore[attr-defined]


def record_answer_changes(changes: Sequence[Mapping[str, object]]) -> None:
    """Add history rows in one statement (the history is only ever appended to)."""
    if changes:
        from typing import cast

        from sqlalchemy import Table

        db.session.execute(cast(Table, AnswerChange.__table__).insert(), list(changes))


def criterion_history(assessment: Assessment, criterion_id: str) -> Sequence[AnswerChange]:
    return db.session.scalars(
        select(AnswerChange)
        .where(
            AnswerChange.assessment_id == assessment.id,
            AnswerChange.criterion_id == criterion_id,
        )
        .order_by(AnswerChange.created_at.desc(), AnswerChange.id.desc())
    ).all()


def answer_row(assessment: Assessment, key: str) -> Answer | None:
    return db.session.scalar(
        select(Answer).where(Answer.assessment_id == assessment.id, Answer.key == key)
    )
