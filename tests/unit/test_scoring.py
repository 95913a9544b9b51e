"""score(): every answer type, combining questions, evidence, and answer checking for forms."""

from __future__ import annotations

import datetime as dt

import pytest

from accredit.domain.scoring.answers import check_answer, evidence_count, normalise
from accredit.domain.scoring.scoring import Status, score
from tests.unit.scoring_helpers import NO_PROFILE, one, status_of
from tests.unit.standard_yaml import criteria

# --- answer types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("yes", Status.MET),
        ("no", Status.NOT_MET),
        (None, Status.UNANSWERED),
        ("partly", Status.UNANSWERED),  # not an option of yes_no: treated as missing
        (True, Status.UNANSWERED),
        (["yes"], Status.UNANSWERED),
    ],
)
def test_yes_no(value, status):
    standard = one('{id: "1", text: Q, type: yes_no}')
    assert status_of(standard, {"1/1": value})[0] is status


@pytest.mark.parametrize(
    ("value", "status", "credit"),
    [("yes", Status.MET, 1.0), ("partly", Status.PARTLY_MET, 0.5), ("no", Status.NOT_MET, 0.0)],
)
def test_yes_partly_no(value, status, credit):
    standard = one('{id: "1", text: Q, type: yes_partly_no}')
    result = score(standard, NO_PROFILE, {"1/1": value}).criterion("1")
    assert (result.status, result.credit) == (status, credit)


def test_partly_credit_comes_from_the_readiness_rule():
    standard = one('{id: "1", text: Q, type: yes_partly_no}', readiness="partly_credit: 0.25")
    assert score(standard, NO_PROFILE, {"1/1": "partly"}).criterion("1").credit == 0.25


SINGLE = """{id: "1", text: Q, type: single_choice, options: [
    {value: full, label: Full, score: 1}, {value: some, label: Some, score: 0.4},
    {value: none, label: None, score: 0}]}"""


@pytest.mark.parametrize(
    ("value", "status", "score_"),
    [
        ("full", Status.MET, 1.0),
        ("some", Status.PARTLY_MET, 0.4),
        ("none", Status.NOT_MET, 0.0),
        ("other", Status.UNANSWERED, 0.0),
    ],
)
def test_single_choice_uses_option_scores(value, status, score_):
    result = score(one(SINGLE), NO_PROFILE, {"1/1": value}).criterion("1")
    assert (result.status, result.score) == (status, score_)


SUM = """{id: "1", text: Q, type: multiple_choice, options: [
    {value: travel, label: Travel, score: 0.34}, {value: uniform, label: Uniform, score: 0.33},
    {value: meals, label: Meals, score: 0.33}, {value: none, label: None, score: 0}]}"""


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (["travel", "uniform", "meals"], Status.MET),  # 0.34 + 0.33 + 0.33 counts as 1
        (("travel", "uniform", "meals", "none"), Status.MET),
        ({"travel"}, Status.PARTLY_MET),
        (["none"], Status.NOT_MET),
        ([], Status.NOT_MET),  # answered with nothing selected
        # An unknown option makes the whole selection missing, never a silent "nothing selected".
        (["x"], Status.UNANSWERED),
        (["travel", "unknown"], Status.UNANSWERED),
        (["travel", "uniform", "meals", "x"], Status.UNANSWERED),
        ("travel", Status.UNANSWERED),  # a bare string is not a selection
        ([1, 2], Status.UNANSWERED),
    ],
)
def test_multiple_choice_sum_is_capped_at_one(value, status):
    assert status_of(one(SUM), {"1/1": value})[0] is status


@pytest.mark.parametrize("value", [["x"], ["travel", "unknown"], ("meals", "")])
def test_multiple_choice_with_unknown_options_is_missing(value):
    question = one(SUM).question("1/1")
    assert normalise(question, value) is None
    result = score(one(SUM), NO_PROFILE, {"1/1": value}).criterion("1")
    assert (result.status, result.credit, result.missing) == (Status.UNANSWERED, 0.0, ("1/1",))
    assert check_answer(question, value) == "Select only the options listed"


def test_multiple_choice_thirds_add_up_to_met():
    standard = one(
        """{id: "1", text: Q, type: multiple_choice, options: [
        {value: a, label: A, score: 0.3333333}, {value: b, label: B, score: 0.3333333},
        {value: c, label: C, score: 0.3333334}]}"""
    )
    assert status_of(standard, {"1/1": ["a", "b", "c"]})[0] is Status.MET


