"""Template helpers for showing answers as people wrote them, not as stored values."""

from __future__ import annotations

import datetime as dt

from accredit.data.queries.assessments import evidence_titles
from accredit.domain.lifecycle import AssessmentStatus
from accredit.domain.questionnaire import applies, question_missing
from accredit.domain.results import CriterionResult
from accredit.domain.scoring import visible_keys
from accredit.domain.standard import EVIDENCE, QuestionType, Standard
from accredit.services.workspace import Workspace
from accredit.web.assess import bp


@bp.app_template_global()
def answer_text(standard: Standard, key: str, value: object) -> str:
    if value is None or value == [] or value == "":
        return "Not answered"
    if key.endswith("/" + EVIDENCE):
        return _evidence(value)
    try:
        question = standard.question(key)
    except KeyError:
        return str(value)
    if question.type is QuestionType.EVIDENCE:
        return _evidence(value)
    if question.type is QuestionType.MULTIPLE_CHOICE and isinstance(value, list):
        labels = [o.label for o in question.options if o.value in value]
        return ", ".join(labels) if labels else "None selected"
    if question.options and isinstance(value, str):
        option = question.option(value)
        return option.label if option else value
    if question.type is QuestionType.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%-d %B %Y")
        except ValueError:
            return value
    return str(value)


def _evidence(value: object) -> str:
    ids = [int(v) for v in value if str(v).isdigit()] if isinstance(value, list) else []
    titles = evidence_titles(ids)
    return ", ".join(titles.get(i, "Removed evidence") for i in ids) or "None"


@bp.app_template_global()
def question_text(standard: Standard, key: str) -> str:
    if key.endswith("/" + EVIDENCE):
        return "Evidence"
    try:
        return standard.question(key).text
    except KeyError:
        return key


@bp.app_template_global()
def visible_answer_keys(ws: Workspace) -> set[str]:
    return set(visible_keys(ws.standard, ws.profile, ws.answers))


@bp.app_template_global()
def asked_ids(ws: Workspace) -> set[str]:
    return {c.id for c in ws.result.criteria if applies(c)}


@bp.app_template_global()
def missing_questions(outcome: CriterionResult) -> tuple[str, ...]:
    return question_missing(outcome)


@bp.app_template_global()
def status_label(value: str) -> str:
    try:
        return AssessmentStatus(value).label
    except ValueError:
        return value
