"""Template helpers for showing answers as people wrote them, not as stored values."""

from __future__ import annotations

from accredit.data.queries.assessments.evidence_links import evidence_in_library, evidence_titles
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.scoring.display import answer_text as shown
from accredit.domain.scoring.display import evidence_ids
from accredit.domain.scoring.evidence import is_evidence_key
from accredit.domain.scoring.questionnaire import applies, question_missing
from accredit.domain.scoring.results import CriterionResult
from accredit.domain.scoring.scoring import visible_keys
from accredit.domain.scoring.standard import EVIDENCE, Standard
from accredit.services.assessments.workspace import Workspace


def answer_text(standard: Standard, key: str, value: object) -> str:
    ids = evidence_ids(value) if is_evidence_key(standard, key) else []
    return shown(standard, key, value, evidence_titles(ids))


def cited_evidence(value: object) -> list[tuple[int, str, bool]]:
    """Each evidence item an answer cites: its id, title and whether it is still in the
    library, so pages link each one to its page there (a removed item has none)."""
    ids = evidence_ids(value)
    titles, present = evidence_titles(ids), evidence_in_library(ids)
    return [(i, titles.get(i, "An evidence item"), i in present) for i in ids]


def question_text(standard: Standard, key: str) -> str:
    if key.endswith("/" + EVIDENCE):
        return "Evidence"
    try:
        return standard.question(key).text
    except KeyError:
        return key


def visible_answer_keys(ws: Workspace) -> set[str]:
    return set(visible_keys(ws.standard, ws.profile, ws.answers))


def asked_ids(ws: Workspace) -> set[str]:
    return {c.id for c in ws.result.criteria if applies(c)}


def missing_questions(outcome: CriterionResult) -> tuple[str, ...]:
    return question_missing(outcome)


def status_label(value: str) -> str:
    try:
        return AssessmentStatus(value).label
    except ValueError:
        return value
