"""Properties of scoring (on the mini fixture) and loading that must hold for any input
(Hypothesis). Properties checked on the shipped WEQS are in test_scoring_weqs_properties.py."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accredit.domain.scoring.scoring import Result, Status, score
from accredit.standards import StandardFileError, load_standard, parse_standard
from tests.unit.scoring_strategies import (
    answer_sets,
    assert_no_score_falls,
    improvements,
    junk,
    profiles_for,
    shuffled,
    values_for,
)

MINI_PATH = Path(__file__).parent / "fixtures" / "mini.yaml"
MINI = load_standard(MINI_PATH, check_location=False)
MINI_TEXT = MINI_PATH.read_text(encoding="utf-8")
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

profiles = profiles_for(MINI)


def numbers(result: Result) -> list[float]:
    values = [result.percent]
    values += [lv.percent for lv in result.levels]
    values += [s.percent for s in result.sections if s.percent is not None]
    values += [c.credit for c in result.criteria]
    return values


@FAST
@given(improvements(MINI))
def test_improving_an_answer_never_lowers_any_score_or_level(case):
    assert_no_score_falls(MINI, case)


@FAST
@given(profiles, answer_sets(MINI), st.data())
def test_criteria_that_do_not_apply_change_nothing(profile, answers, data):
    result = score(MINI, profile, answers)
    inapplicable = [
        c
        for c, r in zip(MINI.criteria, result.criteria, strict=True)
        if r.status is Status.NOT_APPLICABLE and c.applies_if is not None
    ]
    changed = dict(answers)
    for criterion in inapplicable:
        for question in criterion.questions:
            changed[question.key] = data.draw(st.one_of(values_for(question), junk))
        changed[criterion.evidence_key] = data.draw(st.integers(0, 5))
    assert score(MINI, profile, changed).to_dict() == result.to_dict()


@FAST
@given(profiles, answer_sets(MINI))
def test_scores_stay_within_bounds(profile, answers):
    result = score(MINI, profile, answers)
    for value in numbers(result):
        assert 0.0 <= value <= 100.0
    for criterion in result.criteria:
        assert 0.0 <= criterion.credit <= 1.0
        assert 0.0 <= criterion.score <= 1.0
    for level in result.levels:
        assert level.achieved <= level.ready
        assert level.ready == (not level.blockers)
        assert level.achieved == (level.ready and level.held_back_by is None)


@FAST
@given(profiles, answer_sets(MINI), st.randoms(use_true_random=True))
def test_answer_order_does_not_matter(profile, answers, rnd):
    reordered = shuffled(answers, rnd)
    assert score(MINI, profile, reordered).to_dict() == score(MINI, profile, answers).to_dict()


@FAST
@given(profiles, answer_sets(MINI))
def test_scoring_is_deterministic_and_records_the_standard(profile, answers):
    first, second = score(MINI, profile, answers), score(MINI, profile, dict(answers))
    assert first.to_dict() == second.to_dict()
    assert (first.standard_id, first.standard_version, first.content_hash) == (
        MINI.id,
        MINI.version,
        MINI.content_hash,
    )


# --- the loader never crashes -----------------------------------------------------------------


def assert_loads_or_lists_problems(text: str | bytes) -> None:
    try:
        parse_standard(text, "fuzz.yaml")
    except StandardFileError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.source == "fuzz.yaml", problem
            assert problem.line is None or (type(problem.line) is int and problem.line >= 1)
            assert isinstance(problem.message, str) and problem.message.strip(), problem
            assert str(problem).startswith("fuzz.yaml"), problem


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_random_text_never_crashes_the_loader(text):
    assert_loads_or_lists_problems(text)


yaml_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=8),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "type",
                    "level",
                    "questions",
                    "criteria",
                    "sections",
                    "levels",
                    "options",
                    "show_if",
                    "applies_if",
                    "answer",
                    "profile",
                    "equals",
                    "in",
                    "all",
                    "not",
                    "weight",
                    "threshold",
                    "value",
                    "score",
                    "scoring",
                    "validation",
                ]
            )
            | st.text(max_size=4),
            children,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(yaml_values)
def test_random_yaml_structures_never_crash_the_loader(value):
    assert_loads_or_lists_problems(yaml.safe_dump(value))


MINI_LINES = MINI_TEXT.splitlines(keepends=True)


@st.composite
def mutated_mini(draw: st.DrawFn) -> str:
    """The mini fixture with a few lines deleted, duplicated, swapped or with a token replaced."""
    lines = list(MINI_LINES)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "truncate"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "replace":
            token = draw(
                st.sampled_from(
                    [
                        "yes",
                        "no",
                        "-1",
                        "1e999",
                        "~",
                        "[]",
                        "{}",
                        '"x"',
                        "true",
                        "3.4/1",
                        "&a",
                        "*a",
                        "bronze",
                        "platinum",
                        "1" * 5000,
                        "\t",
                        ":",
                        "- ",
                        "#",
                    ]
                )
            )
            line = lines[i]
            cut = draw(st.integers(0, max(len(line) - 1, 0)))
            lines[i] = line[:cut] + token + line[cut:]
        else:
            lines = lines[:i]
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=200, deadline=None)
@given(mutated_mini())
def test_mutated_standard_files_never_crash_the_loader(text):
    assert_loads_or_lists_problems(text)
