"""For any answers, a level is never reached while one of its mandatory criteria is unmet, or with
fewer of its own criteria met than `standards check`'s analysis says it needs (Hypothesis)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accredit.domain.scoring.scoring import Status, score
from accredit.domain.scoring.standard import QuestionType, Standard
from accredit.standards.level_analysis import analyse, needs_for_profile
from tests.unit.scoring_helpers import VARIANTS, variant
from tests.unit.scoring_strategies import random_value
from tests.unit.standard_yaml import criteria, parse_standard
from tests.unit.test_level_analysis import GATED, HEAVY_LOWER, PARTLY, PROFILED
from tests.unit.test_scoring_properties import MINI, MINI_TEXT

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def _mini(*replacements: tuple[str, str]) -> Standard:
    text = MINI_TEXT
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return parse_standard(text, "mini-variant.yaml")


ALL = ("bronze", "silver", "gold")
STANDARDS = {
    "mini (own)": MINI,
    "mini cumulative": _mini(
        ("  partly_credit: 0.5", "  partly_credit: 0.5\n  level_rule: cumulative")
    ),
    "mini min_met": _mini(
        ("threshold: 80}\n  - {id: silver", "threshold: 80}\n  - {id: silver"),
        ('"#FFB81C", threshold: 80}', '"#FFB81C", threshold: 60, min_met: 2}'),
    ),
    "mini partly counts": _mini(
        ("  partly_credit: 0.5", "  partly_credit: 1\n  partly_meets_mandatory: true"),
    ),
    "weqs 2026.1 (cumulative)": VARIANTS["shipped"],
    "weqs own": variant(("  cumulative: true", "  level_rule: own")),
    "weqs partly meets mandatory": VARIANTS["partly meets mandatory"],
    "heavy lower cumulative": criteria(HEAVY_LOWER, levels=ALL, readiness="level_rule: cumulative"),
    "partly": criteria(PARTLY, thresholds={"bronze": 60}),
    "profiled": criteria(PROFILED, levels=("bronze", "silver")),
    "gated": criteria(GATED, levels=("bronze", "silver")),
}
WORST = {name: analyse(standard) for name, standard in STANDARDS.items()}


def _best(question, rnd: random.Random) -> object:
    """An answer that scores 1 (or any valid one for unscored questions)."""
    if question.type is QuestionType.MULTIPLE_CHOICE:
        return [o.value for o in question.options if o.score != 0]
    if question.type is QuestionType.NUMBER and question.scoring is not None:
        bound = getattr(question.scoring, "met_at_least", None)
        return bound if bound is not None else question.scoring.met_at_most  # type: ignore[union-attr]
    if question.scored and question.options:
        return max(question.options, key=lambda o: o.score or 0.0).value
    return random_value(question, rnd)


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, dict[str, object], dict[str, object]]:
    """A standard, a (possibly partial) profile, and answers mostly good enough to reach levels."""
    name = draw(st.sampled_from(sorted(STANDARDS)))
    standard = STANDARDS[name]
    rnd = draw(st.randoms(use_true_random=True))
    profile: dict[str, object] = {}
    for field in standard.profile_fields:
        if rnd.random() < 0.1:
            continue  # unset
        if field.options:
            profile[field.id] = rnd.choice([o.value for o in field.options])
        elif field.type == "boolean":
            profile[field.id] = rnd.random() < 0.5
        else:
            profile[field.id] = rnd.randint(0, 500)
    good = rnd.choice([0.6, 0.85, 0.95, 1.0])
    answers: dict[str, object] = {}
    for question in standard.questions:
        roll = rnd.random()
        if roll < good:
            answers[question.key] = _best(question, rnd)
        elif roll < good + (1 - good) * 0.8:
            answers[question.key] = random_value(question, rnd)
    for criterion in standard.criteria:
        if rnd.random() < good:
            answers[criterion.evidence_key] = ["e1"]
    return name, profile, answers


@SETTINGS
@given(cases())
def test_no_level_is_reached_with_fewer_own_criteria_than_the_analysis_needs(case):
    name, profile, answers = case
    standard = STANDARDS[name]
    result = score(standard, profile, answers)
    for_profile = needs_for_profile(standard, profile)
    for i, level in enumerate(result.levels):
        if not level.ready:
            continue
        own = [c for c in result.criteria if c.level == level.id and c.applicable]
        met = sum(1 for c in own if c.status is Status.MET)
        if standard.readiness.mandatory_must_be_met:
            assert all(c.mandatory_ok for c in own if c.mandatory), (name, level.id)
        assert met == level.met
        assert met >= for_profile[i].needed, (name, level.id, profile, for_profile[i])
        assert met >= WORST[name][i].needed, (name, level.id, profile, WORST[name][i])


def test_the_property_reaches_levels_at_all():
    # Guard against a vacuous property: the strategy's good answers do reach the top levels.
    for name, standard in STANDARDS.items():
        rnd = random.Random(1)
        answers = {q.key: _best(q, rnd) for q in standard.questions}
        answers |= {c.evidence_key: ["e1"] for c in standard.criteria}
        profile = {
            f.id: (f.options[0].value if f.options else True) for f in standard.profile_fields
        }
        result = score(standard, profile, answers)
        assert result.highest_level == standard.levels[-1].id, name
