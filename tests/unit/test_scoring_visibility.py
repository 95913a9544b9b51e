"""score(): which criteria apply (applies_if) and which questions are visible (show_if)."""

from __future__ import annotations

import pytest

from accredit.domain.scoring import Status, score, visible_keys
from tests.unit.scoring_helpers import CONDITIONAL
from tests.unit.standard_yaml import criteria


@pytest.mark.parametrize(
    ("profile", "applicable"),
    [
        ({}, {"1"}),
        ({"offers_under_16": True}, {"1", "2"}),
        ({"offers_under_16": "yes"}, {"1"}),  # only a real boolean counts
        ({"org_type": "gp_practice"}, {"1", "3"}),
        ({"org_type": "acute_trust", "staff": 500}, {"1", "4"}),
        ({"staff": 499.9}, {"1"}),
        ({"staff": True}, {"1"}),
    ],
)
def test_applies_if_uses_the_profile(profile, applicable):
    result = score(criteria(CONDITIONAL), profile, {})
    assert {c.id for c in result.criteria if c.applicable} == applicable


def test_not_applicable_drops_out_of_both_sides():
    standard = criteria(CONDITIONAL)
    answers = {"1/1": "yes", "2/1": "no", "3/1": "no", "4/1": "no"}
    result = score(standard, {}, answers)
    assert result.level("bronze").percent == 100.0
    assert result.criterion("2").reason == "Does not apply: only when offers_under_16 is true"
    assert score(standard, {"offers_under_16": True}, answers).level("bronze").percent == 50.0


SHOW_IF = """
- id: "1"
  title: Lead
  level: bronze
  questions:
    - {id: "1", text: Is there a lead, type: yes_no}
    - {id: "2", text: Are they trained, type: yes_no, show_if: {answer: "1/1", equals: yes}}
- id: "2"
  title: Follow-up
  level: bronze
  questions:
    - {id: "1", text: Only if trained, type: yes_no, show_if: {answer: "1/2", equals: yes}}
"""


def test_hidden_questions_are_ignored_even_when_answered():
    standard = criteria(SHOW_IF)
    result = score(standard, {}, {"1/1": "no", "1/2": "yes", "2/1": "yes"})
    assert result.criterion("1").status is Status.NOT_MET
    assert result.criterion("1").score == 0.0
    # 1/2 is hidden, so its answer cannot reveal 2/1 either: criterion 2 has no visible question.
    assert result.criterion("2").status is Status.NOT_APPLICABLE
    assert result.criterion("2").reason.startswith("Does not apply: none of its questions apply")


def test_visible_question_reveals_the_next():
    standard = criteria(SHOW_IF)
    result = score(standard, {}, {"1/1": "yes", "1/2": "yes", "2/1": "yes"})
    assert [c.status for c in result.criteria] == [Status.MET, Status.MET]
    assert visible_keys(standard, {}, {"1/1": "yes", "1/2": "yes"}) == ("1/1", "1/2", "2/1")
    assert visible_keys(standard, {}, {"1/1": "no", "1/2": "yes"}) == ("1/1",)


def test_show_if_operators():
    standard = criteria(
        """
        - id: "1"
          title: Numbers and choices
          level: bronze
          questions:
            - {id: "1", text: Staff, type: number, scoring: {met_at_least: 1}}
            - {id: "2", text: Groups, type: multiple_choice, options: [
                {value: a, label: A, score: 1}, {value: b, label: B, score: 1}]}
            - {id: "3", text: Q3, type: yes_no, show_if: {answer: "1/1", at_least: 10}}
            - {id: "4", text: Q4, type: yes_no, show_if: {answer: "1/2", includes: b}}
            - {id: "5", text: Q5, type: yes_no, show_if: {answer: "1/1", answered: false}}
            - {id: "6", text: Q6, type: yes_no,
               show_if: {any: [{answer: "1/1", at_most: 2}, {not: {profile: staff, equals: 3}}]}}
        """
    )
    shown = visible_keys(standard, {"staff": 3}, {"1/1": 12, "1/2": ["b"]})
    assert shown == ("1/1", "1/2", "1/3", "1/4")
    shown = visible_keys(standard, {}, {"1/2": ["a"]})
    assert shown == ("1/1", "1/2", "1/5", "1/6")
