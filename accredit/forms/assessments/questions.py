"""Question forms built from the standard's data: one WTForms form per criterion page.

Each question type maps to one field (rendered by templates/components/questions.html with the
matching NHS.UK component). The messages come from `accredit.domain.scoring.answers.check_answer`,
so the standard's `validation` block is the only source of rules. Plain `wtforms.Form` (CSRF is
checked for every POST by Flask-WTF's CSRFProtect), so the builder is testable without Flask.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wtforms import (
    Form,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import Field

from accredit.domain.numbers import is_whole
from accredit.domain.scoring.answers import check_answer
from accredit.domain.scoring.conditions import AllOf, AnswerCondition, AnyOf, Condition, Not
from accredit.domain.scoring.runner import Action, Page, Posted, on_page_gates, page_for
from accredit.domain.scoring.standard import Criterion, Question, QuestionType

#: Texts up to this length get a one-line input; longer ones a textarea.
SHORT_TEXT = 200
EVIDENCE_FIELD = "evidence"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True, slots=True)
class PageQuestion:
    question: Question
    name: str  # form field name
    #: Shown now; a question that is not shown but can be revealed on this page is rendered
    #: hidden, for our script to reveal (and revealed by the server after a save without it).
    shown: bool
    component: str  # radios, checkboxes, input, number, textarea, url, date, evidence
    #: The show_if condition as JSON over this page's field names, for our script to reveal the
    #: question as answers change ("" when the server alone decides).
    reveal: str = ""


class QuestionPageForm(Form):
    """What every question page posts besides its answers: the answers' base (see
    `accredit.domain.scoring.merge`), the button pressed, and "yes" when our script ran."""

    base = HiddenField()
    action = HiddenField()
    scripted = HiddenField()

    def asks_only_for(self, formdata: Mapping[str, object]) -> bool:
        """Whether every name posted is one of this page's fields (or the CSRF token): any
        other is a forged form, or one drawn for answers that have since changed."""
        return all(name == "csrf_token" or name in self._fields for name in formdata)


@dataclass(frozen=True, slots=True)
class CriterionPage:
    #: What the page holds, as the runner sees it.
    layout: Page
    questions: tuple[PageQuestion, ...]
    form_class: type[QuestionPageForm]

    @property
    def criterion(self) -> Criterion:
        return self.layout.criterion

    @property
    def evidence_key(self) -> str | None:
        """Answer key of the criterion-level evidence picker, when the criterion has no
        evidence question of its own."""
        return self.layout.evidence_key

    def answer_keys(self) -> list[str]:
        return self.layout.answer_keys()


def _component(question: Question) -> str:
    kind = question.type
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return "radios"
    if kind is QuestionType.MULTIPLE_CHOICE:
        return "checkboxes"
    if kind is QuestionType.TEXT:
        limit = question.validation.max_length
        return "input" if limit is not None and limit <= SHORT_TEXT else "textarea"
    return kind.value  # number, date, url, evidence


def _field(question: Question, component: str, evidence: Sequence[tuple[str, str]]) -> Field:
    label = question.text
    choices = [SelectChoice(o.value, o.label) for o in question.options]
    if component == "radios":
        return RadioField(label, choices=choices, validate_choice=False)
    if component == "checkboxes":
        return SelectMultipleField(label, choices=choices, validate_choice=False)
    if component == "evidence":
        return SelectMultipleField(label, choices=_choices(evidence), validate_choice=False)
    if component == "textarea":
        return TextAreaField(label)
    return StringField(label)


def build_page(
    criterion: Criterion,
    shown_keys: set[str] | frozenset[str],
    evidence_choices: Sequence[tuple[str, str]] = (),
) -> CriterionPage:
    """The page for `criterion`, given which of its questions are visible now (see `_build`).

    Pages are immutable and the same few recur (a criterion, which of its questions show, the
    library's items), so they are kept: building the form class is most of the cost."""
    prefix = criterion.id + "/"
    shown = frozenset(k for k in shown_keys if k.startswith(prefix))
    # Keyed by identity, not by value: hashing a criterion's whole tree on every request costs
    # more than building the page. Standards are parsed once per content hash, so a
    # criterion's identity is stable for as long as it is in use.
    key = (id(criterion), shown, tuple(evidence_choices))
    page = _PAGES.get(key)
    if page is None or page.criterion is not criterion:
        page = _build(criterion, shown, key[2])
        if len(_PAGES) >= _PAGES_LIMIT:
            _PAGES.clear()
        _PAGES[key] = page
    return page


_PAGES: dict[tuple[int, frozenset[str], tuple[tuple[str, str], ...]], CriterionPage] = {}
_PAGES_LIMIT = 4096


def _build(
    criterion: Criterion, shown_keys: frozenset[str], evidence_choices: tuple[tuple[str, str], ...]
) -> CriterionPage:
    """The page for `criterion`, given which of its questions are visible now (the runner's
    `page_for` says which questions are on it). Field names follow the questions' places in
    the criterion, so a page keeps its names whichever questions show."""
    layout = page_for(criterion, shown_keys)
    on_page = {q.key for q in layout.questions}
    fields: dict[str, Any] = {}
    questions: list[PageQuestion] = []
    for index, question in enumerate(criterion.questions, start=1):
        if question.key not in on_page:
            continue
        shown = question.key in layout.drawn
        component = _component(question)
        name = f"q{index}"
        if component == "date":
            for part in ("day", "month", "year"):
                fields[f"{name}-{part}"] = StringField(part.capitalize())
        else:
            fields[name] = _field(question, component, evidence_choices)
        questions.append(PageQuestion(question, name, shown, component))
    names = {pq.question.key: pq.name for pq in questions}
    questions = [
        PageQuestion(
            pq.question, pq.name, pq.shown, pq.component, _reveal(pq.question, criterion, names)
        )
        for pq in questions
    ]
    if layout.evidence_key:
        fields[EVIDENCE_FIELD] = SelectMultipleField(
            "Evidence for this criterion",
            choices=_choices(evidence_choices),
            validate_choice=False,
        )
    name = f"Criterion{criterion.id.replace('.', '_')}Form"
    return CriterionPage(layout, tuple(questions), type(name, (QuestionPageForm,), fields))


def fill(page: CriterionPage, answers: Mapping[str, object]) -> dict[str, Any]:
    """Form data (field name -> value) showing stored answers."""
    data: dict[str, Any] = {}
    for pq in page.questions:
        value = answers.get(pq.question.key)
        if pq.component == "date":
            day = month = year = ""
            if isinstance(value, str):
                try:
                    parsed = dt.date.fromisoformat(value)
                    day, month, year = str(parsed.day), str(parsed.month), str(parsed.year)
                except ValueError:
                    pass
            data.update({f"{pq.name}-day": day, f"{pq.name}-month": month, f"{pq.name}-year": year})
        elif pq.component in ("checkboxes", "evidence"):
            data[pq.name] = list(value) if isinstance(value, list | tuple) else []
        elif value is None:
            data[pq.name] = ""
        else:
            data[pq.name] = _number_text(value) if isinstance(value, int | float) else str(value)
    if page.evidence_key:
        value = answers.get(page.evidence_key)
        data[EVIDENCE_FIELD] = list(value) if isinstance(value, list) else []
    return data


def _number_text(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def read(page: CriterionPage, form: QuestionPageForm) -> Posted:
    """Turn posted fields into answer values for the runner. Blank is None; a value that is not
    valid for its question is a problem (and is not saved). Whether blanks are allowed is
    decided by the runner, once visibility is known."""
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    for pq in page.questions:
        question = pq.question
        raw = _raw(pq, form)
        if raw is None:
            values[question.key] = None
            continue
        problem = check_answer(question, raw)
        if problem:
            problems[question.key] = problem
        else:
            values[question.key] = raw
    if page.evidence_key:
        picked = [str(v) for v in (form[EVIDENCE_FIELD].data or [])]
        values[page.evidence_key] = picked or None
    action = Action.named(form.action.data)
    return Posted(values, problems, action, scripted=form.scripted.data == "yes")


def _raw(pq: PageQuestion, form: Form) -> object:
    kind = pq.question.type
    if pq.component == "date":
        parts = [(form[f"{pq.name}-{p}"].data or "").strip() for p in ("day", "month", "year")]
        if not any(parts):
            return None
        day, month, year = parts
        if not (is_whole(day, 2) and is_whole(month, 2) and is_whole(year, 4) and len(year) == 4):
            return "not-a-date"  # check_answer: "Enter a real date"
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            return "not-a-date"
    data = form[pq.name].data
    if kind is QuestionType.MULTIPLE_CHOICE or kind is QuestionType.EVIDENCE:
        picked = [str(v) for v in (data or [])]
        return picked or None
    text = (data or "").strip() if isinstance(data, str) else data
    if text in (None, ""):
        return None
    if kind is QuestionType.NUMBER:
        cleaned = str(text).replace(",", "")
        if not _NUMBER.match(cleaned):
            return str(text)  # check_answer: "Enter a number"
        return int(cleaned) if re.fullmatch(r"[+-]?\d+", cleaned) else float(cleaned)
    return text


def _reveal(question: Question, criterion: Criterion, names: Mapping[str, str]) -> str:
    if question.show_if is None or not on_page_gates(criterion, question):
        return ""
    as_json = _condition(question.show_if, names)
    return json.dumps(as_json, separators=(",", ":")) if as_json is not None else ""


def _condition(condition: Condition, names: Mapping[str, str]) -> object:
    """Answer conditions over field names; None when one names a question not on the page."""
    if isinstance(condition, AnswerCondition):
        name = names.get(condition.key)
        if name is None:
            return None
        value = condition.value
        if isinstance(value, tuple | frozenset | set):
            value = sorted(value) if isinstance(value, frozenset | set) else list(value)
        return {"field": name, "op": condition.op, "value": value}
    if isinstance(condition, AllOf | AnyOf):
        parts = [_condition(c, names) for c in condition.conditions]
        if any(p is None for p in parts):
            return None
        return {"all" if isinstance(condition, AllOf) else "any": parts}
    if isinstance(condition, Not):
        inner = _condition(condition.condition, names)
        return None if inner is None else {"not": inner}
    return None  # profile conditions are decided by the server


def _choices(pairs: Sequence[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
