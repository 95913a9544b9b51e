"""Properties of scoring and loading that must hold for any input (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accredit.domain.answers import normalise
from accredit.domain.scoring import Result, Status, score
from accredit.domain.standard import Question, QuestionType, Standard
from accredit.standards import StandardFileError, load_standard, parse_standard

MINI_PATH = Path(__file__).parent / "fixtures" / "mini.yaml"
MINI = load_standard(MINI_PATH, check_location=False)
MINI_TEXT = MINI_PATH.read_text(encoding="utf-8")
ORG_TYPES = [o.value for o in MINI.profile_field("org_type").options]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

profiles = st.fixed_dictionaries(
    {
        "org_type": st.sampled_from(ORG_TYPES),
        "offers_under_16": st.booleans(),
        "offers_clinical_placements": st.booleans(),
        "offers_t_level": st.booleans(),
    }
)


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


@st.composite
def answer_sets(draw: st.DrawFn, standard: Standard = MINI, complete: bool = False) -> dict:
    answers: dict[str, object] = {}
    for question in standard.questions:
        if complete or draw(st.booleans()):
            answers[question.key] = draw(values_for(question))
        elif draw(st.integers(0, 9)) == 0:
            answers[question.key] = draw(junk)
    for criterion in standard.criteria:
        if draw(st.booleans()):
            answers[criterion.evidence_key] = draw(
                st.one_of(st.integers(0, 3), st.lists(st.sampled_from(["a", "b"]), max_size=2))
            )
    return answers


def question_score(question: Question, value: object) -> float:
    """Score of one valid answer, computed independently of the scorer's plan."""
    normal = normalise(question, value)
    if normal is None:
        return -1.0
    if question.type is QuestionType.NUMBER:
        scoring = question.scoring
        assert scoring is not None and scoring.met_at_least is not None  # type: ignore[union-attr]
        if normal >= scoring.met_at_least:  # type: ignore[union-attr, operator]
            return 1.0
        partly = scoring.partly_at_least  # type: ignore[union-attr]
        return 0.5 if partly is not None and normal >= partly else 0.0  # type: ignore[operator]
    if question.type is QuestionType.MULTIPLE_CHOICE:
        # Fewer options only ever lower the score for both sum and count methods, so use inclusion.
        return float(len(normal))  # type: ignore[arg-type]
    option = question.option(str(normal))
    return option.score or 0.0 if option else -1.0


def numbers(result: Result) -> list[float]:
    values = [result.percent]
    values += [lv.percent for lv in result.levels]
    values += [s.percent for s in result.sections if s.percent is not None]
    values += [c.credit for c in result.criteria]
    return values


def level_rank(result: Result) -> int:
    return (
        [lv.id for lv in result.levels].index(result.highest_level) + 1
        if result.highest_level
        else 0
    )


SCORED = [q for q in MINI.questions if q.scored]


@st.composite
def improvements(draw: st.DrawFn) -> tuple[dict, dict, dict]:
    """A complete answer set and a copy where one scored answer is replaced by a better one."""
    profile = draw(profiles)
    answers = draw(answer_sets(complete=True))
    question = draw(st.sampled_from(SCORED))
    before = answers[question.key]
    if question.type is QuestionType.MULTIPLE_CHOICE:
        extra = draw(st.lists(st.sampled_from([o.value for o in question.options])))
        better: object = sorted(set(before) | set(extra))  # type: ignore[arg-type]
    else:
        better = draw(
            values_for(question).filter(
                lambda v: question_score(question, v) >= question_score(question, before)
            )
        )
    improved = {**answers, question.key: better}
    if draw(st.booleans()):  # adding evidence is an improvement too
        criterion = draw(st.sampled_from(MINI.criteria))
        improved[criterion.evidence_key] = ["new-evidence"]
    return profile, answers, improved


@FAST
@given(improvements())
def test_improving_an_answer_never_lowers_any_score_or_level(case):
    profile, answers, improved = case
    before, after = score(MINI, profile, answers), score(MINI, profile, improved)
    for old, new in zip(before.criteria, after.criteria, strict=True):
        assert new.credit >= old.credit, (old, new)
    for old_s, new_s in zip(before.sections, after.sections, strict=True):
        assert (new_s.percent or 0) >= (old_s.percent or 0) - 1e-9
    for old_l, new_l in zip(before.levels, after.levels, strict=True):
        assert new_l.percent >= old_l.percent - 1e-9
        assert new_l.ready >= old_l.ready
    assert after.percent >= before.percent - 1e-9
    assert level_rank(after) >= level_rank(before)


@FAST
@given(profiles, answer_sets(), st.data())
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
@given(profiles, answer_sets())
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


@FAST
@given(profiles, answer_sets(), st.randoms())
def test_answer_order_does_not_matter(profile, answers, rnd):
    keys = list(answers)
    rnd.shuffle(keys)
    shuffled = {key: answers[key] for key in keys}
    assert score(MINI, profile, shuffled).to_dict() == score(MINI, profile, answers).to_dict()


@FAST
@given(profiles, answer_sets())
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
        assert all(isinstance(str(p), str) for p in exc.problems)


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
