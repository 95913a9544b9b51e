"""The question-page runner: what one criterion's page holds, what a post to it changes, and
where the person goes next. Pure: no Flask, no database, no forms.

The view reads the request into a `Posted` (through the page's form), calls `post`, saves the
`Outcome`'s answers through the service and follows `next_page`. Every rule about a post lives
here, so it can be tested without a browser:

- a question hidden by the answers as they will stand is never saved, and an answer sent for one
  that was hidden when the page was drawn and that this post does not reveal was made up (its
  inputs were disabled), so nothing is saved;
- a question this post reveals was not seen by someone without our script: it is never an
  error, and "Save and continue" comes back to the same page to ask it;
- required questions are checked only on "Save and continue" ("later" and "evidence" keep what
  is there without asking for the rest).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from accredit.domain.scoring.answers import check_answer
from accredit.domain.scoring.conditions import answer_keys_used
from accredit.domain.scoring.questionnaire import asked_criteria
from accredit.domain.scoring.results import Result
from accredit.domain.scoring.scoring import visible_keys
from accredit.domain.scoring.standard import Criterion, Question, QuestionType, Standard


class Action(StrEnum):
    """The button pressed."""

    CONTINUE = "continue"
    LATER = "later"
    #: Save, then open the evidence library and come back to this page.
    EVIDENCE = "evidence"

    @classmethod
    def named(cls, text: str | None) -> Action:
        """The action a post names; anything unknown (or none: Enter in a text box) is the
        page's main button."""
        return cls(text) if text in (cls.LATER, cls.EVIDENCE) else cls.CONTINUE

    @property
    def finishing(self) -> bool:
        """Whether the page is being left as done, so every required answer is needed."""
        return self is Action.CONTINUE


def on_page_gates(criterion: Criterion, question: Question) -> bool:
    """Whether `question`'s show_if reads only answers on its own page, so the page itself can
    reveal it (and a value posted for it while hidden is a change of mind, not tampering)."""
    if question.show_if is None:
        return True
    prefix = criterion.id + "/"
    return all(key.startswith(prefix) for key in answer_keys_used(question.show_if))


@dataclass(frozen=True, slots=True)
class Page:
    """One criterion's question page as drawn."""

    criterion: Criterion
    #: The questions on the page, in file order.
    questions: tuple[Question, ...]
    #: Keys of those shown when the page was drawn; the others are on it hidden, for the page
    #: to reveal as answers change.
    drawn: frozenset[str]
    #: Answer key of the criterion-level evidence picker, when the criterion has no evidence
    #: question of its own.
    evidence_key: str | None

    def answer_keys(self) -> list[str]:
        keys = [q.key for q in self.questions]
        return keys + ([self.evidence_key] if self.evidence_key else [])


def page_for(criterion: Criterion, shown_keys: set[str] | frozenset[str]) -> Page:
    """The page for `criterion`, given which answer keys are visible now.

    Questions whose `show_if` reads only answers on this page are always on it (hidden until
    revealed); ones hidden by anything else (another criterion's answer) are left off, and so
    are questions the service answers itself (`answered_by`: shown read-only)."""
    questions = tuple(
        q
        for q in criterion.questions
        if q.answered_by is None and (q.key in shown_keys or on_page_gates(criterion, q))
    )
    drawn = frozenset(q.key for q in questions if q.key in shown_keys)
    has_evidence_question = any(q.type is QuestionType.EVIDENCE for q in criterion.questions)
    evidence_key = None if has_evidence_question else criterion.evidence_key
    return Page(criterion, questions, drawn, evidence_key)


@dataclass(frozen=True, slots=True)
class Posted:
    """A post to a page, as its form read it."""

    #: Answer key -> value (None: left blank), for every question on the page.
    values: Mapping[str, object]
    #: Answer key -> why the value sent is not a valid answer (never a blank).
    problems: Mapping[str, str]
    action: Action = Action.CONTINUE
    #: Whether our script ran on the page (it reveals questions as answers change).
    scripted: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    action: Action
    #: What to save: this page's answers that are still shown (None clears one).
    answers: dict[str, object]
    #: Every answer as it would stand after the post: the page is drawn again from these.
    merged: dict[str, object]
    #: Answer key -> message; nothing is saved while there are any.
    errors: dict[str, str]
    #: Questions this post reveals that were hidden and unseen when the page was drawn.
    revealed: frozenset[str]
    #: The text of a hidden question that was answered anyway: nothing is saved.
    refused: str | None = None

    @property
    def asks_again(self) -> bool:
        """Whether "Save and continue" comes back to this page for questions it revealed."""
        return self.action.finishing and any(self.answers.get(k) is None for k in self.revealed)


