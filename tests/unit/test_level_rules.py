"""The level rule as data: own (the default) or cumulative, per standard or per level, and a
minimum number of a level's own criteria met."""

from __future__ import annotations

import pytest

from accredit.domain.scoring.scoring import score
from accredit.domain.scoring.standard import LevelRule
from accredit.standards import StandardFileError, parse_standard
from accredit.standards.diff import diff
from tests.unit.standard_yaml import ALL, HEAVY_LOWER, criteria, standard_text

#: Every bronze and silver criterion met, no gold one: 9 of 11 weight is 81.8% cumulatively.
LOWER_ONLY = {"b1/1": "yes", "b2/1": "yes", "s1/1": "yes", "g1/1": "no", "g2/1": "no"}


def levels_achieved(standard, answers, profile=None):
    return [lv.id for lv in score(standard, profile or {}, answers).levels if lv.achieved]


def test_by_default_a_level_is_scored_on_its_own_criteria():
    standard = criteria(HEAVY_LOWER, levels=ALL)
    assert standard.readiness.level_rule is LevelRule.OWN
    result = score(standard, {}, LOWER_ONLY)
    gold = result.level("gold")
    assert (gold.percent, gold.ready, gold.achieved) == (0.0, False, False)
    assert result.highest_level == "silver"
    assert [b.criterion_id for b in gold.blockers] == ["g1", "g2"]


def test_the_cumulative_rule_lets_lower_weights_carry_a_level():
    standard = criteria(HEAVY_LOWER, levels=ALL, readiness="level_rule: cumulative")
    result = score(standard, {}, LOWER_ONLY)
    assert result.level("gold").percent == pytest.approx(100 * 9 / 11)
    assert result.highest_level == "gold"


@pytest.mark.parametrize(
    ("readiness", "rule"),
    [("cumulative: true", LevelRule.CUMULATIVE), ("cumulative: false", LevelRule.OWN)],
)
def test_the_older_cumulative_flag_is_still_read(readiness, rule):
    standard = criteria(HEAVY_LOWER, levels=ALL, readiness=readiness)
    assert standard.readiness.level_rule is rule
    expected = "gold" if rule is LevelRule.CUMULATIVE else "silver"
    assert score(standard, {}, LOWER_ONLY).highest_level == expected


def test_a_level_can_override_the_standard_rule():
    text = standard_text(
        "- id: main\n  title: Main\n  criteria:\n"
        + "\n".join("    " + line for line in HEAVY_LOWER.strip().splitlines()),
        levels=ALL,
        readiness="level_rule: cumulative",
    ).replace("threshold: 80}\nreadiness", "threshold: 80, rule: own}\nreadiness")
    standard = parse_standard(text, "t.yaml")
    assert standard.rule_for(standard.level("gold")) is LevelRule.OWN
    assert standard.rule_for(standard.level("silver")) is LevelRule.CUMULATIVE
    result = score(standard, {}, LOWER_ONLY)
    assert result.highest_level == "silver"
    assert result.level("silver").percent == 100.0  # bronze + silver, all met


def _with_level_keys(body: str, extra: str, **options: object):
    text = standard_text(
        "- id: main\n  title: Main\n  criteria:\n"
        + "\n".join("    " + line for line in body.strip().splitlines()),
        **options,  # type: ignore[arg-type]
    )
    return text.replace('"#FFB81C", threshold: 80}', f'"#FFB81C", threshold: 80{extra}}}')


GOLDS = """
- {id: "b1", title: B1, level: bronze, questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "g1", title: G1, level: gold, weight: 10, questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "g2", title: G2, level: gold, questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "g3", title: G3, level: gold, questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "g4", title: G4, level: gold, applies_if: {profile: offers_t_level, equals: true},
   questions: [{id: "1", text: Q, type: yes_no}]}
"""


def test_min_met_asks_for_a_number_of_the_level_own_criteria_met():
    standard = parse_standard(
        _with_level_keys(GOLDS, ", min_met: 3", levels=("bronze", "gold")), "t.yaml"
    )
    assert standard.level("gold").min_met == 3
    heavy_only = {"b1/1": "yes", "g1/1": "yes", "g2/1": "no", "g3/1": "no"}
    no_t_level = {"offers_t_level": False}
    result = score(standard, no_t_level, heavy_only)
    gold = result.level("gold")
    assert gold.percent == pytest.approx(100 * 10 / 12)  # the score alone would do
    assert (gold.met, gold.min_met, gold.ready) == (1, 3, False)
    # Only the count is short: the level's own unmet criteria block it, nothing else.
    assert [b.criterion_id for b in gold.blockers] == ["g2", "g3"]
    assert not any(b.mandatory for b in gold.blockers)
    enough = score(standard, no_t_level, heavy_only | {"g2/1": "yes", "g3/1": "yes"})
    assert enough.highest_level == "gold"


def test_min_met_is_capped_at_the_criteria_that_apply():
    standard = parse_standard(
        _with_level_keys(GOLDS, ", min_met: 4", levels=("bronze", "gold")), "t.yaml"
    )
    every = {"b1/1": "yes", "g1/1": "yes", "g2/1": "yes", "g3/1": "yes", "g4/1": "yes"}
    # Without T Levels only three gold criteria apply: all three met is enough.
    result = score(standard, {"offers_t_level": False}, every)
    assert (result.level("gold").min_met, result.highest_level) == (3, "gold")
    result = score(standard, {"offers_t_level": True}, every | {"g4/1": "no"})
    gold = result.level("gold")
    assert (gold.met, gold.min_met, gold.ready) == (3, 4, False)


@pytest.mark.parametrize(
    ("readiness", "level_extra", "message"),
    [
        (
            "level_rule: sideways",
            "",
            "readiness, level_rule: level rule 'sideways' is not one of own, cumulative",
        ),
        (
            "level_rule: own\ncumulative: true",
            "",
            "readiness, cumulative: give level_rule or the older cumulative, not both",
        ),
        ("cumulative: maybe", "", "readiness, cumulative: expected true or false"),
        ("min_own_share: 1.5", "", "readiness, min_own_share: must be between 0 and 1, got 1.5"),
        ("", ", rule: stacked", "level gold, rule: level rule 'stacked' is not one of own"),
        ("", ", min_met: -1", "level gold, min_met: must be between 0 and 10000, got -1"),
        ("", ", min_met: 1.5", "level gold, min_met: expected a whole number, got 1.5"),
        ("", ", min_met: three", "level gold, min_met: expected a number"),
        ("", ", min_own_share: 50", "level gold, min_own_share: must be between 0 and 1, got 50"),
    ],
)
def test_a_malformed_level_rule_is_reported_clearly(readiness, level_extra, message):
    text = _with_level_keys(GOLDS, level_extra, levels=("bronze", "gold"), readiness=readiness)
    with pytest.raises(StandardFileError) as caught:
        parse_standard(text, "t.yaml")
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_the_diff_names_rule_and_min_met_changes():
    old = parse_standard(
        _with_level_keys(GOLDS, "", levels=("bronze", "gold"), readiness="cumulative: true"),
        "old.yaml",
    )
    new = parse_standard(
        _with_level_keys(GOLDS, ", min_met: 2", levels=("bronze", "gold")), "new.yaml"
    )
    rendered = diff(old, new).render()
    assert "other: level gold rule cumulative -> own" in rendered
    assert "stricter: level gold min_met 0 -> 2" in rendered
