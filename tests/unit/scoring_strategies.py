"""Hypothesis strategies and an independent oracle for the scoring property tests."""

from __future__ import annotations

import datetime as dt
import math
import random

from hypothesis import strategies as st

from accredit.domain.scoring.answers import normalise
from accredit.domain.scoring.scoring import Result, score, visible_keys
from accredit.domain.scoring.standard import (
    ChoiceScoring,
    NumberScoring,
    ProfileFieldType,
    Question,
    QuestionType,
    Standard,
)

#: Values stored answers sometimes hold that are valid for no question type (or the wrong one).
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**400),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)


def profiles_for(standard: Standard) -> st.SearchStrategy[dict[str, object]]:
    """Organisation profiles with a value for every profile field the standard declares."""
    fields: dict[str, st.SearchStrategy[object]] = {}
    for field in standard.profile_fields:
        if field.type is ProfileFieldType.BOOLEAN:
            fields[field.id] = st.booleans()
        elif field.type is ProfileFieldType.CHOICE:
            fields[field.id] = st.sampled_from([o.value for o in field.options])
        else:
            fields[field.id] = st.integers(0, 5000)
    return st.fixed_dictionaries(fields)


def values_for(question: Question) -> st.SearchStrategy[object]:
    """Valid answers for a question."""
    kind, options = question.type, [o.value for o in question.options]
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return st.sampled_from(options)
    if kind is QuestionType.MULTIPLE_CHOICE:
        return st.lists(st.sampled_from(options), unique=True)
    if kind is QuestionType.NUMBER:
        return st.integers(min_value=0, max_value=400)
    if kind is QuestionType.DATE:
        return st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1))
    if kind is QuestionType.URL:
        return st.just("https://example.org/page")
    if kind is QuestionType.EVIDENCE:
        return st.lists(st.sampled_from(["e1", "e2", "e3"]), min_size=1, unique=True)
    return st.text(min_size=1, max_size=5).filter(str.strip)


@st.composite
def answer_sets(draw: st.DrawFn, standard: Standard, complete: bool = False) -> dict:
    """Answers to some (or, when `complete`, all) questions, some junk, some evidence."""
    answers: dict[str, object] = {}
    for question in standard.questions:
        if complete or draw(st.booleans()):
            answers[question.key] = draw(values_for(question))
        elif draw(st.integers(0, 9)) == 0:
            answers[question.key] = draw(junk)
    for criterion in standard.criteria:
        if draw(st.booleans()):
            answers[criterion.evidence_key] = draw(
                st.one_of(st.integers(0, 3), st.lists(st.sampled_from(["a", "b", "c"]), max_size=3))
            )
    return answers


def question_score(question: Question, value: object) -> float | None:
    """Score (0..1) of an answer, worked out from the standard without the scorer's plan; None
    when the answer is missing or invalid."""
    normal = normalise(question, value)
    if normal is None:
        return None
    scoring = question.scoring
    if question.type is QuestionType.NUMBER:
        assert isinstance(scoring, NumberScoring) and isinstance(normal, int | float)
        if scoring.met_at_least is not None:
            partly = scoring.partly_at_least
            met = normal >= scoring.met_at_least
            return 1.0 if met else 0.5 if partly is not None and normal >= partly else 0.0
        assert scoring.met_at_most is not None
        partly = scoring.partly_at_most
        met = normal <= scoring.met_at_most
        return 1.0 if met else 0.5 if partly is not None and normal <= partly else 0.0
    option_score = {o.value: o.score for o in question.options}
    if question.type is QuestionType.MULTIPLE_CHOICE:
        assert isinstance(normal, frozenset)
        if isinstance(scoring, ChoiceScoring) and scoring.method == "count":
            count = sum(1 for v in normal if option_score[v] != 0)
            if count >= (scoring.met_at_least or 1):
                return 1.0
            partly_at_least = scoring.partly_at_least
            return 0.5 if partly_at_least is not None and count >= partly_at_least else 0.0
        total = math.fsum(option_score[v] or 0.0 for v in normal)
        return 1.0 if total >= 1 - 1e-6 else total
    return option_score[normal] or 0.0  # type: ignore[index]


@st.composite
def better_value(draw: st.DrawFn, question: Question, before: object) -> object:
    """A valid answer to a scored question that scores strictly more than `before` (which must
    score less than 1; every scored question can score 1)."""
    old = question_score(question, before)
    assert old is not None and old < 1.0
    kind = question.type
    if kind is QuestionType.MULTIPLE_CHOICE:
        chosen = set(before)  # type: ignore[call-overload]
        chosen |= set(draw(st.lists(st.sampled_from([o.value for o in question.options]))))
        if (question_score(question, sorted(chosen)) or 0.0) <= old:
            chosen = {o.value for o in question.options if o.score != 0}  # the best selection
        better: object = draw(st.permutations(sorted(chosen)))
    elif kind is QuestionType.NUMBER:
        scoring = question.scoring
        assert isinstance(scoring, NumberScoring)
        at_least = scoring.met_at_least is not None
        bounds = (
            [scoring.met_at_least, scoring.partly_at_least]
            if at_least
            else [scoring.met_at_most, scoring.partly_at_most]
        )
        good = [b for b in bounds if b is not None and (question_score(question, b) or 0.0) > old]
        bound = draw(st.sampled_from(good))
        step = draw(st.integers(0, 5))  # anywhere beyond the bound scores at least as much
        better = math.ceil(bound) + step if at_least else math.floor(bound) - step
    else:
        better = draw(
            st.sampled_from([o.value for o in question.options if (o.score or 0.0) > old])
        )
    assert (question_score(question, better) or 0.0) > old, (question.key, before, better)
    return better


