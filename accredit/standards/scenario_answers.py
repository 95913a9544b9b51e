"""The answers a scenario stands for, built from a few words per criterion (standards/README.md,
"Scenarios").

A scenario says how each criterion is answered, `best`, `partly`, `worst`, `no_evidence` or
`none`, and this module turns that into the answer mapping `score` takes. Every question of the
standard is answered, visible or not (scoring ignores hidden answers), so no condition has to be
evaluated here and a show_if can never make the builder and the scorer disagree. Which answer is
"best" is found by scoring candidate answers with the standard's own scoring plan, never guessed
from labels, so an option scored the other way round ("no" being the good answer) is handled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum

from accredit.domain.scoring.answers import check_answer
from accredit.domain.scoring.plan import PlannedCriterion, PlannedQuestion, plan_for
from accredit.domain.scoring.scoring import visible_keys
from accredit.domain.scoring.standard import Question, QuestionType, Standard

TEXT = "Written for this scenario"
URL = "https://example.org/work-experience"
EVIDENCE = ["scenario-evidence"]


class Mode(StrEnum):
    """How one criterion of a scenario is answered."""

    #: Every question its best-scoring answer, evidence attached.
    BEST = "best"
    #: Scored questions their middle answer ("partly") where they have one, evidence attached.
    PARTLY = "partly"
    #: Every scored question its lowest-scoring answer, no evidence.
    WORST = "worst"
    #: As `best`, but no evidence attached (and evidence questions left blank).
    NO_EVIDENCE = "no_evidence"
    #: Nothing answered.
    NONE = "none"


def build_answers(
    standard: Standard,
    profile: Mapping[str, object],
    modes: Mapping[str, Mode],
    date: dt.date,
) -> dict[str, object]:
    """Answers for every criterion, each answered as `modes[criterion id]` says."""
    answers: dict[str, object] = {}
    for planned in plan_for(standard).criteria:
        mode = modes[planned.criterion.id]
        if mode is Mode.NONE:
            continue
        for question, pq in zip(planned.criterion.questions, planned.questions, strict=True):
            value = _answer(question, pq, mode, date)
            if value is not None:
                answers[question.key] = value
        if mode in (Mode.BEST, Mode.PARTLY):
            answers[planned.criterion.evidence_key] = list(EVIDENCE)
    partly = [p for p in plan_for(standard).criteria if modes[p.criterion.id] is Mode.PARTLY]
    if partly:
        _partly_without_middle(standard, profile, answers, partly)
    return answers


def _partly_without_middle(
    standard: Standard,
    profile: Mapping[str, object],
    answers: dict[str, object],
    criteria: list[PlannedCriterion],
) -> None:
    """A `partly` criterion none of whose visible scored questions has a middle answer (only
    yes/no questions) is made partly met another way: its last visible scored question answered
    worst when it has two or more, else its evidence left off when evidence is required. (One
    yes/no question and no evidence rule cannot be partly met: the runner says so.)"""
    visible = set(visible_keys(standard, profile, answers))
    for planned in criteria:
        scored = [
            (q, pq)
            for q, pq in zip(planned.criterion.questions, planned.questions, strict=True)
            if pq.score is not None and q.key in visible
        ]
        if any(0.0 < _score(pq, answers.get(q.key)) < 1.0 for q, pq in scored):
            continue
        if len(scored) >= 2:
            question, pq = scored[-1]
            answers[question.key] = _pick(question, pq, Mode.WORST)
        elif planned.needs_evidence:
            answers.pop(planned.criterion.evidence_key, None)
            for question in planned.criterion.questions:
                if question.type is QuestionType.EVIDENCE:
                    answers.pop(question.key, None)


def _answer(question: Question, pq: PlannedQuestion, mode: Mode, date: dt.date) -> object:
    kind = question.type
    if kind is QuestionType.TEXT:
        return TEXT
    if kind is QuestionType.URL:
        return URL
    if kind is QuestionType.DATE:
        return date.isoformat()
    if kind is QuestionType.EVIDENCE:
        return list(EVIDENCE) if mode in (Mode.BEST, Mode.PARTLY) else None
    return _pick(question, pq, mode)


def _pick(question: Question, pq: PlannedQuestion, mode: Mode) -> object:
    """The candidate answer that scores best, worst or in between (first of equals); for an
    unscored question (a gate such as "Do you run virtual placements?") the first candidate, which
    for yes/no is "yes": the questions behind the gate are then asked and answered by `mode`."""
    candidates = [raw for raw in _candidates(question) if check_answer(question, raw) is None]
    if not candidates:
        candidates = _candidates(question)
    if pq.score is None:
        return candidates[0]
    scored = [(raw, _score(pq, raw)) for raw in candidates]
    if mode is Mode.WORST:
        return min(scored, key=lambda pair: pair[1])[0]
    if mode is Mode.PARTLY:
        middle = [pair for pair in scored if 0.0 < pair[1] < 1.0]
        if middle:
            return min(middle, key=lambda pair: abs(pair[1] - 0.5))[0]
    return max(scored, key=lambda pair: pair[1])[0]


def _score(pq: PlannedQuestion, raw: object) -> float:
    if raw is None or pq.score is None:
        return 0.0
    value = pq.normalise(raw)
    return 0.0 if value is None else float(pq.score(value))


def _candidates(question: Question) -> list[object]:
    """Answers worth trying, in order of preference among equals."""
    kind = question.type
    values = [o.value for o in question.options]
    if kind is QuestionType.MULTIPLE_CHOICE:
        positive = [o.value for o in question.options if (o.score or 0) > 0]
        by_score = [o.value for o in sorted(question.options, key=lambda o: -(o.score or 0))]
        most = question.validation.max
        top = [by_score[: int(most)]] if most is not None and most >= 1 else []
        # Unscored options have no score: then every option comes first, so a gate that reads
        # `includes` opens as a yes/no gate does.
        return [positive or values, values, *top, [], *([v] for v in values)]
    if kind is QuestionType.NUMBER:
        return _numbers(question)
    return list(values)


def _numbers(question: Question) -> list[object]:
    rules = question.validation
    bounds = [
        b
        for b in (
            getattr(question.scoring, name, None)
            for name in ("met_at_least", "partly_at_least", "met_at_most", "partly_at_most")
        )
        if b is not None
    ]
    low = rules.min if rules.min is not None else 0
    high = rules.max if rules.max is not None else max([10, *(b * 10 for b in bounds)])
    found: list[float] = [min(max(10, low), high)]
    for b in bounds:
        found.extend((b, b - 1, b + 1))
    found.extend((low, high, 0, 1))
    seen: list[object] = []
    for number in found:
        value = int(number) if float(number).is_integer() else number
        if value not in seen:
            seen.append(value)
    return seen
