"""Answers the service already knows: the `answered_by` key in standard files, the facts (when an
activity return is due), the answers they give and how they score."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from accredit.domain.scoring.known_answers import (
    Cycle,
    ServiceFacts,
    known_answers,
    return_due,
    return_year,
)
from accredit.domain.scoring.results import Status
from accredit.domain.scoring.scoring import score
from accredit.domain.scoring.standard import ServiceFact
from accredit.standards import StandardFileError, parse_standard
from accredit.standards.diff import diff
from tests.unit.standard_yaml import standard_text

#: The shape WEQS 2026.2's 9.1 is written in.
RETURN_CRITERION = """
- id: evaluation
  title: Evaluation
  criteria:
    - id: "9.1"
      title: The annual activity return for the last financial year is submitted
      level: bronze
      mandatory: true
      questions:
        - id: "1"
          text: Was an activity return due for the last financial year?
          type: yes_no
          scored: false
          answered_by: activity_return_due
        - id: "2"
          text: Has your organisation submitted its activity return for the last financial year?
          type: yes_no
          answered_by: activity_return_submitted
          show_if: {answer: "9.1/1", equals: "yes"}
    - id: "9.2"
      title: Feedback is analysed
      level: bronze
      questions:
        - {id: "1", text: "Is feedback analysed?", type: yes_no}
