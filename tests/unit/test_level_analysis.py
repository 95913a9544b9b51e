"""`standards check`'s proof that each level is earned, on small fixtures and the shipped files."""

from __future__ import annotations

from pathlib import Path

import pytest

from accredit.domain.scoring.standard import LevelRule
from accredit.standards import load_standard, parse_standard, version_files
from accredit.standards.level_analysis import analyse, needs_for_profile, problems
from tests.unit.standard_yaml import ALL, HEAVY_LOWER, criteria, standard_text

ROOT = Path(__file__).resolve().parents[2] / "standards"


def need(standard, level_id):
    return next(n for n in analyse(standard) if n.level == level_id)


def test_a_level_reachable_with_none_of_its_criteria_is_reported_with_the_arithmetic():
    standard = criteria(HEAVY_LOWER, levels=ALL, readiness="level_rule: cumulative")
    [found] = problems(standard)
    assert found.level == "gold" and found.needed == 0 and found.own == 2
    assert found.message() == (
        "gold reachable with 0 of 2 gold criteria met: bronze+silver weights give 81.8% >= 80%"
    )


def test_a_level_that_needs_its_own_criteria_is_not_reported():
    standard = criteria(HEAVY_LOWER, levels=ALL)  # the default rule: own
    assert problems(standard) == []
    assert [(n.level, n.needed, n.own) for n in analyse(standard)] == [
        ("bronze", 2, 2),  # b1 is mandatory; b2 alone is 50%
        ("silver", 1, 1),
        ("gold", 2, 2),  # one of two is 50% < 80%, and yes/no cannot be partly met
    ]
    assert need(standard, "gold").message() == (
        "gold reachable with 2 of 2 gold criteria met: gold g1, g2 met give 100% >= 80%"
    )


def test_under_the_cumulative_rule_only_gold_is_carried():
    # Silver: bronze 6 + silver 3, bronze alone is 66.7%, so s1 is needed.
    standard = criteria(HEAVY_LOWER, levels=ALL, readiness="level_rule: cumulative")
    silver = need(standard, "silver")
    assert silver.rule is LevelRule.CUMULATIVE and silver.needed == 1 and not silver.problem


PARTLY = """
- {id: "b1", title: B1, level: bronze, questions: [{id: "1", text: Q, type: yes_partly_no}]}
- {id: "b2", title: B2, level: bronze, questions: [{id: "1", text: Q, type: yes_partly_no}]}
- {id: "b3", title: B3, level: bronze, questions: [{id: "1", text: Q, type: yes_no}]}
"""


def test_partly_credit_counts_towards_the_fewest_needed():
    standard = criteria(PARTLY, thresholds={"bronze": 60}, readiness="partly_credit: 1")
    [found] = problems(standard)
    assert found.needed == 0 and found.partly == 2
    assert found.message() == (
        "bronze reachable with 0 of 3 bronze criteria met: 2 bronze criteria partly met give "
        "66.7% >= 60%"
    )
    # At half credit, b3 must be met as well: (0.5 + 0.5 + 1) / 3 = 66.7%.
    assert need(criteria(PARTLY, thresholds={"bronze": 60}), "bronze").needed == 1


def test_a_declared_share_reports_a_level_reachable_with_too_few():
    standard = criteria(
        PARTLY, thresholds={"bronze": 60}, readiness="min_own_share: 0.5"
    )  # 1 of 3 met is enough, under half
    [found] = problems(standard)
    assert (found.needed, found.own, found.share) == (1, 3, 0.5)
    assert found.message() == (
        "bronze reachable with 1 of 3 bronze criteria met (under min_own_share 50%): bronze b3 "
        "met and the other 2 bronze criteria partly met give 66.7% >= 60%"
    )
    assert not problems(criteria(PARTLY, thresholds={"bronze": 60}, readiness="min_own_share: 0.3"))


def test_min_met_raises_the_count_needed():
    cumulative = criteria(HEAVY_LOWER, levels=ALL, readiness="level_rule: cumulative")
    text = standard_text(
        "- id: main\n  title: Main\n  criteria:\n"
        + "\n".join("    " + line for line in HEAVY_LOWER.strip().splitlines()),
        levels=ALL,
        readiness="level_rule: cumulative",
    ).replace('"#FFB81C", threshold: 80}', '"#FFB81C", threshold: 80, min_met: 1}')
    assert need(cumulative, "gold").needed == 0
    gold = need(parse_standard(text, "t.yaml"), "gold")
    assert (gold.needed, gold.problem) == (1, False)


PROFILED = """
- {id: "b1", title: B1, level: bronze, questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "s1", title: S1, level: silver, applies_if: {profile: org_type, equals: acute_trust},
   questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "s2", title: S2, level: silver, applies_if: {profile: offers_t_level, equals: true},
   questions: [{id: "1", text: Q, type: yes_no}]}
"""


def test_a_profile_to_which_none_of_a_level_applies_is_found():
    standard = criteria(PROFILED, levels=("bronze", "silver"))
    [found] = problems(standard)
    assert (found.level, found.needed, found.own) == ("silver", 0, 0)
    assert found.message().startswith(
        "silver reachable with 0 of 0 silver criteria met: no silver criterion applies, and "
        "nothing to score counts as 100% (profile: org_type mental_health_trust"
    )
    acute = needs_for_profile(standard, {"org_type": "acute_trust", "offers_t_level": True})
    assert [(n.level, n.needed, n.own) for n in acute] == [("bronze", 1, 1), ("silver", 2, 2)]


GATED = """
- {id: "b1", title: B1, level: bronze, questions: [{id: "1", text: Q, type: yes_no}]}
- id: "s1"
  title: S1
  level: silver
  questions:
    - {id: "1", text: Q, type: yes_no}
- id: "s2"
  title: Virtual placements are safe
  level: silver
  weight: 3
  questions:
    - {id: "1", text: Do you run virtual placements, type: yes_no, scored: false}
    - {id: "2", text: Q, type: yes_no, show_if: {answer: "s2/1", equals: "yes"}}
"""


def test_an_answer_gated_criterion_is_switched_off_in_the_worst_case():
    standard = criteria(GATED, levels=("bronze", "silver"))
    silver = need(standard, "silver")
    assert (silver.needed, silver.own, silver.dropped) == (1, 1, ("s2",))
    assert silver.message().endswith("(s2 is switched off by answers)")


@pytest.mark.parametrize(
    ("path", "level", "message"),
    [
        (
            "weqs/2026.1.yaml",
            "gold",
            "gold reachable with 0 of 12 gold criteria met: bronze+silver weights give 84.4% "
            ">= 80% (profile: offers_under_16 true, offers_clinical_placements true, org_type "
            "acute_trust, offers_t_level true)",
        ),
        (
            "employability/2026.1.yaml",
            "exemplary",
            "exemplary reachable with 0 of 3 exemplary criteria met: foundation+established "
            "weights and 3 exemplary criteria partly met give 90.6% >= 90% (profile: org_type "
            "acute_trust)",
        ),
    ],
)
def test_the_superseded_shipped_versions_are_reported(path, level, message):
    standard = load_standard(ROOT / path)
    assert [(n.level, n.message()) for n in problems(standard)] == [(level, message)]


def test_every_current_shipped_version_earns_its_levels():
    for path in version_files(ROOT):
        standard = load_standard(path)
        if standard.open_for_new_cohorts:
            assert problems(standard) == [], path