def shuffled(answers: dict[str, object], rnd: random.Random) -> dict[str, object]:
    """The same answers in another order: keys re-inserted in a random order, and the items of
    every list (multiple-choice selections, evidence references) shuffled, sometimes as a tuple."""
    keys = list(answers)
    rnd.shuffle(keys)
    result: dict[str, object] = {}
    for key in keys:
        value = answers[key]
        if isinstance(value, list):
            items = list(value)
            rnd.shuffle(items)
            value = tuple(items) if rnd.random() < 0.3 else items
        result[key] = value
    return result


JUNK_VALUES: tuple[object, ...] = (
    None,
    True,
    7,
    10**400,
    float("nan"),
    "",
    "maybe",
    ["x"],
    [1],
    {},
)


def random_value(question: Question, rnd: random.Random) -> object:
    """A valid answer for a question, from a seeded random generator."""
    kind, options = question.type, [o.value for o in question.options]
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return rnd.choice(options)
    if kind is QuestionType.MULTIPLE_CHOICE:
        return rnd.sample(options, rnd.randint(0, len(options)))
    if kind is QuestionType.NUMBER:
        return rnd.choice([rnd.randint(0, 10), rnd.randint(0, 400), round(rnd.uniform(0, 100), 1)])
    if kind is QuestionType.DATE:
        return dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randint(0, 3000))
    if kind is QuestionType.URL:
        return f"https://example.org/{rnd.randint(1, 9)}"
    if kind is QuestionType.EVIDENCE:
        return rnd.sample(["e1", "e2", "e3"], rnd.randint(1, 3))
    return rnd.choice(["Lead", "Head of education", " x "])


def random_answer_sets(standard: Standard, complete: bool = False) -> st.SearchStrategy[dict]:
    """Like `answer_sets`, but built from one seeded generator per example: much cheaper to draw
    for a standard with a hundred questions. (`use_true_random`: a real `random.Random` seeded by
    Hypothesis, rather than one that makes every call a Hypothesis draw.)"""

    def build(rnd: random.Random) -> dict[str, object]:
        answers: dict[str, object] = {}
        answered = rnd.random()  # how complete this organisation's answers are
        for question in standard.questions:
            roll = rnd.random()
            if complete or roll < answered:
                answers[question.key] = random_value(question, rnd)
            elif roll > 0.95:
                answers[question.key] = rnd.choice(JUNK_VALUES)
        for criterion in standard.criteria:
            if rnd.random() < 0.5:
                refs = rnd.sample(["a", "b", "c", "c"], rnd.randint(0, 3))
                answers[criterion.evidence_key] = rnd.choice([refs, rnd.randint(0, 3)])
        return answers

    return st.randoms(use_true_random=True).map(build)


# --- improvements: a complete answer set and a strictly better one ---------------------------


def level_rank(result: Result) -> int:
    return (
        [lv.id for lv in result.levels].index(result.highest_level) + 1
        if result.highest_level
        else 0
    )


@st.composite
def improvements(
    draw: st.DrawFn, standard: Standard, complete: st.SearchStrategy[dict] | None = None
) -> tuple[dict, dict, dict, str]:
    """A complete answer set and a copy where one scored answer is replaced by a strictly better
    one (when every scored answer is already the best, evidence is added instead)."""
    profile = draw(profiles_for(standard))
    answers = draw(answer_sets(standard, complete=True) if complete is None else complete)
    improvable = [
        q
        for q in standard.questions
        if q.scored and (question_score(q, answers[q.key]) or 0.0) < 1.0
    ]
    improved = dict(answers)
    changed = ""
    if improvable:
        question = draw(st.sampled_from(improvable))
        improved[question.key] = draw(better_value(question, answers[question.key]))
        changed = question.key
    if not improvable or draw(st.booleans()):  # adding evidence is an improvement too
        criterion = draw(st.sampled_from(standard.criteria))
        improved[criterion.evidence_key] = ["new-evidence"]
    return profile, answers, improved, changed


def assert_no_score_falls(standard: Standard, case: tuple[dict, dict, dict, str]) -> None:
    profile, answers, improved, changed = case
    before, after = score(standard, profile, answers), score(standard, profile, improved)
    shown = visible_keys(standard, profile, answers)
    # When the better answer is visible and shows or hides nothing, its criterion's mean must rise
    # (revealing more questions of the same criterion may lower the mean, never the credit).
    strictly = changed in shown and shown == visible_keys(standard, profile, improved)
    for old, new in zip(before.criteria, after.criteria, strict=True):
        assert new.credit >= old.credit, (changed, old, new)
        if strictly and changed.startswith(f"{old.id}/"):
            assert new.score > old.score, (changed, old, new)
    for old_s, new_s in zip(before.sections, after.sections, strict=True):
        assert (new_s.percent or 0) >= (old_s.percent or 0) - 1e-9
    for old_l, new_l in zip(before.levels, after.levels, strict=True):
        assert new_l.percent >= old_l.percent - 1e-9
        assert new_l.ready >= old_l.ready
    assert after.percent >= before.percent - 1e-9
    assert level_rank(after) >= level_rank(before)
