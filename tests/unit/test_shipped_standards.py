"""Every shipped standard under standards/ loads cleanly, and can be fully met and fully failed."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from accredit.domain.scoring.scoring import Status, score
from accredit.domain.scoring.standard import ProfileFieldType, Question, QuestionType, Standard
from accredit.standards import load_standard, version_files

ROOT = Path(__file__).parents[2] / "standards"
FILES = version_files(ROOT)


def ids(path: Path) -> str:
    return str(path.relative_to(ROOT))


def profiles(standard: Standard) -> list[dict[str, object]]:
    """Every organisation type, with every yes/no profile fact all on and all off."""
    choices: list[list[tuple[str, object]]] = []
    flags = [f.id for f in standard.profile_fields if f.type is ProfileFieldType.BOOLEAN]
    for field in standard.profile_fields:
        if field.type is ProfileFieldType.CHOICE:
            choices.append([(field.id, o.value) for o in field.options])
        elif field.type is ProfileFieldType.NUMBER:
            choices.append([(field.id, 0), (field.id, 10**6)])
    result = []
    for combo in itertools.product(*choices):
        for flag in (True, False):
            result.append(dict(combo) | {f: flag for f in flags})
    return result


def best(question: Question) -> object:
    kind = question.type
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return max(question.options, key=lambda o: o.score or 0.0).value
    if kind is QuestionType.MULTIPLE_CHOICE:
        return [o.value for o in question.options if o.score != 0]
    if kind is QuestionType.NUMBER:
        scoring = question.scoring
        if scoring is not None and getattr(scoring, "met_at_most", None) is not None:
            return scoring.met_at_most  # type: ignore[union-attr]
        if scoring is not None and getattr(scoring, "met_at_least", None) is not None:
            return scoring.met_at_least  # type: ignore[union-attr]
        return question.validation.min or 1
    return {
        QuestionType.DATE: "2026-01-01",
        QuestionType.TEXT: "Answered",
        QuestionType.URL: "https://example.org/evidence",
        QuestionType.EVIDENCE: ["evidence-1"],
    }[kind]


def worst(question: Question) -> object:
    kind = question.type
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return min(question.options, key=lambda o: o.score or 0.0).value
    if kind is QuestionType.MULTIPLE_CHOICE:
        return []
    if kind is QuestionType.NUMBER:
        scoring = question.scoring
        if scoring is not None and getattr(scoring, "met_at_most", None) is not None:
            return 10**9
        return 0
    return best(question)


@pytest.fixture(scope="module", params=FILES, ids=ids)
def standard(request) -> Standard:
    return load_standard(request.param)


def test_there_are_shipped_standards():
    assert FILES, "standards/<id>/<version>.yaml files are missing"


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_file_is_valid_and_where_it_belongs(path):
    standard = load_standard(path)  # raises StandardFileError listing every problem
    assert (path.parent.name, path.stem) == (standard.id, standard.version)
    assert standard.criteria


def test_best_answers_reach_the_top_level_for_every_profile(standard):
    answers: dict[str, object] = {q.key: best(q) for q in standard.questions}
    answers |= {c.evidence_key: ["evidence-1"] for c in standard.criteria}
    for profile in profiles(standard):
        result = score(standard, profile, answers)
        assert result.highest_level == standard.levels[-1].id, (profile, result.next_level)
        assert all(c.status in (Status.MET, Status.NOT_APPLICABLE) for c in result.criteria)


def test_no_answers_reach_no_level(standard):
    for profile in profiles(standard):
        result = score(standard, profile, {})
        assert result.highest_level is None
        assert {c.status for c in result.criteria} <= {Status.UNANSWERED, Status.NOT_APPLICABLE}
        assert result.level(standard.levels[0].id).blockers


def test_worst_answers_reach_no_level(standard):
    answers = {q.key: worst(q) for q in standard.questions}
    for profile in profiles(standard):
        assert score(standard, profile, answers).highest_level is None


def test_every_criterion_applies_to_some_profile(standard):
    answers = {q.key: best(q) for q in standard.questions}
    applicable: set[str] = set()
    for profile in profiles(standard):
        result = score(standard, profile, answers)
        applicable |= {c.id for c in result.criteria if c.applicable}
    assert applicable == {c.id for c in standard.criteria}
