"""Reasons that name the answer that falls short and what would pass
(accredit.domain.scoring.explain)."""

from __future__ import annotations

import pytest

from accredit.domain.scoring.explain import Explainer, ReasonKind, explain
from accredit.domain.scoring.scoring import Status, score
from tests.unit.scoring_helpers import WEQS, one
from tests.unit.standard_yaml import criteria


def reasons(standard, answers, profile=None, criterion="1"):
    profile = profile or {}
    result = score(standard, profile, answers).criterion(criterion)
    return [r.text for r in explain(standard, result, profile, answers)]


def test_yes_partly_no_names_the_answer_and_the_option_that_passes():
    standard = one('{id: "1", text: Q, type: yes_partly_no}')
    assert reasons(standard, {"1/1": "partly"}) == ['1/1 is "Partly": this criterion needs "Yes"']
    assert reasons(standard, {"1/1": "no"}) == ['1/1 is "No": this criterion needs "Yes"']


def test_yes_no_reversed_by_the_file_needs_no():
    standard = one(
        '{id: "1", text: Are learners left alone with patients, type: yes_no,'
        " options: [{value: yes, label: 'Yes', score: 0}, {value: no, label: 'No', score: 1}]}"
    )
    assert reasons(standard, {"1/1": "yes"}) == ['1/1 is "Yes": this criterion needs "No"']
    assert reasons(standard, {"1/1": "no"}) == []


def test_single_choice_joins_the_passing_labels_with_or():
    standard = one(
        """{id: "1", text: Q, type: single_choice, options: [
             {value: a, label: Every year, score: 1}, {value: b, label: Every two years, score: 1},
             {value: c, label: Every three years, score: 1}, {value: d, label: Never, score: 0}]}"""
    )
    assert reasons(standard, {"1/1": "d"}) == [
        '1/1 is "Never": this criterion needs'
        ' "Every year", "Every two years" or "Every three years"'
    ]
    two = one(
        """{id: "1", text: Q, type: single_choice, options: [
             {value: a, label: Written, score: 1}, {value: b, label: Spoken, score: 0.5},
             {value: c, label: Both, score: 1}]}"""
    )
    assert reasons(two, {"1/1": "b"}) == [
        '1/1 is "Spoken": this criterion needs "Written" or "Both"'
    ]


MULTIPLE = """{id: "1", text: Q, type: multiple_choice, options: [
    {value: a, label: A, score: 1}, {value: b, label: B, score: 1}, {value: c, label: C, score: 1},
    {value: d, label: D, score: 1}%s],
    scoring: {method: count, met_at_least: 3, partly_at_least: 1}}"""


def test_multiple_choice_counts_what_is_selected_and_what_would_pass():
    standard = one(MULTIPLE % "")
    assert reasons(standard, {"1/1": ["a", "b"]}) == [
        "1/1 has 2 selected: this criterion needs at least 3 of the listed options"
    ]
    assert reasons(standard, {"1/1": []}) == [
        "1/1 has none selected: this criterion needs at least 3 of the listed options"
    ]
    assert reasons(standard, {"1/1": ["a", "b", "c"]}) == []


def test_multiple_choice_count_says_which_options_do_not_count():
    standard = one(MULTIPLE % ", {value: none, label: None of these, score: 0}")
    assert reasons(standard, {"1/1": ["a", "none"]}) == [
        "1/1 has 2 selected: this criterion needs at least 3 of the listed options"
        ' other than "None of these"'
    ]


def sum_standard(scores: list[float]) -> object:
    options = ", ".join(
        f"{{value: o{i}, label: O{i}, score: {s}}}" for i, s in enumerate(scores, start=1)
    )
    scoring = "scoring: {method: sum}"
    return one(f'{{id: "1", text: Q, type: multiple_choice, options: [{options}], {scoring}}}')


def test_sum_scoring_names_the_options_still_needed_when_all_are():
    standard = sum_standard([0.25, 0.25, 0.25, 0.25, 0])
    assert reasons(standard, {"1/1": ["o1", "o2", "o5"]}) == [
        '1/1 has 3 selected: this criterion needs "O3" and "O4" as well'
    ]


def test_sum_scoring_says_how_many_more_when_the_options_score_alike():
    standard = sum_standard([0.5, 0.5, 0.5, 0.5])
    assert reasons(standard, {"1/1": ["o1"]}) == [
        '1/1 has 1 selected: this criterion needs 1 more of "O2", "O3" and "O4"'
    ]


def test_sum_scoring_gives_one_way_to_pass_when_the_options_score_differently():
    standard = sum_standard([0.2, 0.6, 0.4, 0.3])
    assert reasons(standard, {"1/1": ["o1"]}) == [
        "1/1 has 1 selected: this criterion needs more of the listed options,"
        ' for example "O2" and "O3"'
    ]


@pytest.mark.parametrize(
    ("scoring", "answer", "expected"),
    [
        (
            "{met_at_least: 85, partly_at_least: 70}",
            72,
            "1/1 is 72: this criterion needs at least 85",
        ),
        ("{met_at_least: 0.5}", 0.25, "1/1 is 0.25: this criterion needs at least 0.5"),
        ("{met_at_least: 315}", 200.0, "1/1 is 200: this criterion needs at least 315"),
        ("{met_at_most: 8, partly_at_most: 10}", 9, "1/1 is 9: this criterion needs at most 8"),
        ("{met_at_least: 5000}", 1200, "1/1 is 1,200: this criterion needs at least 5,000"),
    ],
)
def test_number_gives_the_value_entered_and_the_bound(scoring, answer, expected):
    standard = one(f'{{id: "1", text: Q, type: number, scoring: {scoring}}}')
    assert reasons(standard, {"1/1": answer}) == [expected]