COUNT = """{id: "1", text: Q, type: multiple_choice,
    scoring: {method: count, met_at_least: 2, partly_at_least: 1},
    options: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C},
              {value: none, label: None yet, score: 0}]}"""


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (["a", "b"], Status.MET),
        (["a", "b", "c"], Status.MET),
        (["c"], Status.PARTLY_MET),
        (["c", "none"], Status.PARTLY_MET),  # score 0 options are not counted
        (["none"], Status.NOT_MET),
    ],
)
def test_multiple_choice_count(value, status):
    assert status_of(one(COUNT), {"1/1": value})[0] is status


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (15, Status.MET),
        (100.5, Status.MET),
        (14.9, Status.PARTLY_MET),
        (4, Status.PARTLY_MET),
        (3, Status.NOT_MET),
        (0, Status.NOT_MET),
        ("15", Status.UNANSWERED),
        (True, Status.UNANSWERED),
        (float("nan"), Status.UNANSWERED),
        (float("inf"), Status.UNANSWERED),
    ],
)
def test_number_at_least(value, status):
    standard = one(
        '{id: "1", text: Hours, type: number, scoring: {met_at_least: 15, partly_at_least: 4}}'
    )
    assert status_of(standard, {"1/1": value})[0] is status


@pytest.mark.parametrize(
    ("value", "status"),
    [(2, Status.MET), (5, Status.MET), (8, Status.PARTLY_MET), (11, Status.NOT_MET)],
)
def test_number_at_most(value, status):
    standard = one(
        '{id: "1", text: Days, type: number, scoring: {met_at_most: 5, partly_at_most: 10}}'
    )
    assert status_of(standard, {"1/1": value})[0] is status


@pytest.mark.parametrize(
    ("kind", "value", "valid"),
    [
        ("date", dt.date(2025, 1, 2), True),
        ("date", dt.datetime(2025, 1, 2, 10, 0), True),
        ("date", "2025-01-02", True),
        ("date", "2025-02-30", False),
        ("text", "Head of education", True),
        ("text", "   ", False),
        ("url", "https://example.org/policy", True),
        ("url", "example.org", False),
        ("evidence", ["ev-1", "ev-2"], True),
        ("evidence", 2, True),
        ("evidence", [], False),
        ("evidence", 0, False),
    ],
)
def test_unscored_types_count_for_completeness_only(kind, value, valid):
    standard = criteria(
        f"""
        - id: "1"
          title: One
          level: bronze
          questions:
            - {{id: "1", text: Q, type: yes_no}}
            - {{id: "2", text: Detail, type: {kind}}}
        """
    )
    result = score(standard, NO_PROFILE, {"1/1": "yes", "1/2": value}).criterion("1")
    assert result.status is Status.MET
    assert result.missing == (() if valid else ("1/2",))
    assert result.complete is valid


def test_unscored_choice_question_does_not_count():
    standard = criteria(
        """
        - id: "1"
          title: One
          level: bronze
          questions:
            - {id: "1", text: Q, type: yes_no}
            - {id: "2", text: Which, type: yes_partly_no, scored: false}
        """
    )
    assert status_of(standard, {"1/1": "yes", "1/2": "no"})[0] is Status.MET


def test_number_without_scoring_is_informational():
    standard = criteria(
        """
        - id: "1"
          title: One
          level: bronze
          questions:
            - {id: "1", text: Q, type: yes_no}
            - {id: "2", text: How many, type: number, validation: {required: false}}
        """
    )
    result = score(standard, NO_PROFILE, {"1/1": "yes"}).criterion("1")
    assert (result.status, result.missing) == (Status.MET, ())


# --- combining questions --------------------------------------------------------------------------

TWO = """
- id: "1"
  title: Two questions
  level: bronze
  questions:
    - {id: "1", text: A, type: yes_no}
    - {id: "2", text: B, type: yes_partly_no}
"""


@pytest.mark.parametrize(
    ("answers", "status", "reason"),
    [
        ({}, Status.UNANSWERED, "Not answered yet"),
        ({"1/1": "yes", "1/2": "yes"}, Status.MET, "Met"),
        ({"1/1": "no", "1/2": "no"}, Status.NOT_MET, "Not met: 2 of 2 answers fall short"),
        (
            {"1/1": "yes", "1/2": "partly"},
            Status.PARTLY_MET,
            "Partly met: 1 of 2 answers falls short",
        ),
        ({"1/1": "yes"}, Status.PARTLY_MET, "Partly met: 1 question not answered yet"),
        (
            {"1/1": "no"},
            Status.NOT_MET,
            "Not met: 1 of 1 answer falls short; 1 question not answered yet",
        ),
    ],
)
def test_status_combines_question_scores(answers, status, reason):
    assert status_of(criteria(TWO), answers) == (status, reason)


def test_score_is_the_mean_with_missing_answers_as_zero():
    result = score(criteria(TWO), NO_PROFILE, {"1/1": "yes"}).criterion("1")
    assert result.score == 0.5
    assert result.missing == ("1/2",)


# --- evidence -------------------------------------------------------------------------------------

EVIDENCE = """
- id: "1"
  title: Policy
  level: bronze
  evidence: {required: true, examples: [The policy]}
  questions:
    - {id: "1", text: Is there a policy, type: yes_no}
    - {id: "2", text: Upload it, type: evidence, validation: {required: false}}
"""


