"""Answer values: what counts as a valid answer of each question type, in one canonical (normalised)
form.
Scoring never trusts stored answers: anything that is not a valid value for its question counts as
missing, so a stale or hand-edited answer can lower completeness but can never crash scoring or
inflate a score. `check_answer` gives the app a user-facing message for the same rules, plus
`validation` bounds.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection

from accredit.domain.scoring.standard import Question, QuestionType

#: Turns a raw stored answer into its normalised value, or None when it is missing or invalid.
Normaliser = Callable[[object], object]

_COLLECTIONS = (list, tuple, set, frozenset)


def _choice(values: frozenset[str]) -> Normaliser:
    def normalise(raw: object) -> object:
        return raw if isinstance(raw, str) and raw in values else None

    return normalise


def _multiple(values: frozenset[str]) -> Normaliser:
    # A selection is valid only when every value is one of the options: a selection holding an
    # unknown option (a stale or hand-edited answer) counts as missing as a whole, as
    # `check_answer` rejects it, rather than being silently trimmed to the known options.
    def normalise(raw: object) -> object:
        if not isinstance(raw, _COLLECTIONS) or not all(isinstance(v, str) for v in raw):
            return None
        selected = frozenset(raw)
        return selected if selected <= values else None

    return normalise


def _number(raw: object) -> object:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    return raw


def _date(raw: object) -> object:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
    return None


def _text(raw: object) -> object:
    return raw if isinstance(raw, str) and raw.strip() else None


def _url(raw: object) -> object:
    if isinstance(raw, str):
        stripped = raw.strip()
        if stripped.startswith(("http://", "https://")) and len(stripped) > 8:
            return stripped
    return None


def evidence_count(raw: object) -> int:
    """Evidence attached: a count, or a list of references (distinct non-empty strings)."""
    if isinstance(raw, list) and len(raw) == 1:  # the common case, without building a set
        ref = raw[0]
        return 1 if isinstance(ref, str) and ref and not ref.isspace() else 0
    if isinstance(raw, bool):
        return 0
    if isinstance(raw, int):
        return max(raw, 0)
    if isinstance(raw, _COLLECTIONS):
        return len({r for r in raw if isinstance(r, str) and r and not r.isspace()})
    return 0


def _evidence(raw: object) -> object:
    count = evidence_count(raw)
    return count if count > 0 else None


def normaliser(question: Question) -> Normaliser:
    """The normalising function for a question (built once per question by the scorer)."""
    values = frozenset(o.value for o in question.options)
    kind = question.type
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return _choice(values)
    if kind is QuestionType.MULTIPLE_CHOICE:
        return _multiple(values)
    return {
        QuestionType.NUMBER: _number,
        QuestionType.DATE: _date,
        QuestionType.TEXT: _text,
        QuestionType.URL: _url,
        QuestionType.EVIDENCE: _evidence,
    }[kind]


def normalise(question: Question, raw: object) -> object:
    """The canonical value of `raw` for this question, or None when missing or invalid."""
    return normaliser(question)(raw)


def check_answer(question: Question, raw: object) -> str | None:
    """A user-facing problem with `raw` as an answer to `question`, or None when it is acceptable.

    A missing answer is a problem only when the question is required.
    """
    if raw is None or raw == "" or (isinstance(raw, _COLLECTIONS) and not raw):
        return "Answer this question" if question.validation.required else None
    value = normalise(question, raw)
    kind, rules = question.type, question.validation
    if value is None:
        if kind is QuestionType.MULTIPLE_CHOICE and isinstance(raw, _COLLECTIONS):
            return "Select only the options listed"
        return _INVALID.get(kind, "Enter a valid answer")
    if kind is QuestionType.MULTIPLE_CHOICE:
        assert isinstance(value, Collection)
        count = len(value)
        if rules.min is not None and count < rules.min:
            return f"Select at least {_n(rules.min)}"
        if rules.max is not None and count > rules.max:
            return f"Select at most {_n(rules.max)}"
    if kind is QuestionType.NUMBER:
        if rules.min is not None and value < rules.min:  # type: ignore[operator]
            return f"Enter a number of at least {_n(rules.min)}"
        if rules.max is not None and value > rules.max:  # type: ignore[operator]
            return f"Enter a number of at most {_n(rules.max)}"
    text_like = kind in (QuestionType.TEXT, QuestionType.URL)
    if text_like and rules.max_length is not None and len(str(value)) > rules.max_length:
        return f"Enter at most {rules.max_length} characters"
    return None


_INVALID = {
    QuestionType.YES_NO: "Select yes or no",
    QuestionType.YES_PARTLY_NO: "Select yes, partly or no",
    QuestionType.SINGLE_CHOICE: "Select one of the options",
    QuestionType.MULTIPLE_CHOICE: "Select from the options listed",
    QuestionType.NUMBER: "Enter a number",
    QuestionType.DATE: "Enter a real date",
    QuestionType.TEXT: "Enter some text",
    QuestionType.URL: "Enter a web address starting with http:// or https://",
    QuestionType.EVIDENCE: "Attach at least one piece of evidence",
}


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
