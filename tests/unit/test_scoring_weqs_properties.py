"""Properties of scoring checked on the shipped standard (standards/weqs/2026.1.yaml), whose
gates, evidence rules and three cumulative levels the mini fixture does not exercise."""

from __future__ import annotations

from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accredit.domain.scoring.plan import PlannedCriterion, plan_for
from accredit.domain.scoring.scoring import Result, score
from accredit.domain.scoring.standard import Standard
from tests.unit.scoring_helpers import VARIANTS, WEQS
from tests.unit.scoring_strategies import (
    assert_no_score_falls,
    improvements,
    profiles_for,
    random_answer_sets,
    shuffled,
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
profiles = profiles_for(WEQS)
weqs_answers = random_answer_sets(WEQS)


@SETTINGS
@given(improvements(WEQS, random_answer_sets(WEQS, complete=True)))
def test_improving_an_answer_never_lowers_any_score_or_level_on_weqs(case):
    assert_no_score_falls(WEQS, case)


@SETTINGS
@given(profiles, weqs_answers, st.randoms(use_true_random=True))
def test_answer_order_and_selection_order_do_not_matter_on_weqs(profile, answers, rnd):
    expected = score(WEQS, profile, answers).to_dict()
    assert score(WEQS, profile, shuffled(answers, rnd)).to_dict() == expected


def unmemoised(standard: Standard, profile: dict, answers: dict) -> Result:
    """Score with every criterion judged afresh, bypassing the memo."""
    with mock.patch.object(PlannedCriterion, "judge", PlannedCriterion._judge):
        return score(standard, profile, answers)


@SETTINGS
@given(
    profiles, random_answer_sets(WEQS), random_answer_sets(WEQS), st.sampled_from(sorted(VARIANTS))
)
def test_memoised_judgements_match_fresh_ones(profile, answers, other, name):
    standard = VARIANTS[name]
    # Fill the memo with near misses first: the same answers without any evidence, and another
    # organisation's answers, so a memo keyed on too little would hand back their judgements.
    bare = {k: v for k, v in answers.items() if not k.endswith("/evidence")}
    for warm in (bare, other):
        score(standard, profile, warm)
    memoised = score(standard, profile, answers)
    assert any(c.memo for c in plan_for(standard).criteria)
    fresh = unmemoised(standard, profile, answers)
    assert memoised.criteria == fresh.criteria
    assert memoised.to_dict() == fresh.to_dict()
    assert score(standard, profile, bare).to_dict() == unmemoised(standard, profile, bare).to_dict()
