"""Level blockers on the shipped standard, checked against the rule worked out directly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accredit.domain.scoring.scoring import Result, score
from accredit.domain.scoring.standard import Standard
from tests.unit.scoring_helpers import VARIANTS, WEQS
from tests.unit.scoring_strategies import profiles_for, random_answer_sets

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def reference_blockers(standard: Standard, result: Result, index: int) -> list[tuple]:
    """A level's blockers worked out directly from the rule in standards/README.md."""
    level = result.levels[index]
    if level.ready:
        return []
    cumulative = standard.readiness.cumulative

    def in_scope(level_id: str) -> bool:
        i = standard.level_index(level_id)
        return i <= index if cumulative else i == index

    scope = [c for c in result.criteria if c.applicable and in_scope(c.level)]
    weight = sum(c.weight for c in scope)
    earned = sum(c.weight * c.credit for c in scope)
    short = earned * 100.0 < level.threshold * weight - 1e-9 * max(weight, 1.0)
    found = []
    for position, c in enumerate(scope):
        gain = 100.0 * c.weight * (1.0 - c.credit) / weight
        if not c.mandatory_ok:
            found.append((0, -gain, position, c.id, True, gain, c.reason))
        elif short and c.credit < 1.0:
            found.append((1, -gain, position, c.id, False, gain, c.reason))
    return sorted(found)


@SETTINGS
@given(profiles_for(WEQS), random_answer_sets(WEQS), st.sampled_from(sorted(VARIANTS)))
def test_blockers_follow_the_documented_rule(profile, answers, name):
    standard = VARIANTS[name]
    result = score(standard, profile, answers)
    for index, level in enumerate(result.levels):
        expected = reference_blockers(standard, result, index)
        got = level.blockers
        assert [(b.criterion_id, b.mandatory) for b in got] == [(e[3], e[4]) for e in expected]
        assert [b.gain for b in got] == pytest.approx([e[5] for e in expected])
        for blocker, (*_, reason) in zip(got, expected, strict=True):
            if blocker.mandatory:
                assert blocker.reason.startswith("Mandatory"), blocker
            else:
                assert blocker.reason == reason
        assert level.blockers is got  # worked out once
        stored = result.to_dict()["levels"][index]["blockers"]
        assert [b["criterion"] for b in stored] == [b.criterion_id for b in got]


def test_blockers_are_shared_between_results_only_when_identical():
    answers = {"1.1/1": "no"}
    first = score(WEQS, {"offers_under_16": True}, answers)
    second = score(WEQS, {"offers_under_16": False}, answers)
    one = {b.criterion_id: b for b in first.level("bronze").blockers}["1.1"]
    two = {b.criterion_id: b for b in second.level("bronze").blockers}["1.1"]
    # The same judgement of 1.1, but fewer criteria apply, so meeting it gains more.
    assert first.criterion("1.1") is second.criterion("1.1")
    assert two.gain > one.gain
    again = score(WEQS, {"offers_under_16": True}, answers).level("bronze").blockers
    assert {b.criterion_id: b for b in again}["1.1"] == one
