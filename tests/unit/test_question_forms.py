"""Question forms built from standards: every question type, from the mini fixture and WEQS."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from accredit.domain.scoring.runner import required_problems
from accredit.domain.scoring.scoring import visible_keys
from accredit.domain.scoring.standard import QuestionType
from accredit.forms.assessments.questions import build_page, fill, read
from accredit.standards.loader import load_standard

ROOT = Path(__file__).resolve().parents[2]
MINI = load_standard(ROOT / "tests/unit/fixtures/mini.yaml", check_location=False)
WEQS = load_standard(ROOT / "standards/weqs/2026.1.yaml")
COMPONENTS = {
    QuestionType.YES_NO: "radios",
    QuestionType.YES_PARTLY_NO: "radios",
    QuestionType.SINGLE_CHOICE: "radios",
    QuestionType.MULTIPLE_CHOICE: "checkboxes",
    QuestionType.NUMBER: "number",
    QuestionType.DATE: "date",
    QuestionType.URL: "url",
    QuestionType.EVIDENCE: "evidence",
}
EVIDENCE = [("7", "Policy"), ("9", "Minutes")]


def _all_shown(criterion):
    return {q.key for q in criterion.questions}


@pytest.mark.parametrize("standard", [MINI, WEQS], ids=["mini", "weqs"])
def test_every_question_of_every_criterion_gets_its_component(standard):
    seen = set()
    for criterion in standard.criteria:
        page = build_page(criterion, _all_shown(criterion), EVIDENCE)
        assert [pq.question for pq in page.questions] == list(criterion.questions)
        form = page.form_class()
        for pq in page.questions:
            kind = pq.question.type
            seen.add(kind)
            if kind is QuestionType.TEXT:
                assert pq.component in ("input", "textarea")
            else:
                assert pq.component == COMPONENTS[kind]
            names = [f"{pq.name}-day", f"{pq.name}-month", f"{pq.name}-year"]
            assert all(n in form for n in names) if kind is QuestionType.DATE else pq.name in form
            if pq.component in ("radios", "checkboxes"):
                values = [c.value for c in form[pq.name].choices]
                assert values == [o.value for o in pq.question.options]
    assert seen == set(QuestionType)


def test_round_trip_of_each_type_through_the_form():
    criterion = WEQS.criterion("1.2")  # yes/partly/no, yes/no, date, evidence
    page = build_page(criterion, _all_shown(criterion), EVIDENCE)
    answers = {"1.2/1": "partly", "1.2/2": "yes", "1.2/3": "2025-03-27", "1.2/4": ["9"]}
    data = fill(page, answers)
    assert data["q3-day"] == "27" and data["q3-month"] == "3" and data["q3-year"] == "2025"
    posted = MultiDict()
    for name, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            posted.add(name, v)
    reading = read(page, page.form_class(posted))
    assert reading.problems == {} and reading.values == answers


def test_numbers_dates_and_urls_are_parsed_or_explained():
    number_criterion = next(
        c for c in WEQS.criteria if any(q.type is QuestionType.NUMBER for q in c.questions)
    )
    page = build_page(number_criterion, _all_shown(number_criterion))
    number = next(pq for pq in page.questions if pq.question.type is QuestionType.NUMBER)
    reading = read(page, page.form_class(MultiDict({number.name: " 42.5 "})))
    assert reading.values[number.question.key] == 42.5
    reading = read(page, page.form_class(MultiDict({number.name: "1,000"})))
    assert reading.problems[number.question.key] == "Enter a number of at most 100"
    reading = read(page, page.form_class(MultiDict({number.name: "lots"})))
    assert reading.problems[number.question.key] == "Enter a number"

    date_page = build_page(WEQS.criterion("1.2"), _all_shown(WEQS.criterion("1.2")))
    bad = MultiDict({"q3-day": "31", "q3-month": "2", "q3-year": "2026"})
    assert read(date_page, date_page.form_class(bad)).problems["1.2/3"] == "Enter a real date"

    url_criterion = next(
        c for c in WEQS.criteria if any(q.type is QuestionType.URL for q in c.questions)
    )
    url_page = build_page(url_criterion, _all_shown(url_criterion))
    url = next(pq for pq in url_page.questions if pq.question.type is QuestionType.URL)
    reading = read(url_page, url_page.form_class(MultiDict({url.name: "www.example.org"})))
    assert reading.problems[url.question.key].startswith("Enter a web address")


def test_unknown_options_are_problems_not_answers():
    criterion = WEQS.criterion("1.3")
    page = build_page(criterion, _all_shown(criterion))
    reading = read(
        page, page.form_class(MultiDict([("q1", "sometimes"), ("q2", "dates"), ("q2", "x")]))
    )
    assert reading.problems == {
        "1.3/1": "Select yes, partly or no",
        "1.3/2": "Select only the options listed",
    }


def test_conditional_questions_are_on_the_page_hidden_with_a_reveal_rule():
    criterion = WEQS.criterion("1.1")
    shown = set(visible_keys(WEQS, {}, {}))
    page = build_page(criterion, shown)
    by_key = {pq.question.key: pq for pq in page.questions}
    assert by_key["1.1/1"].shown and not by_key["1.1/2"].shown
    assert by_key["1.1/2"].reveal == '{"field":"q1","op":"equals","value":"yes"}'
    problems = required_problems(page.layout, {"1.1/1": "yes", "1.1/2": None}, shown | {"1.1/2"})
    assert problems == {"1.1/2": "Answer this question"}


def test_criteria_without_an_evidence_question_get_the_evidence_picker():
    assert build_page(WEQS.criterion("1.1"), set(), EVIDENCE).evidence_key == "1.1/evidence"
    assert build_page(WEQS.criterion("1.2"), set(), EVIDENCE).evidence_key is None
