"""score(): which criteria apply (applies_if) and which questions are visible (show_if)."""

from __future__ import annotations

import pytest

from accredit.domain.scoring.scoring import Status, score, visible_keys
from tests.unit.scoring_helpers import CONDITIONAL, WEQS
from tests.unit.standard_yaml import criteria

#: Every field CONDITIONAL's applies_if reads, answered "no" (or out of range).
ANSWERED_NO = {"offers_under_16": False, "org_type": "acute_trust", "staff": 10}


@pytest.mark.parametrize(
    ("profile", "applicable"),
    [
        (ANSWERED_NO, {"1"}),
        (ANSWERED_NO | {"offers_under_16": True}, {"1", "2"}),
        (ANSWERED_NO | {"offers_under_16": "yes"}, {"1"}),  # only a real boolean counts
        (ANSWERED_NO | {"org_type": "gp_practice"}, {"1", "3"}),
        (ANSWERED_NO | {"staff": 500}, {"1", "4"}),
        (ANSWERED_NO | {"staff": 499.9}, {"1"}),
        (ANSWERED_NO | {"staff": True}, {"1"}),
    ],
)
def test_applies_if_uses_the_profile(profile, applicable):
    result = score(criteria(CONDITIONAL), profile, {})
    assert {c.id for c in result.criteria if c.applicable} == applicable
    assert not any(c.awaiting_profile for c in result.criteria)


@pytest.mark.parametrize(
    ("profile", "awaiting"),
    [
        ({}, {"2": ("offers_under_16",), "3": ("org_type",), "4": ("staff",)}),
        (
            {"org_type": "gp_practice", "offers_under_16": None},
            {"2": ("offers_under_16",), "4": ("staff",)},
        ),
    ],
)
def test_an_unanswered_profile_field_is_unknown_never_no(profile, awaiting):
    """A criterion gated on a field nobody answered waits for the profile: unanswered, no
    credit, never not applicable (so an empty profile cannot switch DBS checks off)."""
    result = score(criteria(CONDITIONAL), profile, {"1/1": "yes"})
    waiting = {c.id: c.awaiting_profile for c in result.criteria if c.awaiting_profile}
    assert waiting == awaiting
    for criterion_id in awaiting:
        outcome = result.criterion(criterion_id)
        assert (outcome.status, outcome.credit) == (Status.UNANSWERED, 0.0)
        assert outcome.reason == "Answer the organisation profile first"
    assert result.level("bronze").percent < 100.0


def test_an_unknown_field_that_cannot_change_the_outcome_does_not_hold_a_criterion_back():
    standard = criteria(
        """
        - id: "1"
          title: Under 18s
          level: bronze
          applies_if: {any: [{profile: offers_under_16, equals: true},
                             {profile: offers_t_level, equals: true}]}
          questions: [{id: "1", text: Q, type: yes_no}]
        - id: "2"
          title: Under 16s in clinical placements
          level: bronze
          applies_if: {all: [{profile: offers_under_16, equals: true},
                             {profile: offers_clinical_placements, equals: true}]}
          questions: [{id: "1", text: Q, type: yes_no}]
        """
    )
    result = score(standard, {"offers_under_16": True}, {"1/1": "yes"})
    assert result.criterion("1").status is Status.MET  # settled by the answered field
    assert result.criterion("2").awaiting_profile == ("offers_clinical_placements",)
    result = score(standard, {"offers_under_16": False}, {})
    assert result.criterion("1").awaiting_profile == ("offers_t_level",)
    assert result.criterion("2").status is Status.NOT_APPLICABLE  # false whatever the other


def test_a_mandatory_criterion_waiting_for_the_profile_blocks_its_level():
    standard = criteria(
        """
        - id: "1"
          title: DBS
          level: bronze
          mandatory: true
          applies_if: {profile: offers_under_16, equals: true}
          questions: [{id: "1", text: Q, type: yes_no}]
        - {id: "2", title: Other, level: bronze, questions: [{id: "1", text: Q, type: yes_no}]}
        """
    )
    assert score(standard, {}, {"2/1": "yes"}).highest_level is None
    assert score(standard, {"offers_under_16": False}, {"2/1": "yes"}).highest_level == "bronze"


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


# --- answer-gated criteria ------------------------------------------------------------------------

GATED = """
- id: "1"
  title: Virtual placements are safe online
  level: bronze
  mandatory: true
  questions:
    - {id: "1", text: Do you run virtual placements, type: yes_no, scored: false}
    - {id: "2", text: Approved platform, type: yes_partly_no, show_if: {answer: "1/1", equals: yes}}
    - {id: "3", text: Notes, type: text, show_if: {answer: "1/1", equals: yes}}
    - {id: "4", text: Who runs them, type: text}
"""


def test_a_blank_gate_leaves_the_criterion_unanswered_not_inapplicable():
    standard = criteria(GATED)
    result = score(standard, {}, {"1/4": "The lead", "1/evidence": ["ev-1"]})
    gated = result.criterion("1")
    assert (gated.status, gated.credit, gated.missing) == (Status.UNANSWERED, 0.0, ("1/1",))
    assert not gated.complete and gated.applicable and not gated.mandatory_ok
    assert gated.evidence == 1
    # An unanswered gate counts against the level, unlike answering "no".
    assert result.level("bronze").percent == 0.0
    assert [b.criterion_id for b in result.level("bronze").blockers] == ["1"]


def test_an_answered_gate_that_hides_every_scored_question_makes_it_not_applicable():
    standard = criteria(GATED)
    result = score(standard, {}, {"1/1": "no", "1/evidence": 2})
    gated = result.criterion("1")
    assert gated.status is Status.NOT_APPLICABLE
    assert gated.reason.startswith("Does not apply: none of its questions apply")
    # The real completeness and evidence: the visible required text question is still owed.
    assert (gated.missing, gated.evidence) == (("1/4",), 2)
    assert score(standard, {}, {"1/1": "no", "1/4": "x"}).criterion("1").complete
    assert result.level("bronze").ready


def test_a_blank_optional_gate_or_a_gate_through_another_question():
    optional = GATED.replace("scored: false}", "scored: false, validation: {required: false}}")
    assert score(criteria(optional), {}, {}).criterion("1").status is Status.NOT_APPLICABLE
    chained = """
    - id: "1"
      title: Chained
      level: bronze
      questions:
        - {id: "1", text: Gate, type: yes_no, scored: false}
        - {id: "2", text: Inner gate, type: yes_no, scored: false,
           show_if: {answer: "1/1", equals: yes}}
        - {id: "3", text: Scored, type: yes_no, show_if: {answer: "1/2", equals: yes}}
    """
    result = score(criteria(chained), {}, {"1/1": "yes"}).criterion("1")
    assert (result.status, result.missing) == (Status.UNANSWERED, ("1/2",))
    assert score(criteria(chained), {}, {"1/1": "no"}).criterion("1").status is (
        Status.NOT_APPLICABLE
    )


def test_the_shipped_virtual_placements_criterion_needs_its_gate_answered():
    blank = score(WEQS, {}, {}).criterion("3.11")
    assert (blank.status, blank.missing) == (Status.UNANSWERED, ("3.11/1",))
    no = score(WEQS, {}, {"3.11/1": "no"}).criterion("3.11")
    assert (no.status, no.missing, no.complete) == (Status.NOT_APPLICABLE, (), True)
    yes = score(WEQS, {}, {"3.11/1": "yes", "3.11/2": "yes", "3.11/3": "yes"}).criterion("3.11")
    assert yes.status is Status.MET