@pytest.mark.parametrize(
    ("answers", "status", "evidence"),
    [
        ({"1/1": "yes"}, Status.PARTLY_MET, 0),
        ({"1/1": "yes", "1/evidence": ["ev-1"]}, Status.MET, 1),
        ({"1/1": "yes", "1/evidence": ["ev-1", "ev-1", "ev-2"]}, Status.MET, 2),
        ({"1/1": "yes", "1/evidence": 3}, Status.MET, 3),
        ({"1/1": "yes", "1/evidence": 0}, Status.PARTLY_MET, 0),
        ({"1/1": "yes", "1/evidence": ["", "  "]}, Status.PARTLY_MET, 0),
        ({"1/1": "yes", "1/evidence": "ev-1"}, Status.PARTLY_MET, 0),
        ({"1/1": "yes", "1/2": ["upload-9"]}, Status.MET, 1),
        ({"1/1": "yes", "1/2": ["u"], "1/evidence": 1}, Status.MET, 2),
    ],
)
def test_required_evidence(answers, status, evidence):
    result = score(criteria(EVIDENCE), NO_PROFILE, answers).criterion("1")
    assert (result.status, result.evidence) == (status, evidence)
    if status is Status.PARTLY_MET:
        assert result.reason == "Evidence is required but none is attached"
        assert "1/evidence" in result.missing


def test_evidence_not_required_for_met_when_the_rule_says_so():
    standard = criteria(EVIDENCE, readiness="evidence_required_for_met: false")
    assert status_of(standard, {"1/1": "yes"})[0] is Status.MET


def test_missing_evidence_is_mentioned_alongside_other_shortfalls():
    _, reason = status_of(criteria(EVIDENCE), {"1/1": "no"})
    assert reason == "Not met: 1 of 1 answer falls short; evidence is required but none is attached"


def test_evidence_count_accepts_lists_and_counts_only():
    assert evidence_count(["a", "b", "a"]) == 2
    assert evidence_count(("a",)) == 1
    assert evidence_count(4) == 4
    assert evidence_count(-2) == 0
    assert evidence_count(True) == 0
    assert evidence_count({"a": 1}) == 0


def test_answers_for_unknown_questions_are_ignored():
    standard = criteria(TWO)
    assert score(standard, {}, {"9/9": "yes", "1/1": "yes", "1/2": "yes"}).highest_level == "bronze"


# --- answer checking for forms -------------------------------------------------------------------


def test_check_answer_messages():
    standard = criteria(
        """
        - id: "1"
          title: Checks
          level: bronze
          questions:
            - {id: "1", text: Q, type: yes_no}
            - {id: "2", text: N, type: number, validation: {min: 0, max: 100}}
            - {id: "3", text: T, type: text, validation: {max_length: 5, required: false}}
            - {id: "4", text: M, type: multiple_choice, validation: {min: 1, max: 1},
               options: [{value: a, label: A, score: 1}, {value: b, label: B, score: 1}]}
            - {id: "5", text: U, type: url}
        """
    )
    q = standard.question
    assert check_answer(q("1/1"), "yes") is None
    assert check_answer(q("1/1"), None) == "Answer this question"
    assert check_answer(q("1/1"), "maybe") == "Select yes or no"
    assert check_answer(q("1/2"), 50) is None
    assert check_answer(q("1/2"), 101) == "Enter a number of at most 100"
    assert check_answer(q("1/2"), -1) == "Enter a number of at least 0"
    assert check_answer(q("1/2"), "ten") == "Enter a number"
    assert check_answer(q("1/3"), None) is None
    assert check_answer(q("1/3"), "toolong") == "Enter at most 5 characters"
    assert check_answer(q("1/4"), ["a"]) is None
    assert check_answer(q("1/4"), ["a", "b"]) == "Select at most 1"
    assert check_answer(q("1/4"), ["a", "z"]) == "Select only the options listed"
    assert (
        check_answer(q("1/5"), "ftp://x") == "Enter a web address starting with http:// or https://"
    )
    assert normalise(q("1/2"), 7) == 7


@pytest.mark.parametrize(
    "value", [10**400, -(10**400), float("nan"), float("-inf"), 1e308, [["x"]], {"a": 1}, object()]
)
def test_extreme_answers_and_profile_values_never_crash(value):
    standard = criteria(
        """
        - id: "1"
          title: Numbers drive what is shown
          level: bronze
          applies_if: {any: [{profile: staff, at_least: 1}, {profile: staff, at_most: 0}]}
          questions:
            - {id: "1", text: Staff, type: number, scoring: {met_at_least: 1}}
            - {id: "2", text: Q, type: yes_no, show_if: {answer: "1/1", at_least: 10}}
        """
    )
    result = score(standard, {"staff": value}, {"1/1": value, "1/2": value, "1/evidence": value})
    assert 0.0 <= result.percent <= 100.0
    result.to_dict()
