"""Answers for the what-if tests: an organisation meeting whole levels of a standard, and the
one 2026.2 of the Employability standard judges differently (see standards/employability)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accredit.data.base import utcnow
from accredit.data.models import Answer, Assessment, Cohort, CohortMembership, EvidenceItem
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.scoring.standard import Question, QuestionType, Standard
from accredit.extensions import db
from accredit.services.operations.standards import latest_published


def _best(question: Question, evidence: str) -> object:
    kind = question.type
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return max(question.options, key=lambda o: o.score or 0.0).value
    if kind is QuestionType.MULTIPLE_CHOICE:
        return [o.value for o in question.options if o.score != 0]
    if kind is QuestionType.NUMBER:
        return getattr(question.scoring, "met_at_least", None) or 1
    if kind is QuestionType.DATE:
        return "2026-06-01"
    return [evidence] if kind is QuestionType.EVIDENCE else "Named person"


def answers_for(
    standard: Standard, met: tuple[str, ...], partly: bool = False, evidence: str = "1"
) -> dict[str, object]:
    """Every criterion of the `met` levels met, citing the evidence item `evidence`; with
    `partly`, the other criteria answered "partly" (numbers at their "partly" bound)."""
    answers: dict[str, object] = {}
    for criterion in standard.criteria:
        if criterion.level in met:
            answers.update({q.key: _best(q, evidence) for q in criterion.questions})
            answers[criterion.evidence_key] = [evidence]
        elif partly:
            for q in criterion.questions:
                if q.type is QuestionType.YES_PARTLY_NO:
                    answers[q.key] = "partly"
                elif q.type is QuestionType.NUMBER:
                    answers[q.key] = getattr(q.scoring, "partly_at_least", None) or 0
    return answers


#: The Employability standard's levels below Exemplary.
LOWER = ("foundation", "established")


def employability_cohort(make_org: Callable[..., Any], make_user: Callable[..., Any]) -> int:
    """An Employability 2026.1 cohort: two organisations partly meeting Exemplary (Exemplary
    under 2026.1, Established under 2026.2), one at each level, one whose Established rests on
    evidence since removed from its library, one started with nothing answered, one not
    started."""
    standard, content_hash = latest_published("employability", "2026.1")
    cohort = Cohort(
        name="Employability 2026", year=2026, standard_id="employability", standard_version="2026.1"
    )
    with unit_of_work():
        db.session.add(cohort)
    plan = [
        ("Ashby Academy", "partly"),
        ("Brook College", "established"),
        ("Carlow Careers", "partly"),
        ("Dunmore Jobs", "exemplary"),
        ("Elm Foundation Trust", "foundation"),
        ("Fenwick Works", "removed evidence"),
        ("Glade Skills", "started"),
        ("Hollin Hub", "not started"),
    ]
    for n, (name, stage) in enumerate(plan, 1):
        organisation = make_org(name, org_type=OrgType.OTHER, ods_code=f"W{n:04d}")
        with unit_of_work():
            db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
        if stage == "not started":
            continue
        lead = make_user(Role.ORG_LEAD, organisation)
        item = EvidenceItem(
            organisation_id=organisation.id,
            kind="statement",
            title="Programme handbook",
            statement="Our handbook.",
            uploaded_by_id=lead.id,
        )
        with unit_of_work():
            db.session.add(item)
            db.session.flush()
            if stage == "removed evidence":
                item.removed_at = utcnow()
            assessment = Assessment(
                organisation_id=organisation.id,
                cohort_id=cohort.id,
                standard_id="employability",
                standard_version="2026.1",
                content_hash=content_hash,
                status=AssessmentStatus.DRAFT,
                started_by_id=lead.id,
                revision=0,
                last_activity_at=utcnow(),
            )
            db.session.add(assessment)
            db.session.flush()
            levels = {
                "partly": LOWER,
                "exemplary": (*LOWER, "exemplary"),
                "foundation": ("foundation",),
                "started": (),
            }.get(stage, LOWER)
            answers = answers_for(standard, levels, partly=stage == "partly", evidence=str(item.id))
            db.session.add_all(
                Answer(assessment_id=assessment.id, key=key, value=value, updated_by_id=lead.id)
                for key, value in answers.items()
            )
    return cohort.id
