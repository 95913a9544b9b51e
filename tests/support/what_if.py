"""Answers for the what-if tests: an organisation meeting whole levels of a standard, and the
one 2026.2 of the Employability standard judges differently (see standards/employability)."""

from __future__ import annotations

from accredit.domain.standard import Question, QuestionType, Standard


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
