"""How reaching a level changed between versions, in an organisation's words."""

from __future__ import annotations

from pathlib import Path

from accredit.standards import load_standard
from accredit.standards.level_changes import level_changes
from tests.unit.standard_yaml import build

ROOT = Path(__file__).resolve().parents[2]


def _version(levels=("bronze", "silver"), thresholds=None, readiness=""):
    """A standard with one criterion at each level."""
    criteria = "".join(
        f'    - {{id: "{n}", title: C{n}, level: {level}, '
        f'questions: [{{id: "1", text: Q, type: yes_no}}]}}\n'
        for n, level in enumerate(levels, 1)
    )
    section = "- id: main\n  title: Main\n  criteria:\n" + criteria
    return build(section, levels=levels, thresholds=thresholds, readiness=readiness)


def test_the_shipped_moves_to_own_criteria_are_told_for_every_level_above_the_first():
    old = load_standard(ROOT / "standards/employability/2026.1.yaml")
    new = load_standard(ROOT / "standards/employability/2026.2.yaml")
    assert level_changes(old, new) == [
        "Established is now reached on its own criteria: the criteria of the levels below it "
        "no longer count towards it.",
        "Exemplary is now reached on its own criteria: the criteria of the levels below it "
        "no longer count towards it.",
    ]
    assert level_changes(new, new) == []


def test_thresholds_counts_levels_and_readiness_rules_are_each_told():
    old = _version(readiness="partly_credit: 0.5\nlevel_rule: own")
    new = _version(
        levels=("bronze", "gold"),
        thresholds={"bronze": 75},
        readiness="""
        level_rule: cumulative
        partly_credit: 0.25
        partly_meets_mandatory: true
        evidence_required_for_met: false
        """,
    )
    assert level_changes(old, new) == [
        "Bronze now needs a score of 75% (it was 80%).",
        "Gold is a new level.",
        "Silver is no longer a level.",
        'A "partly" answer now counts for 25% of a criterion\'s weight (it was 50%).',
        'A "partly" answer now meets a mandatory criterion.',
        "A criterion that asks for evidence can now be met before the evidence is given.",
    ]
    back = level_changes(new, _version(levels=("bronze", "gold"), readiness="level_rule: own"))
    assert back[0] == "Bronze now needs a score of 80% (it was 75%)."
    assert back[1] == (
        "Gold is now reached on its own criteria: the criteria of the levels below it no longer "
        "count towards it."
    )