def test_unanswered_and_invalid_scored_questions_are_not_answered_yet():
    standard = one('{id: "1", text: Q, type: yes_no}')
    assert reasons(standard, {}) == ["1/1 is not answered yet"]
    # A stale option counts as missing in scoring, so here too.
    assert reasons(standard, {"1/1": "maybe"}) == ["1/1 is not answered yet"]


def test_only_the_answers_that_fall_short_are_named():
    standard = criteria(
        """
        - id: "1"
          title: Two
          level: bronze
          questions:
            - {id: "1", text: A, type: yes_no}
            - {id: "2", text: B, type: yes_partly_no}
            - {id: "3", text: C, type: yes_no}
            - {id: "4", text: Notes, type: text, validation: {required: false}}
        """
    )
    answers = {"1/1": "yes", "1/2": "partly"}
    assert reasons(standard, answers) == [
        '1/2 is "Partly": this criterion needs "Yes"',
        "1/3 is not answered yet",
    ]


def test_missing_required_evidence_is_a_reason_of_its_own():
    standard = one('{id: "1", text: Q, type: yes_no}', extra="evidence: {required: true}")
    result = score(standard, {}, {"1/1": "yes"}).criterion("1")
    assert result.status is Status.PARTLY_MET
    found = explain(standard, result, {}, {"1/1": "yes"})
    assert [(r.key, r.kind) for r in found] == [("1/evidence", ReasonKind.NO_EVIDENCE)]
    assert found[0].text == "Evidence is required but none is attached"
    assert reasons(standard, {"1/1": "no"}) == [
        '1/1 is "No": this criterion needs "Yes"',
        "Evidence is required but none is attached",
    ]
    assert reasons(standard, {"1/1": "yes", "1/evidence": ["7"]}) == []


def test_met_and_not_applicable_criteria_have_no_reasons():
    standard = one('{id: "1", text: Q, type: yes_no}')
    assert reasons(standard, {"1/1": "yes"}) == []
    gated = one(
        '{id: "1", text: Q, type: yes_no}',
        extra="applies_if: {profile: offers_under_16, equals: true}",
    )
    assert reasons(gated, {"1/1": "no"}, profile={"offers_under_16": False}) == []


def test_a_criterion_waiting_for_the_profile_blames_no_answer():
    gated = one(
        '{id: "1", text: Q, type: yes_no}',
        extra="applies_if: {profile: offers_under_16, equals: true}",
    )
    result = score(gated, {}, {"1/1": "no"}).criterion("1")
    assert result.status is Status.UNANSWERED and result.awaiting_profile
    assert explain(gated, result, {}, {"1/1": "no"}) == ()
    assert reasons(gated, {"1/1": "no"}, profile={"offers_under_16": True}) == [
        '1/1 is "No": this criterion needs "Yes"'
    ]


GATED = """
- id: "1"
  title: Virtual
  level: bronze
  questions:
    - {id: "1", text: Do you run virtual placements, type: yes_no, scored: false}
    - {id: "2", text: Online safety, type: yes_partly_no, show_if: {answer: "1/1", equals: "yes"}}
- id: "2"
  title: Follows
  level: bronze
  questions:
    - {id: "1", text: A, type: yes_no}
    - {id: "2", text: B, type: yes_no, show_if: {answer: "1/2", equals: "yes"}}
"""


def test_visibility_follows_scoring():
    standard = criteria(GATED)
    # A blank required gate keeps the criterion unanswered: the gate is what to answer.
    assert reasons(standard, {}) == ["1/1 is not answered yet"]
    assert reasons(standard, {"1/1": "yes"}) == ["1/2 is not answered yet"]
    # A hidden question is never named, even with a low answer stored for it.
    assert reasons(standard, {"2/2": "no"}, criterion="2") == ["2/1 is not answered yet"]
    # 2/2 is shown only once 1/2 (another criterion's question) is "yes".
    answers = {"1/1": "yes", "1/2": "yes", "2/1": "yes", "2/2": "no"}
    assert reasons(standard, answers, criterion="2") == ['2/2 is "No": this criterion needs "Yes"']
    answers["1/2"] = "partly"
    assert reasons(standard, answers, criterion="2") == []


def test_the_explainer_gives_the_same_reasons_for_each_criterion_of_an_assessment():
    profile = {"org_type": "acute_trust", "offers_under_16": True}
    answers = {"1.1/1": "yes", "1.3/1": "yes", "1.3/2": ["dates", "age_band"], "3.1/1": "partly"}
    result = score(WEQS, profile, answers)
    explainer = Explainer(WEQS, profile, answers, result.criteria)
    for c in result.criteria:
        assert explainer.reasons(c.id) == explain(WEQS, c, profile, answers)
    assert [r.text for r in explainer.reasons("1.3")] == [
        "1.3/2 has 2 selected: this criterion needs at least 5 of the listed options"
    ]
    assert explainer.reasons("3.1")[0].text == ('3.1/1 is "Partly": this criterion needs "Yes"')