"""


def _standard(sections: str = RETURN_CRITERION, number: str = "1"):
    text = standard_text(sections).replace('version: "1"', f'version: "{number}"')
    return parse_standard(text, f"v{number}.yaml")


def _problems(text: str) -> list:
    with pytest.raises(StandardFileError) as caught:
        parse_standard(text, "test.yaml")
    return caught.value.problems


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


# --- the standard file --------------------------------------------------------------------


def test_answered_by_names_the_fact_on_the_question():
    standard = _standard()
    assert standard.question("9.1/1").answered_by is ServiceFact.ACTIVITY_RETURN_DUE
    assert standard.question("9.1/2").answered_by is ServiceFact.ACTIVITY_RETURN_SUBMITTED
    assert standard.question("9.2/1").answered_by is None
    assert [q.key for q in standard.answered_by_service] == ["9.1/1", "9.1/2"]


def test_an_unknown_fact_is_a_problem_on_its_line():
    text = standard_text(RETURN_CRITERION).replace(
        "answered_by: activity_return_submitted", "answered_by: activity_return_sent"
    )
    [problem] = _problems(text)
    assert problem.line == _line_of(text, "activity_return_sent")
    assert str(problem) == (
        f"test.yaml:{problem.line}: criteria 9.1, question 2: answered_by "
        "'activity_return_sent' is not one of activity_return_due, activity_return_submitted"
    )


@pytest.mark.parametrize(
    "kind", ["yes_partly_no", "text", "number", "date", "url", "evidence", "multiple_choice"]
)
def test_only_yes_no_questions_may_be_answered_by_the_service(kind):
    plain = '        - {id: "1", text: "Is feedback analysed?", type: yes_no}'
    options = ", options: [{value: a, label: A, score: 1}]" if kind == "multiple_choice" else ""
    extra = (
        f'\n        - {{id: "2", text: Notes, type: {kind}, '
        f"answered_by: activity_return_due{options}}}"
    )
    assert plain in RETURN_CRITERION
    text = standard_text(RETURN_CRITERION.replace(plain, plain + extra))
    [problem] = _problems(text)
    assert problem.line == _line_of(text, "text: Notes")
    assert f"answered_by is only for yes_no questions, not {kind}" in str(problem)


def test_answered_by_must_be_a_name():
    text = standard_text(RETURN_CRITERION).replace(
        "answered_by: activity_return_due", "answered_by: [activity_return_due]"
    )
    assert "answered_by" in str(_problems(text)[0])


def test_a_changed_answered_by_is_a_change():
    typed = RETURN_CRITERION.replace("          answered_by: activity_return_submitted\n", "")
    result = diff(_standard(typed), _standard(number="2"))
    [change] = result.other
    assert change.criterion_id == "9.1"
    assert change.changes == ("question 2 now answered by the service (activity_return_submitted)",)
    back = diff(_standard(), _standard(typed, "2"))
    assert back.other[0].changes == ("question 2 now typed",)


def test_every_fact_is_described():
    for fact in ServiceFact:
        assert fact.description


# --- when a return is due ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "year"),
    [
        (date(2026, 4, 1), 2025),  # the first day of 2026 to 2027: 2025 to 2026 has ended
        (date(2026, 3, 31), 2024),  # the last day of 2025 to 2026: that year has not ended
        (date(2026, 12, 7), 2025),
    ],
)
def test_the_return_asked_about_is_for_the_last_year_that_had_ended(started, year):
    assert return_year(started) == year


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T10:00:00")


def test_a_first_cycle_owes_no_return():
    assert return_due(2025, []) is False


def test_an_earlier_cycle_active_during_the_year_makes_it_due():
    cycle = Cycle.of(_at("2025-06-01"), _at("2025-09-30"))
    assert return_due(2025, [cycle]) is True
    assert return_due(2024, [cycle]) is False
    assert return_due(2026, [cycle]) is False


def test_the_years_edges_are_april_to_march():
    ends_in_march = Cycle.of(_at("2024-10-01"), _at("2025-03-31"))
    assert return_due(2024, [ends_in_march]) is True
    assert return_due(2025, [ends_in_march]) is False
    starts_in_april = Cycle.of(_at("2026-04-01"), _at("2026-05-01"))
    assert return_due(2025, [starts_in_april]) is False
    assert return_due(2026, [starts_in_april]) is True


def test_an_award_standing_during_the_year_makes_it_due():
    # Assessed in 2024 to 2025, awarded for two years: in the programme all through 2025 to 2026.
    awarded = Cycle.of(_at("2024-06-01"), _at("2024-11-01"), date(2026, 11, 1))
    assert return_due(2025, [awarded]) is True
    assert return_due(2027, [awarded]) is False


def test_an_award_ended_early_stands_only_until_it_ended():
    withdrawn = Cycle.of(_at("2023-06-01"), _at("2023-11-01"), date(2025, 11, 1), _at("2024-02-01"))
    assert return_due(2023, [withdrawn]) is True
    assert return_due(2024, [withdrawn]) is False


def test_coming_back_after_years_away_owes_no_return():
    long_ago = Cycle.of(_at("2019-06-01"), _at("2019-12-01"), date(2021, 12, 1))
    assert return_due(2025, [long_ago]) is False


# --- the answers they give and how they score ----------------------------------------------


@pytest.mark.parametrize(
    ("due", "submitted", "answers", "status"),
    [
        (False, False, {"9.1/1": "no", "9.1/2": "no"}, Status.NOT_APPLICABLE),
        (False, True, {"9.1/1": "no", "9.1/2": "yes"}, Status.NOT_APPLICABLE),
        (True, True, {"9.1/1": "yes", "9.1/2": "yes"}, Status.MET),
        (True, False, {"9.1/1": "yes", "9.1/2": "no"}, Status.NOT_MET),
    ],
)
def test_the_facts_answer_the_questions(due, submitted, answers, status):
    standard = _standard()
    known = known_answers(standard, ServiceFacts(2025, due, submitted))
    assert known == answers
    result = score(standard, {}, {**known, "9.2/1": "yes"})
    assert result.criterion("9.1").status is status


def test_a_first_cycle_can_reach_bronze_without_a_return():
    standard = _standard()
    known = known_answers(standard, ServiceFacts(2025, False, False))
    assert score(standard, {}, {**known, "9.2/1": "yes"}).highest_level == "bronze"
    owed = known_answers(standard, ServiceFacts(2025, True, False))
    assert score(standard, {}, {**owed, "9.2/1": "yes"}).highest_level is None


def test_a_standard_without_answered_by_knows_nothing():
    plain = _standard(RETURN_CRITERION.replace("answered_by", "# answered_by"))
    assert known_answers(plain, ServiceFacts(2025, True, True)) == {}


def test_the_question_page_has_no_field_for_them():
    from accredit.forms.assessments.questions import QuestionPageForm, build_page

    standard = _standard()
    criterion = standard.criterion("9.1")
    built = build_page(criterion, {"9.1/1", "9.1/2"})
    assert built.questions == ()
    assert built.answer_keys() == ["9.1/evidence"]
    controls = set(QuestionPageForm()._fields)  # base, action, scripted: never answers
    assert set(built.form_class()._fields) - controls == {"evidence"}
