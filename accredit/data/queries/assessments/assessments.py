"""Assessment queries. Anything that reads an organisation's assessment takes the caller's scope;
the per-assessment readers below take an assessment the caller already fetched through it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from accredit.data.models import (
    Answer,
    AnswerChange,
    Assessment,
    Assignment,
    Cohort,
    CohortMembership,
    Comment,
    EvidenceLink,
    FormStash,
    Organisation,
    ScoreSummary,
    StatusChange,
)
from accredit.data.queries.scope import Scope
from accredit.extensions import db


def get_assessment(scope: Scope, assessment_id: int) -> Assessment | None:
    """The assessment, or None when it does not exist or belongs to an organisation out of scope."""
    # The organisation comes with it (pages show its name and profile), not its region.
    assessment = db.session.get(
        Assessment,
        assessment_id,
        options=[joinedload(Assessment.organisation).lazyload(Organisation.region)],
    )
    if assessment is None or not scope.allows_assessment(
        assessment.organisation_id, assessment.cohort_id
    ):
        return None
    return assessment


def assessments_for(scope: Scope, organisation_id: int) -> Sequence[Assessment]:
    """Newest first."""
    if not scope.allows(organisation_id):
        return []
    return db.session.scalars(
        select(Assessment)
        .where(
            Assessment.organisation_id == organisation_id,
            scope.cohorts_clause(Assessment.cohort_id),
        )
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    ).all()


def current_cohort(organisation_id: int) -> Cohort | None:
    """The organisation's most recent cohort."""
    return db.session.scalar(
        select(Cohort)
        .join(CohortMembership, CohortMembership.cohort_id == Cohort.id)
        .where(CohortMembership.organisation_id == organisation_id)
        .order_by(Cohort.year.desc(), Cohort.id.desc())
        .limit(1)
    )


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


def touch_assessment(assessment: Assessment, when: object) -> None:
    """Bump the revision and last activity in one UPDATE, and in the loaded object as well
    (without making it dirty, so the ORM does not write it again)."""
    from typing import cast

    from sqlalchemy import Table, bindparam
    from sqlalchemy.orm.attributes import set_committed_value

    table = cast(Table, Assessment.__table__)
    statement = (
        table.update()
        .where(table.c.id == bindparam("of_assessment"))
        .values(revision=table.c.revision + 1, last_activity_at=bindparam("when"))
    )
    db.session.execute(statement, {"of_assessment": assessment.id, "when": when})
    set_committed_value(assessment, "revision", (assessment.revision or 0) + 1)
    set_committed_value(assessment, "last_activity_at", when)


def criterion_history(assessment: Assessment, criterion_id: str) -> Sequence[AnswerChange]:
    return db.session.scalars(
        select(AnswerChange)
        .where(
            AnswerChange.assessment_id == assessment.id,
            AnswerChange.criterion_id == criterion_id,
        )
        .order_by(AnswerChange.created_at.desc(), AnswerChange.id.desc())
    ).all()


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


def status_changes_of(assessment: Assessment) -> Sequence[StatusChange]:
    return db.session.scalars(
        select(StatusChange)
        .where(StatusChange.assessment_id == assessment.id)
        .order_by(StatusChange.created_at, StatusChange.id)
    ).all()


def links_to_item(item_id: int) -> Sequence[EvidenceLink]:
    return db.session.scalars(select(EvidenceLink).where(EvidenceLink.item_id == item_id)).all()


def delete_stashes(user_id: int, path: str) -> None:
    db.session.execute(
        delete(FormStash).where(FormStash.user_id == user_id, FormStash.path == path)
    )


def stash_for(user_id: int, stash_id: int) -> FormStash | None:
    stash = db.session.get(FormStash, stash_id)
    return stash if stash is not None and stash.user_id == user_id else None


def latest_assessment(organisation_id: int) -> Assessment | None:
    """The organisation's newest assessment (callers have checked the organisation is in scope)."""
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def assessments_of_organisation(organisation_id: int) -> Sequence[Assessment]:
    return db.session.scalars(
        select(Assessment).where(Assessment.organisation_id == organisation_id)
    ).all()


def answer_row(assessment: Assessment, key: str) -> Answer | None:
    return db.session.scalar(
        select(Answer).where(Answer.assessment_id == assessment.id, Answer.key == key)
    )


def evidence_links_for_key(assessment: Assessment, key: str) -> Sequence[EvidenceLink]:
    return db.session.scalars(
        select(EvidenceLink).where(
            EvidenceLink.assessment_id == assessment.id, EvidenceLink.key == key
        )
    ).all()


def live_evidence_ids(organisation_id: int) -> set[str]:
    """Ids (as answer values hold them) of the organisation's evidence that is not removed."""
    from accredit.data.models import EvidenceItem

    rows = db.session.scalars(
        select(EvidenceItem.id).where(
            EvidenceItem.organisation_id == organisation_id, EvidenceItem.removed_at.is_(None)
        )
    )
    return {str(item_id) for item_id in rows}


def library_choices(organisation_id: int) -> list[tuple[int, str]]:
    """(id, title) of the organisation's evidence that is not removed, newest first."""
    from accredit.data.models import EvidenceItem

    rows = db.session.execute(
        select(EvidenceItem.id, EvidenceItem.title)
        .where(EvidenceItem.organisation_id == organisation_id, EvidenceItem.removed_at.is_(None))
        .order_by(EvidenceItem.created_at.desc(), EvidenceItem.id.desc())
    )
    return [(item_id, title) for item_id, title in rows]


def evidence_titles(ids: list[int]) -> dict[int, str]:
    from accredit.data.models import EvidenceItem

    if not ids:
        return {}
    rows = db.session.execute(
        select(EvidenceItem.id, EvidenceItem.title).where(EvidenceItem.id.in_(ids))
    )
    return {item_id: title for item_id, title in rows}


def evidence_in_library(ids: list[int]) -> set[int]:
    """Which of these evidence items are still in their library (not removed)."""
    from accredit.data.models import EvidenceItem

    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(EvidenceItem.id).where(
                EvidenceItem.id.in_(ids), EvidenceItem.removed_at.is_(None)
            )
        )
    )


def update_summary(assessment_id: int, values: Mapping[str, object]) -> bool:
    """Overwrite the stored summary; False when there is none yet.

    A plain UPDATE with bound parameters: with `.values(...)` SQLAlchemy would hash the JSON
    values into the statement's cache key on every save."""
    from typing import cast

    from sqlalchemy import Table, bindparam

    table = cast(Table, ScoreSummary.__table__)
    statement = table.update().where(table.c.assessment_id == bindparam("of_assessment"))
    result = db.session.execute(statement, {**values, "of_assessment": assessment_id})
    return bool(result.rowcount)  # type: ignore[attr-defined]


def assessments_ready_for_a_level() -> Sequence[Assessment]:
    """Every assessment whose stored summary has a level reached (demo and bench set-up)."""
    return db.session.scalars(
        select(Assessment)
        .join(ScoreSummary, ScoreSummary.assessment_id == Assessment.id)
        .where(ScoreSummary.level_reached.is_not(None))
        .order_by(Assessment.id)
    ).all()


def cohort_has_assessments(cohort_id: int) -> bool:
    return (
        db.session.scalar(select(Assessment.id).where(Assessment.cohort_id == cohort_id).limit(1))
        is not None
    )
