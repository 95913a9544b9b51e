"""Assessment queries. Anything that reads an organisation's assessment takes the caller's scope;
the per-assessment readers below take an assessment the caller already fetched through it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select

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
    ScoreSummary,
    StatusChange,
)
from accredit.data.queries.scope import Scope
from accredit.extensions import db


def get_assessment(scope: Scope, assessment_id: int) -> Assessment | None:
    """The assessment, or None when it does not exist or belongs to an organisation out of scope."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not scope.allows(assessment.organisation_id):
        return None
    return assessment


def assessments_for(scope: Scope, organisation_id: int) -> Sequence[Assessment]:
    """Newest first."""
    if not scope.allows(organisation_id):
        return []
    return db.session.scalars(
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id)
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


def answers_by_key(assessment: Assessment, keys: Sequence[str]) -> dict[str, Answer]:
    rows = db.session.scalars(
        select(Answer)
        .where(Answer.assessment_id == assessment.id, Answer.key.in_(list(keys)))
        .with_for_update()
    ).all()
    return {row.key: row for row in rows}


def summary_of(assessment: Assessment) -> ScoreSummary | None:
    return db.session.scalar(
        select(ScoreSummary).where(ScoreSummary.assessment_id == assessment.id)
    )


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


def comment_counts(assessment: Assessment) -> dict[str, int]:
    from sqlalchemy import func

    rows = db.session.execute(
        select(Comment.criterion_id, func.count(Comment.id))
        .where(Comment.assessment_id == assessment.id)
        .group_by(Comment.criterion_id)
    )
    return {criterion_id: count for criterion_id, count in rows}


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


def assignments_for_user(scope: Scope, user_id: int) -> Sequence[Assignment]:
    """Items given to this person, in assessments the scope may see."""
    query = (
        select(Assignment)
        .join(Assessment, Assessment.id == Assignment.assessment_id)
        .where(Assignment.assignee_id == user_id)
        .order_by(Assessment.id.desc(), Assignment.target)
    )
    if not scope.sees_all:
        query = query.where(Assessment.organisation_id == scope.organisation_id)
    return db.session.scalars(query).all()


def status_changes_of(assessment: Assessment) -> Sequence[StatusChange]:
    return db.session.scalars(
        select(StatusChange)
        .where(StatusChange.assessment_id == assessment.id)
        .order_by(StatusChange.created_at, StatusChange.id)
    ).all()


def evidence_links_of(assessment: Assessment) -> Sequence[EvidenceLink]:
    return db.session.scalars(
        select(EvidenceLink).where(EvidenceLink.assessment_id == assessment.id)
    ).all()


def links_to_item(item_id: int) -> Sequence[EvidenceLink]:
    return db.session.scalars(select(EvidenceLink).where(EvidenceLink.item_id == item_id)).all()


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


def update_summary(assessment_id: int, values: Mapping[str, object]) -> bool:
    """Overwrite the stored summary; False when there is none yet."""
    from sqlalchemy import update

    result = db.session.execute(
        update(ScoreSummary).where(ScoreSummary.assessment_id == assessment_id).values(**values),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
