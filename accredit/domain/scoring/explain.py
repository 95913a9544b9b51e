"""Why a criterion is not met, answer by answer: which answer falls short and what would pass.

Scoring gives each criterion one short reason ("Partly met: 1 of 2 answers falls short"), because
it memoises one judgement per observation and an observation holds scores, not answers. The pages
that show a criterion's status work these out on demand, only for the criteria they show, from
the same plan the scorer uses (its normalisers, scorers and gates) and the same visibility rules
(`visible_keys`), so the two never disagree. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from accredit.domain.scoring.plan import TOLERANCE, PlannedCriterion, PlannedQuestion, plan_for
from accredit.domain.scoring.results import CriterionResult, Status
from accredit.domain.scoring.scoring import visible_keys
from accredit.domain.scoring.standard import (
    ChoiceScoring,
    NumberScoring,
    Option,
    Question,
    QuestionType,
    Standard,
)

#: Statuses that have answers to explain (met and not applicable have none).
_SHORT_OF_MET = frozenset({Status.PARTLY_MET, Status.NOT_MET, Status.UNANSWERED})


class ReasonKind(StrEnum):
    #: Answered, scoring below full marks.
    SHORT = "short"
    #: A scored question (or a required gate in front of one) with no valid answer.
    UNANSWERED = "unanswered"
    #: The criterion requires evidence and none is attached.
    NO_EVIDENCE = "no_evidence"


class AnswerShape(StrEnum):
    LABEL = "label"
    NUMBER = "number"
    SELECTION = "selection"


@dataclass(frozen=True, slots=True)
class AnswerReason:
    """One answer that stops a criterion being met."""

    #: Answer key ("3.1/2", or "3.1/evidence").
    key: str
    kind: ReasonKind
    #: The answer as the user saw it: an option's label, "2 selected", a number as entered.
    answer: str = ""
    #: What would pass: '"Yes"', '"A" or "B"', "at least 3 of the listed options", "at least 85".
    needs: str = ""
    #: How the sentence gives the answer: an option's label (quoted), a number or a selection.
    shape: AnswerShape = AnswerShape.LABEL

    @property
    def text(self) -> str:
        """The sentence pages show, e.g. '3.1/2 is "Partly": this criterion needs "Yes"'."""
        if self.kind is ReasonKind.NO_EVIDENCE:
            return "Evidence is required but none is attached"
        if self.kind is ReasonKind.UNANSWERED:
            return f"{self.key} is not answered yet"
        if self.shape is AnswerShape.SELECTION:
            given = f"has {self.answer}"
        elif self.shape is AnswerShape.NUMBER:
            given = f"is {self.answer}"
        else:
            given = f'is "{self.answer}"'
        return f"{self.key} {given}: this criterion needs {self.needs}"

    def __str__(self) -> str:
        return self.text


def explain(
    standard: Standard,
    result: CriterionResult,
    profile: Mapping[str, object],
    answers: Mapping[str, object],
    visible: Collection[str] | None = None,
) -> tuple[AnswerReason, ...]:
    """The answers that stop `result`'s criterion being met, in question order, then missing
    evidence. Nothing for a criterion that is met or does not apply. Pass `visible` (the
    `visible_keys` of these answers) when explaining several criteria of one assessment."""
    if not _has_reasons(result):
        return ()
    if visible is None:
        visible = frozenset(visible_keys(standard, profile, answers))
    planned = _planned(standard, result.id)
    criterion = planned.criterion
    found: list[AnswerReason] = []
    for pq, question in zip(planned.questions, criterion.questions, strict=True):
        if pq.key not in visible:
            continue
        reason = _question_reason(pq, question, answers.get(pq.key))
        if reason is not None:
            found.append(reason)
    if criterion.evidence_key in result.missing:
        found.append(AnswerReason(criterion.evidence_key, ReasonKind.NO_EVIDENCE))
    return tuple(found)


class Explainer:
    """Reasons for one assessment's criteria, each worked out on first use: pages ask about the
    handful of criteria they show, and visibility is worked out once for all of them."""

    def __init__(
        self,
        standard: Standard,
        profile: Mapping[str, object],
        answers: Mapping[str, object],
        results: Iterable[CriterionResult],
    ) -> None:
        self._standard = standard
        self._profile = profile
        self._answers = answers
        self._results = {r.id: r for r in results}
        self._visible: frozenset[str] | None = None
        self._found: dict[str, tuple[AnswerReason, ...]] = {}

    def reasons(self, criterion_id: str) -> tuple[AnswerReason, ...]:
        found = self._found.get(criterion_id)
        if found is None:
            result = self._results[criterion_id]
            if self._visible is None and _has_reasons(result):
                keys = visible_keys(self._standard, self._profile, self._answers)
                self._visible = frozenset(keys)
            found = explain(
                self._standard, result, self._profile, self._answers, self._visible or ()
            )
            self._found[criterion_id] = found
        return found


def _has_reasons(result: CriterionResult) -> bool:
    # A criterion waiting for the profile has no answer to blame: its own reason says to answer
    # the profile first.
    return result.status in _SHORT_OF_MET and not result.awaiting_profile


def _planned(standard: Standard, criterion_id: str) -> PlannedCriterion:
    for planned in plan_for(standard).criteria:
        if planned.criterion.id == criterion_id:
            return planned
    raise KeyError(criterion_id)


def _question_reason(pq: PlannedQuestion, question: Question, raw: object) -> AnswerReason | None:
    value = None if raw is None else pq.normalise(raw)
    if pq.score is None:
        # An unscored question matters only as a required gate: while it is blank the scored
        # questions behind it stay hidden and the criterion stays unanswered.
        if value is None and pq.required and pq.gate:
            return AnswerReason(pq.key, ReasonKind.UNANSWERED)
        return None
    if value is None:
        return AnswerReason(pq.key, ReasonKind.UNANSWERED)
    if pq.score(value) >= 1.0 - TOLERANCE:
        return None
    if question.type is QuestionType.MULTIPLE_CHOICE:
        assert isinstance(value, frozenset)
        return AnswerReason(
            pq.key,
            ReasonKind.SHORT,
            _selected(len(value)),
            _multiple_needs(question, value),
            AnswerShape.SELECTION,
        )
    if question.type is QuestionType.NUMBER:
        assert isinstance(question.scoring, NumberScoring)
        needs = _number_needs(question.scoring)
        return AnswerReason(pq.key, ReasonKind.SHORT, _number(value), needs, AnswerShape.NUMBER)
    assert isinstance(value, str)
    option = question.option(value)
    label = option.label if option is not None else value
    return AnswerReason(pq.key, ReasonKind.SHORT, label, _either(_passing(question.options)))


def _passing(options: tuple[Option, ...]) -> list[Option]:
    """Options that score in full (the best ones, should a file give none full marks)."""
    full = [o for o in options if (o.score or 0.0) >= 1.0 - TOLERANCE]
    if full:
        return full
    best = max((o.score or 0.0 for o in options), default=0.0)
    return [o for o in options if (o.score or 0.0) == best]


def _multiple_needs(question: Question, selected: frozenset[str]) -> str:
    scoring = question.scoring
    if isinstance(scoring, ChoiceScoring) and scoring.method == "count":
        counted = [o for o in question.options if o.score != 0]
        return f"at least {scoring.met_at_least or 1} of {_listed(question, counted)}"
    return _sum_needs(question, selected)


def _sum_needs(question: Question, selected: frozenset[str]) -> str:
    """Enough more options for the selected scores to add up to 1: the ones to add when every
    remaining option is needed, else how many more (all remaining options score the same) or
    one way to get there."""
    total = sum(o.score or 0.0 for o in question.options if o.value in selected)
    remaining = [o for o in question.options if o.value not in selected and (o.score or 0.0) > 0]
    ordered = sorted(remaining, key=lambda o: -(o.score or 0.0))  # stable: file order on ties
    picks: list[Option] = []
    for option in ordered:
        if total >= 1.0 - TOLERANCE:
            break
        picks.append(option)
        total += option.score or 0.0
    if not picks or total < 1.0 - TOLERANCE:
        return "more of the listed options"
    names = _all_of([o.label for o in picks])
    if len(picks) == len(remaining):
        return f"{names} as well"
    if len({o.score for o in remaining}) == 1:
        return f"{len(picks)} more of {_quoted_list([o.label for o in remaining], 'and')}"
    return f"more of the listed options, for example {names}"


def _listed(question: Question, counted: list[Option]) -> str:
    others = [o.label for o in question.options if o not in counted]
    if not others:
        return "the listed options"
    return f"the listed options other than {_quoted_list(others, 'and')}"


def _number_needs(scoring: NumberScoring) -> str:
    if scoring.met_at_least is not None:
        return f"at least {_number(scoring.met_at_least)}"
    return f"at most {_number(scoring.met_at_most)}"


def _number(value: object) -> str:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _selected(count: int) -> str:
    return "none selected" if count == 0 else f"{count} selected"


def _either(options: list[Option]) -> str:
    return _quoted_list([o.label for o in options], "or")


def _all_of(labels: list[str]) -> str:
    return _quoted_list(labels, "and")


def _quoted_list(labels: list[str], last: str) -> str:
    quoted = [f'"{label}"' for label in labels]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {last} {quoted[-1]}"
