"""score(): levels, readiness, blockers, sections and the Result shape."""

from __future__ import annotations

import json

import pytest

from accredit.domain.scoring.scoring import Status, score
from tests.unit.scoring_helpers import CONDITIONAL
from tests.unit.standard_yaml import build, criteria

LEVELS = """
- id: "b1"
  title: Mandatory bronze
  level: bronze
  mandatory: true
  weight: 2
  questions: [{id: "1", text: Q, type: yes_partly_no}]
- id: "b2"
  title: Bronze two
  level: bronze
  weight: 1
  questions: [{id: "1", text: Q, type: yes_partly_no}]
- id: "b3"
  title: Bronze three
  level: bronze
  weight: 2
  questions: [{id: "1", text: Q, type: yes_partly_no}]
- id: "s1"
  title: Silver one
  level: silver
  weight: 3
  questions: [{id: "1", text: Q, type: yes_partly_no}]
- id: "g1"
  title: Gold one
  level: gold
  mandatory: true
  questions: [{id: "1", text: Q, type: yes_partly_no}]
"""
ALL = ("bronze", "silver", "gold")


def answers_for(**values: str) -> dict[str, object]:
    return {f"{cid}/1": value for cid, value in values.items()}


def test_all_met_reaches_the_top_level():
    result = score(
        criteria(LEVELS, levels=ALL),
        {},
        answers_for(b1="yes", b2="yes", b3="yes", s1="yes", g1="yes"),
    )
    assert result.highest_level == "gold"
    assert all(lv.ready and lv.achieved and not lv.blockers for lv in result.levels)
    assert result.next_level is None
    assert result.percent == 100.0


def test_threshold_is_inclusive_and_exact():
    # Bronze weights 2 + 1 + 2 = 5; missing b2 (weight 1) gives exactly 80%.
    standard = criteria(LEVELS, levels=ALL)
    result = score(standard, {}, answers_for(b1="yes", b2="no", b3="yes"))
    bronze = result.level("bronze")
    assert bronze.percent == pytest.approx(80.0)
    assert bronze.ready and result.highest_level == "bronze"
    result = score(standard, {}, answers_for(b1="yes", b2="no", b3="partly"))
    assert result.level("bronze").percent == pytest.approx(60.0)
    assert result.highest_level is None


def test_partly_never_meets_a_mandatory_criterion():
    standard = criteria(LEVELS, levels=ALL, thresholds={"bronze": 50})
    result = score(standard, {}, answers_for(b1="partly", b2="yes", b3="yes"))
    assert result.level("bronze").percent == pytest.approx(80.0)
    assert not result.level("bronze").ready
    [blocker] = result.level("bronze").blockers
    assert blocker.criterion_id == "b1" and blocker.mandatory
    assert blocker.reason.startswith("Mandatory: 'partly' does not meet a mandatory criterion")
    assert result.criterion("b1").reason.startswith("Mandatory: 'partly' does not meet")
    assert not result.criterion("b1").mandatory_ok


def test_partly_may_meet_mandatory_when_the_rule_allows():
    standard = criteria(
        LEVELS, levels=ALL, thresholds={"bronze": 50}, readiness="partly_meets_mandatory: true"
    )
    result = score(standard, {}, answers_for(b1="partly", b2="yes", b3="yes"))
    assert result.level("bronze").ready


MANDATORY_EVIDENCE = """
- id: "m"
  title: Mandatory with evidence
  level: bronze
  mandatory: true
  evidence: {required: true}
  questions: [{id: "1", text: Q, type: yes_partly_no}]
- id: "o"
  title: Other
  level: bronze
  weight: 3
  questions: [{id: "1", text: Q, type: yes_no}]
"""


@pytest.mark.parametrize("answer", ["yes", "partly"])
def test_partly_meets_mandatory_never_excuses_missing_evidence(answer):
    standard = criteria(
        MANDATORY_EVIDENCE, thresholds={"bronze": 50}, readiness="partly_meets_mandatory: true"
    )
    result = score(standard, {}, {"m/1": answer, "o/1": "yes"})
    mandatory = result.criterion("m")
    assert mandatory.status is Status.PARTLY_MET
    assert "evidence is required" in mandatory.reason.lower()
    assert not mandatory.mandatory_ok
    bronze = result.level("bronze")
    assert bronze.percent >= 50 and not bronze.ready and bronze.mandatory_unmet == 1
    [blocker] = bronze.blockers
    assert (blocker.criterion_id, blocker.mandatory) == ("m", True)
    assert "evidence is required but none is attached" in blocker.reason
    with_evidence = score(standard, {}, {"m/1": answer, "o/1": "yes", "m/evidence": ["ev"]})
    assert with_evidence.criterion("m").mandatory_ok and with_evidence.level("bronze").ready


def test_mandatory_rule_can_be_switched_off():
    standard = criteria(
        LEVELS, levels=ALL, thresholds={"bronze": 50}, readiness="mandatory_must_be_met: false"
    )
    assert score(standard, {}, answers_for(b1="no", b2="yes", b3="yes")).level("bronze").ready


