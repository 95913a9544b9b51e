"""The question-page runner, without Flask or a database: what a page holds, how a post merges
with what is stored, what it may save, what it reveals, what it still asks, and where it goes."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from accredit.domain.scoring import runner
from accredit.domain.scoring.runner import Action, Next, Posted, Step
from accredit.domain.scoring.scoring import score, visible_keys
from tests.unit.standard_yaml import build

STANDARD = build(
    """
    - id: first
      title: First
      criteria:
        - id: "1.1"
          title: A named lead
          level: bronze
          questions:
            - {id: "1", text: "Is there a named lead?", type: yes_no}
            - {id: "2", text: "Their job title", type: text, validation: {max_length: 200},
               show_if: {answer: "1.1/1", equals: yes}}
            - {id: "3", text: "Hours a week", type: number, validation: {min: 0, max: 40},
               show_if: {all: [{answer: "1.1/1", equals: yes},
                               {not: {profile: org_type, equals: other}}]}}
        - id: "1.2"
          title: Cover for the lead
          level: bronze
          questions:
            - {id: "1", text: "Who covers?", type: text, validation: {max_length: 200},
               show_if: {answer: "1.1/1", equals: no}}
            - {id: "2", text: "Is cover written down?", type: yes_partly_no}
        - id: "1.3"
          title: Under-16s
          level: bronze
          applies_if: {profile: offers_under_16, equals: true}
          questions:
            - {id: "1", text: "Is the DBS approach written down?", type: yes_no}
        - id: "1.4"
          title: Costs covered
          level: bronze
          questions:
            - id: "1"
              text: Which costs do you cover?
              type: multiple_choice
              options:
                - {value: travel, label: Travel, score: 1}
                - {value: meals, label: Meals, score: 0}
            - {id: "2", text: "Policy", type: evidence, validation: {required: false}}
    - id: second
      title: Second
      criteria:
        - id: "2.1"
          title: Reviewed
          level: bronze
          questions:
            - {id: "1", text: "When was it reviewed?", type: date}
            - {id: "2", text: "Is it approved?", type: yes_no}
    """
)
PROFILE: dict[str, object] = {"org_type": "acute_trust", "offers_under_16": False}


def _page(criterion_id: str, stored: Mapping[str, object], profile=PROFILE) -> runner.Page:
    shown = set(visible_keys(STANDARD, profile, stored))
    return runner.page_for(STANDARD.criterion(criterion_id), shown)


def _post(
    criterion_id: str,
    stored: Mapping[str, object],
    values: Mapping[str, object],
    *,
    problems: Mapping[str, str] | None = None,
    action: Action = Action.CONTINUE,
    scripted: bool = False,
    profile=PROFILE,
) -> runner.Outcome:
    """Post `values` (blanks filled in for the page's other questions) to the page as drawn
    from `stored`."""
    page = _page(criterion_id, stored, profile)
    sent = {key: values.get(key) for key in page.answer_keys()}
    posted = Posted(sent, problems or {}, action, scripted)
    return runner.post(STANDARD, profile, page, posted, stored)


def _next(criterion_id: str, answers: Mapping[str, object], outcome: runner.Outcome) -> Next:
    result = score(STANDARD, PROFILE, answers)
    return runner.next_page(STANDARD, result, criterion_id, outcome)


# --- What a page holds ------------------------------------------------------------------------


def test_questions_revealed_on_the_page_are_on_it_hidden_and_others_are_left_off():
    page = _page("1.1", {})
    assert [q.key for q in page.questions] == ["1.1/1", "1.1/2", "1.1/3"]
    assert page.drawn == {"1.1/1"}
    # 1.2/1 hangs on an answer on another page: this page cannot reveal it.
    cover = _page("1.2", {"1.1/1": "yes"})
    assert [q.key for q in cover.questions] == ["1.2/2"]
    assert [q.key for q in _page("1.2", {"1.1/1": "no"}).questions] == ["1.2/1", "1.2/2"]


def test_the_criterion_evidence_picker_is_on_pages_without_an_evidence_question():
    assert _page("1.1", {}).evidence_key == "1.1/evidence"
    assert _page("1.1", {}).answer_keys()[-1] == "1.1/evidence"
    assert _page("1.4", {}).evidence_key is None


# --- Merging ----------------------------------------------------------------------------------


def test_a_post_merges_over_the_stored_answers_and_a_blank_clears_one():
    stored = {"1.1/1": "yes", "1.1/2": "Lead nurse", "1.1/3": 4, "2.1/1": "2025-01-01"}
    outcome = _post("1.1", stored, {"1.1/1": "yes", "1.1/3": 6})
    assert outcome.merged == {"1.1/1": "yes", "1.1/3": 6, "2.1/1": "2025-01-01"}
    assert outcome.answers == {"1.1/1": "yes", "1.1/2": None, "1.1/3": 6, "1.1/evidence": None}
    assert outcome.refused is None


def test_only_this_page_s_answers_are_saved():
    outcome = _post("1.1", {"1.2/2": "yes"}, {"1.1/1": "no"})
    assert set(outcome.answers) <= {"1.1/1", "1.1/2", "1.1/3", "1.1/evidence"}
    assert outcome.merged["1.2/2"] == "yes"


# --- Visibility and refusing hidden answers ---------------------------------------------------


def test_an_answer_hidden_by_this_post_is_not_saved_and_its_problem_is_dropped():
    stored = {"1.1/1": "yes", "1.1/2": "Lead nurse"}
    outcome = _post(
        "1.1",
        stored,
        {"1.1/1": "no", "1.1/2": "Lead nurse"},
        problems={"1.1/3": "Enter a number"},
    )
    assert outcome.refused is None and outcome.errors == {}
    assert outcome.answers == {"1.1/1": "no", "1.1/evidence": None}


def test_an_answer_to_a_question_that_stays_hidden_is_refused():
    outcome = _post("1.1", {"1.1/1": "no"}, {"1.1/1": "no", "1.1/2": "Made up"})
    assert outcome.refused == "Their job title"
    assert outcome.answers == {} and outcome.errors == {}


def test_a_bad_value_for_a_hidden_question_is_refused_too():
    outcome = _post("1.1", {}, {"1.1/1": "no"}, problems={"1.1/3": "Enter a number"})
    assert outcome.refused == "Hours a week"


def test_a_question_the_profile_hides_is_refused_even_when_the_page_reveals_its_neighbour():
    other = {**PROFILE, "org_type": "other"}
    outcome = _post("1.1", {}, {"1.1/1": "yes", "1.1/3": 5}, profile=other)
    assert outcome.refused == "Hours a week"


# --- Revealed questions -----------------------------------------------------------------------


def test_without_the_script_revealed_questions_are_asked_again_not_errors():
    outcome = _post("1.1", {}, {"1.1/1": "yes"})
    assert outcome.revealed == {"1.1/2", "1.1/3"}
    assert outcome.errors == {}
    assert outcome.asks_again
    assert _next("1.1", outcome.merged, outcome) == Next(Step.ASK_AGAIN, "1.1")


def test_revealed_questions_already_answered_go_on():
    outcome = _post("1.1", {}, {"1.1/1": "yes", "1.1/2": "Lead nurse", "1.1/3": 3})
    assert outcome.revealed == {"1.1/2", "1.1/3"} and not outcome.asks_again
    assert _next("1.1", outcome.merged, outcome) == Next(Step.CRITERION, "1.2")


def test_with_the_script_the_revealed_questions_were_seen_so_they_are_required():
    outcome = _post("1.1", {}, {"1.1/1": "yes"}, scripted=True)
    assert outcome.revealed == frozenset()
    assert outcome.errors == {"1.1/2": "Answer this question", "1.1/3": "Answer this question"}


def test_saving_for_later_never_asks_again():
    outcome = _post("1.1", {}, {"1.1/1": "yes"}, action=Action.LATER)
    assert outcome.revealed and not outcome.asks_again
    assert _next("1.1", outcome.merged, outcome) == Next(Step.TASK_LIST, "")


# --- Required answers -------------------------------------------------------------------------


def test_continuing_needs_every_required_answer_in_its_component_s_words():
    assert _post("1.1", {}, {}).errors == {"1.1/1": "Select an answer"}
    assert _post("1.4", {}, {}).errors == {"1.4/1": "Select at least one option"}
    assert _post("2.1", {}, {"2.1/2": "yes"}).errors == {"2.1/1": "Enter a date"}


@pytest.mark.parametrize("action", [Action.LATER, Action.EVIDENCE])
def test_leaving_for_later_or_for_evidence_keeps_blanks_but_not_bad_values(action):
    assert _post("1.1", {}, {}, action=action).errors == {}
    bad = _post("1.2", {}, {}, action=action, problems={"1.2/2": "Select yes, partly or no"})
    assert bad.errors == {"1.2/2": "Select yes, partly or no"}


def test_a_bad_value_s_own_message_comes_before_required():
    outcome = _post("1.2", {}, {}, problems={"1.2/2": "Select yes, partly or no"})
    assert outcome.errors == {"1.2/2": "Select yes, partly or no"}


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("1.1/1", "Select an answer"),  # yes or no
        ("1.2/2", "Select an answer"),  # yes, partly or no
        ("1.4/1", "Select at least one option"),
        (
            "1.4/2",
            "Select evidence from your library (add it to the library first if it is not listed)",
        ),
        ("2.1/1", "Enter a date"),
        ("1.1/2", "Answer this question"),  # text
        ("1.1/3", "Answer this question"),  # number
    ],
)
def test_required_messages_follow_the_question_type(key, message):
    assert runner.required_message(STANDARD.question(key)) == message


# --- The next page ----------------------------------------------------------------------------


def test_continue_goes_to_the_next_criterion_skipping_those_that_do_not_apply():
    answers = {"1.2/2": "yes"}
    outcome = _post("1.2", {}, answers)
    assert outcome.errors == {}
    # 1.3 applies only to organisations offering under-16 placements.
    assert _next("1.2", outcome.merged, outcome) == Next(Step.CRITERION, "1.4")


def test_continue_from_the_last_asked_criterion_checks_the_section():
    outcome = _post("1.4", {}, {"1.4/1": ["travel"]})
    assert _next("1.4", outcome.merged, outcome) == Next(Step.CHECK_SECTION, "first")
    dated = _post("2.1", {}, {"2.1/1": "2025-03-01", "2.1/2": "yes"})
    assert _next("2.1", dated.merged, dated) == Next(Step.CHECK_SECTION, "second")


def test_adding_evidence_comes_back_to_the_same_page():
    outcome = _post("1.2", {}, {}, action=Action.EVIDENCE)
    assert _next("1.2", outcome.merged, outcome) == Next(Step.EVIDENCE, "1.2")


def test_an_unknown_or_missing_button_is_the_main_one():
    assert Action.named(None) is Action.CONTINUE
    assert Action.named("delete-everything") is Action.CONTINUE
    assert Action.named("later") is Action.LATER and Action.named("evidence") is Action.EVIDENCE