def post(
    standard: Standard,
    profile: Mapping[str, object],
    page: Page,
    posted: Posted,
    stored: Mapping[str, object],
) -> Outcome:
    """What a post to `page` does, given the answers `stored` now (see the module's rules)."""
    merged = dict(stored)
    for key, value in posted.values.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    shown = set(visible_keys(standard, profile, merged))
    hidden = [q for q in page.questions if q.key not in page.drawn]
    sneaked = [
        q.text
        for q in hidden
        if q.key not in shown and (posted.values.get(q.key) is not None or q.key in posted.problems)
    ]
    if sneaked:
        return Outcome(posted.action, {}, merged, {}, frozenset(), refused=sneaked[0])
    keep = {k for k in page.answer_keys() if k in shown or k == page.evidence_key}
    answers = {k: v for k, v in posted.values.items() if k in keep}
    errors = {k: m for k, m in posted.problems.items() if k in shown}
    revealed = (
        frozenset() if posted.scripted else frozenset(q.key for q in hidden if q.key in shown)
    )
    if posted.action.finishing:
        for key, message in required_problems(page, answers, shown - revealed).items():
            errors.setdefault(key, message)
    return Outcome(posted.action, answers, merged, errors, revealed)


def required_problems(
    page: Page, values: Mapping[str, object], shown: set[str] | frozenset[str]
) -> dict[str, str]:
    """Required questions left blank among those shown after the post."""
    return {
        q.key: required_message(q)
        for q in page.questions
        if q.key in shown and values.get(q.key) is None and check_answer(q, None)
    }


def required_message(question: Question) -> str:
    """What a required question left blank says, in the words of its NHS.UK component."""
    kind = question.type
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return "Select an answer"
    if kind is QuestionType.EVIDENCE:
        return "Select evidence from your library (add it to the library first if it is not listed)"
    if kind is QuestionType.MULTIPLE_CHOICE:
        return "Select at least one option"
    if kind is QuestionType.DATE:
        return "Enter a date"
    return "Answer this question"


class Step(StrEnum):
    """Where a saved page goes."""

    #: The same page again: the post revealed questions nobody has seen yet.
    ASK_AGAIN = "ask_again"
    #: The evidence library, coming back to the same page.
    EVIDENCE = "evidence"
    TASK_LIST = "task_list"
    #: The next asked criterion in the section.
    CRITERION = "criterion"
    #: The section's check-your-answers page, after its last asked criterion.
    CHECK_SECTION = "check_section"


@dataclass(frozen=True, slots=True)
class Next:
    step: Step
    #: The criterion the step opens (ASK_AGAIN, EVIDENCE, CRITERION), the section it checks
    #: (CHECK_SECTION), or "" (TASK_LIST).
    target: str


def next_page(standard: Standard, result: Result, criterion_id: str, outcome: Outcome) -> Next:
    """Where to go once `outcome` is saved; `result` scores the answers as saved, so a criterion
    this save makes apply (or stop applying) is followed (or skipped)."""
    if outcome.asks_again:
        return Next(Step.ASK_AGAIN, criterion_id)
    if outcome.action is Action.EVIDENCE:
        return Next(Step.EVIDENCE, criterion_id)
    if outcome.action is Action.LATER:
        return Next(Step.TASK_LIST, "")
    following = next_criterion(standard, result, criterion_id)
    if following is not None:
        return Next(Step.CRITERION, following.id)
    return Next(Step.CHECK_SECTION, standard.criterion(criterion_id).section_id)


def next_criterion(standard: Standard, result: Result, criterion_id: str) -> Criterion | None:
    """The next asked criterion in the same section, or None at the end of the section."""
    criterion = standard.criterion(criterion_id)
    asked = asked_criteria(standard, result, standard.section(criterion.section_id))
    ids = [c.id for c in asked]
    if criterion_id not in ids:
        return asked[0] if asked else None
    position = ids.index(criterion_id)
    return asked[position + 1] if position + 1 < len(asked) else None