def test_levels_are_cumulative_when_the_standard_says_so():
    standard = criteria(LEVELS, levels=ALL, readiness="level_rule: cumulative")
    # Silver criterion met but bronze short: silver's scope includes bronze, and it needs bronze.
    result = score(standard, {}, answers_for(b1="no", b2="yes", b3="yes", s1="yes", g1="yes"))
    assert not result.level("bronze").ready
    assert not result.level("silver").achieved
    assert result.highest_level is None
    assert result.next_level is not None and result.next_level.id == "bronze"
    # Silver percent covers bronze + silver weights: (1 + 2 + 3) / (2 + 1 + 2 + 3).
    assert result.level("silver").percent == pytest.approx(75.0)


def test_a_level_says_which_lower_level_holds_it_back():
    standard = criteria(LEVELS, levels=ALL, readiness="cumulative: false")
    # Bronze misses its mandatory b1; silver and gold are ready on their own criteria.
    result = score(standard, {}, answers_for(b1="no", b2="yes", b3="yes", s1="yes", g1="yes"))
    bronze, silver, gold = result.levels
    assert (bronze.ready, bronze.achieved, bronze.held_back_by) == (False, False, None)
    assert (silver.ready, silver.blockers, silver.achieved) == (True, (), False)
    assert silver.held_back_by == "bronze" and gold.held_back_by == "bronze"
    data = result.to_dict()["levels"]
    assert [lv["held_back_by"] for lv in data] == [None, "bronze", "bronze"]
    met = score(standard, {}, answers_for(b1="yes", b2="yes", b3="yes", s1="no", g1="yes"))
    assert [lv.held_back_by for lv in met.levels] == [None, None, "silver"]
    assert [lv.achieved for lv in met.levels] == [True, False, False]


def test_non_cumulative_levels_score_their_own_criteria_but_still_stack():
    standard = criteria(LEVELS, levels=ALL, readiness="cumulative: false")
    result = score(standard, {}, answers_for(b1="no", b2="yes", b3="yes", s1="yes", g1="yes"))
    silver = result.level("silver")
    assert silver.percent == 100.0 and silver.ready
    assert not silver.achieved  # bronze is not achieved


def test_blockers_are_ordered_mandatory_first_then_gain_then_file_order():
    standard = criteria(LEVELS, levels=ALL, readiness="level_rule: cumulative")
    result = score(standard, {}, answers_for(b1="no", b2="no", b3="no", s1="partly", g1="no"))
    gold = result.level("gold")
    assert [b.criterion_id for b in gold.blockers] == ["b1", "g1", "b3", "s1", "b2"]
    gains = {b.criterion_id: b.gain for b in gold.blockers}
    total = 2 + 1 + 2 + 3 + 1
    assert gains["b1"] == pytest.approx(100 * 2 / total)
    assert gains["s1"] == pytest.approx(100 * 3 * 0.5 / total)
    assert [b.mandatory for b in gold.blockers] == [True, True, False, False, False]
    assert gold.blockers[0].reason == "Mandatory and not met: 1 of 1 answer falls short"


def test_only_mandatory_blockers_when_the_score_is_enough():
    standard = criteria(LEVELS, levels=ALL, thresholds={"bronze": 40})
    result = score(standard, {}, answers_for(b1="no", b2="yes", b3="yes"))
    assert [b.criterion_id for b in result.level("bronze").blockers] == ["b1"]


def test_unanswered_mandatory_blocker_reason():
    result = score(criteria(LEVELS, levels=ALL), {}, {})
    assert result.level("bronze").blockers[0].reason == "Mandatory and not answered yet"


def test_section_percentages():
    standard = criteria(CONDITIONAL)
    profile = {"offers_under_16": False, "org_type": "acute_trust", "staff": 10}
    result = score(standard, profile, {"1/1": "yes"})
    [section] = result.sections
    assert (section.id, section.percent, section.applicable, section.met) == ("main", 100.0, 1, 1)


def test_section_with_nothing_applicable_has_no_percent():
    standard = build(
        """
        - id: always
          title: Always
          criteria:
            - {id: "1", title: A, level: bronze, questions: [{id: "1", text: Q, type: yes_no}]}
        - id: sometimes
          title: Sometimes
          criteria:
            - id: "2"
              title: B
              level: bronze
              applies_if: {profile: offers_t_level, equals: true}
              questions: [{id: "1", text: Q, type: yes_no}]
        """
    )
    result = score(standard, {"offers_t_level": False}, {})
    assert result.section("sometimes").percent is None
    assert result.section("always").percent == 0.0


def test_result_records_the_standard_and_serialises():
    standard = criteria(LEVELS, levels=ALL)
    result = score(standard, {}, answers_for(b1="yes", b2="partly"))
    assert (result.standard_id, result.standard_version) == ("test", "1")
    assert result.content_hash == standard.content_hash
    data = json.loads(json.dumps(result.to_dict()))
    assert data["standard"] == {"id": "test", "version": "1", "content_hash": standard.content_hash}
    assert [c["id"] for c in data["criteria"]] == ["b1", "b2", "b3", "s1", "g1"]
    assert data["criteria"][1]["status"] == "partly_met"
    assert data["levels"][0]["blockers"][0]["criterion"] == "b3"
    with pytest.raises(KeyError):
        result.criterion("zz")
    with pytest.raises(KeyError):
        result.level("zz")
    with pytest.raises(KeyError):
        result.section("zz")
