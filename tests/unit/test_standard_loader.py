"""Loading standard files: the happy path, the Standard helpers, and every kind of problem."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from accredit.domain.scoring.conditions import AllOf, AnswerCondition, Not, ProfileCondition
from accredit.domain.scoring.standard import QuestionType, StandardStatus
from accredit.standards import (
    Problem,
    StandardFileError,
    content_hash,
    load_standard,
    parse_standard,
)
from tests.unit.standard_yaml import criteria, standard_text

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"

VALID = standard_text(
    """
    - id: commitment
      title: Commitment
      criteria:
        - id: "1.1"
          title: Named lead
          level: bronze
          mandatory: true
          weight: 2
          questions:
            - {id: "1", text: Is there a lead, type: yes_no}
            - id: "2"
              text: Job title
              type: text
              show_if: {answer: "1.1/1", equals: yes}
        - id: "1.2"
          title: Budget
          level: silver
          applies_if: {profile: offers_under_16, equals: true}
          questions:
            - id: "1"
              text: Hours a week
              type: number
              scoring: {met_at_least: 10, partly_at_least: 2}
        - id: "1.3"
          title: Outreach
          level: silver
          questions:
            - id: "1"
              text: Which groups
              type: multiple_choice
              options:
                - {value: care, label: Care experienced, score: 0.5}
                - {value: deprived, label: Deprived areas, score: 0.5}
    """,
    levels=("bronze", "silver"),
)


def problems_of(text: str | bytes, source: str = "test.yaml") -> list[Problem]:
    with pytest.raises(StandardFileError) as caught:
        parse_standard(text, source)
    assert caught.value.problems, "a StandardFileError always lists its problems"
    return caught.value.problems


def messages(text: str | bytes) -> str:
    return "\n".join(str(p) for p in problems_of(text))


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


# --- the happy path ---------------------------------------------------------------------------


def test_mini_fixture_loads_with_every_part():
    standard = load_standard(MINI, check_location=False)
    assert (standard.id, standard.version) == ("mini", "1.0")
    assert standard.status is StandardStatus.PUBLISHED
    assert standard.effective == dt.date(2026, 4, 1)
    assert [lv.id for lv in standard.levels] == ["bronze", "silver", "gold"]
    assert standard.readiness.partly_credit == 0.5
    assert standard.readiness.partly_meets_mandatory is False
    assert [c.id for c in standard.criteria][:3] == ["1.1", "1.2", "1.3"]
    assert standard.source == str(MINI)


def test_standard_helpers_index_by_id():
    standard = parse_standard(VALID, "valid.yaml")
    assert standard.criterion("1.2").title == "Budget"
    assert standard.question("1.1/2").type is QuestionType.TEXT
    assert standard.level("silver").name == "Silver"
    assert [lv.id for lv in standard.levels_up_to("silver")] == ["bronze", "silver"]
    assert [lv.id for lv in standard.levels_up_to("bronze")] == ["bronze"]
    assert standard.section("commitment").criteria[0].id == "1.1"
    assert standard.criterion("1.1").evidence_key == "1.1/evidence"
    assert standard.criterion("1.1").question("2").key == "1.1/2"
    assert standard.profile_field("org_type").options[0].value == "acute_trust"
    for missing in (
        lambda: standard.criterion("9.9"),
        lambda: standard.question("1.1/9"),
        lambda: standard.level("platinum"),
        lambda: standard.section("nope"),
    ):
        with pytest.raises(KeyError):
            missing()


def test_yes_no_questions_get_built_in_options():
    standard = parse_standard(VALID)
    options = standard.question("1.1/1").options
    assert [(o.value, o.score) for o in options] == [("yes", 1.0), ("no", 0.0)]


def test_conditions_are_typed_by_what_they_compare():
    standard = parse_standard(VALID)
    assert standard.criterion("1.2").applies_if == ProfileCondition(
        "offers_under_16", "equals", True
    )
    # `yes` in YAML is a boolean, but compared with a yes/no answer it is the text "yes".
    assert standard.question("1.1/2").show_if == AnswerCondition("1.1/1", "equals", "yes")
    mini = load_standard(MINI, check_location=False)
    show_if = mini.question("9.1/2").show_if
    assert isinstance(show_if, AllOf)
    assert isinstance(show_if.conditions[1], Not)


def test_ids_are_read_verbatim_not_as_numbers():
    standard = criteria(
        """
        - id: 3.10
          title: Ten
          level: bronze
          questions:
            - {id: 1, text: Q, type: yes_no}
        """
    )
    assert standard.criteria[0].id == "3.10"
    assert standard.question("3.10/1").id == "1"


def test_yes_no_options_may_be_rescored_but_not_renamed():
    standard = criteria(
        """
        - id: "1"
          title: Learners never replace staff
          level: bronze
          questions:
            - id: "1"
              text: Do learners ever cover for staff
              type: yes_no
              options: [{value: no, label: "No, never", score: 1}, {value: yes, score: 0}]
        """
    )
    options = standard.question("1/1").options
    assert [(o.value, o.label, o.score) for o in options] == [
        ("yes", "Yes", 0.0),
        ("no", "No, never", 1.0),
    ]


def test_content_hash_is_sha256_of_canonical_text():
    standard = parse_standard(VALID)
    assert standard.content_hash == hashlib.sha256(VALID.encode()).hexdigest()
    assert content_hash(VALID.replace("\n", "\r\n")) == standard.content_hash
    assert content_hash("\ufeff" + VALID) == standard.content_hash
    assert content_hash(VALID + "# comment\n") != standard.content_hash
    assert standard.short_hash == standard.content_hash[:12]


def test_parsing_the_same_text_twice_uses_the_cache():
    assert parse_standard(VALID, "a.yaml") is parse_standard(VALID, "a.yaml")


def test_bytes_are_decoded_as_utf8():
    assert parse_standard(VALID.encode(), "b.yaml").id == "test"


# --- problems ----------------------------------------------------------------------------------

BROKEN = [
    # (what to replace, replacement, expected message fragment)
    ("type: yes_no}", "type: yesno}", "type 'yesno' is not one of yes_no, yes_partly_no"),
    (
        "status: draft",
        "status: final",
        "status 'final' is not one of draft, published, superseded, retired",
    ),
    ("effective: 2026-01-01", "effective: 2026-13-01", "expected a date written YYYY-MM-DD"),
    ("weight: 2", "weight: 0", "weight: must be greater than 0"),
    ("weight: 2", "weight: -3", "weight: must be greater than 0"),
    ("weight: 2", "weight: heavy", "weight: expected a number"),
    ("weight: 2", 'weight: "2"', "(remove the quotes)"),
    ("weight: 2", "weight: 1" + "0" * 5000, "out of range"),
    ("threshold: 80}\n  - {id: silver", "threshold: 101}\n  - {id: silver", "between 0 and 100"),
    ("Care experienced, score: 0.5}", "Care experienced, score: 1.5}", "between 0 and 1"),
    ("mandatory: true", "mandatory: maybe", "expected true or false"),
    ("title: Named lead", "title: 123", "expected text, got a number '123' (put it in quotes)"),
    ("title: Named lead", "titel: Named lead", "unknown key 'titel'"),
    (
        "level: bronze\n        mandatory",
        "level: platinum\n        mandatory",
        "level 'platinum' is not one of bronze, silver",
    ),
    ('- id: "1.2"', '- id: "1.1"', "duplicate criterion id '1.1'"),
    (
        '{id: "1", text: Is there a lead',
        '{id: "2", text: Is there a lead',
        "duplicate question id '2'",
    ),
    ("value: deprived", "value: care", "duplicate option 'care'"),
    (
        '{id: "1", text: Is there a lead',
        "{id: evidence, text: Is there a lead",
        "'evidence' is reserved",
    ),
    ("equals: yes}", "equals: maybe}", "value for question 1.1/1: 'maybe' is not one of yes, no"),
    ('answer: "1.1/1"', 'answer: "1.3/1"', "answer '1.3/1' is not an earlier question"),
    ('answer: "1.1/1"', 'answer: "1.1/2"', "a question cannot depend on its own answer"),
    ("offers_under_16, equals: true", "offers_under_16, equals: 1", "expected true or false"),
    (
        "offers_under_16, equals: true",
        "under_16s, equals: true",
        "unknown profile field 'under_16s'",
    ),
    (
        "offers_under_16, equals: true",
        "offers_under_16, at_least: 1",
        "'at_least' cannot be used with boolean",
    ),
    (
        "{profile: offers_under_16, equals: true}",
        '{answer: "1.1/1", equals: yes}',
        "applies_if may only refer to profile fields",
    ),
    (
        "{profile: offers_under_16, equals: true}",
        "{profile: offers_under_16}",
        "needs exactly one of equals",
    ),
    ("{profile: offers_under_16, equals: true}", "{all: []}", "must not be empty"),
    (
        "{profile: offers_under_16, equals: true}",
        "{all: [{profile: offers_under_16, equals: true}, "
        "{profile: offers_under_16, equals: false}]}",
        "can never be true",
    ),
    (
        "{profile: offers_under_16, equals: true}",
        "{profile: org_type, equals: hospital}",
        "'hospital' is not one of acute_trust",
    ),
    (
        "{profile: offers_under_16, equals: true}",
        "{profile: staff, at_least: many}",
        "expected a number",
    ),
    ("{profile: offers_under_16, equals: true}", "[offers_under_16]", "expected a condition"),
    (
        "scoring: {met_at_least: 10, partly_at_least: 2}",
        "scoring: {met_at_least: 10, partly_at_least: 20}",
        "partly_at_least must be below met_at_least",
    ),
    (
        "scoring: {met_at_least: 10, partly_at_least: 2}",
        "scoring: {partly_at_least: 2}",
        "exactly one of met_at_least or met_at_most",
    ),
    ("scoring: {met_at_least: 10, partly_at_least: 2}", "scored: true", "needs a scoring block"),
    (
        "type: text\n",
        "type: text\n            scoring: {met_at_least: 1}\n",
        "scoring is only for number and multiple_choice",
    ),
    (
        "type: text\n",
        "type: text\n            options: [{value: a, label: A}]\n",
        "options are only allowed on choice questions",
    ),
    (
        "type: text\n",
        "type: text\n            validation: {min: 3}\n",
        "min only applies to number and multiple_choice",
    ),
    ("type: text\n", "type: text\n            scored: true\n", "text questions cannot be scored"),
    ("Deprived areas, score: 0.5}", "Deprived areas, score: 0.25}", "can never be fully met"),
    (
        '{id: "1", text: Is there a lead, type: yes_no}',
        '{id: "1", text: Is there a lead, type: yes_no, scored: false}',
        "has no scored question",
    ),
    ('colour: "#A0522D"', "colour: red", "colour 'red' must be written #RRGGBB"),
    ("  - {id: silver", "  - {id: silver, id: gold", "duplicate key 'id'"),
    ('version: "1"', 'version: "1 final"', "version '1 final' must match"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN, ids=[b[2][:40] for b in BROKEN])
def test_each_problem_is_reported(old, new, expected):
    assert old in VALID, old
    text = VALID.replace(old, new, 1)
    assert expected in messages(text)


def test_problem_str_has_source_line_path_and_message():
    text = VALID.replace("type: yes_no}", "type: yesno}")
    [problem] = problems_of(text, "standards/weqs/2026.yaml")
    assert problem.line == line_of(text, "type: yesno")
    assert str(problem) == (
        f"standards/weqs/2026.yaml:{problem.line}: criteria 1.1, question 1: type 'yesno' is not "
        "one of yes_no, yes_partly_no, single_choice, multiple_choice, number, date, text, url, "
        "evidence"
    )


def test_every_problem_is_collected_in_line_order():
    text = (
        VALID.replace("type: yes_no}", "type: yesno}")
        .replace("weight: 2", "weight: -1")
        .replace("status: draft", "status: final")
        .replace("threshold: 80}\n  - {id: silver", "threshold: 180}\n  - {id: silver")
    )
    problems = problems_of(text)
    assert len(problems) == 4
    lines = [p.line for p in problems]
    assert lines == sorted(lines)
    assert problems[0].path == "status"


def test_level_without_criteria_is_unreachable():
    text = standard_text(
        """
        - id: s
          title: S
          criteria:
            - id: "1"
              title: One
              level: bronze
              questions: [{id: "1", text: Q, type: yes_no}]
        """,
        levels=("bronze", "silver"),
    )
    assert "level silver: has no criteria, so it can never be achieved" in messages(text)


def test_missing_required_keys_are_all_listed():
    found = messages("id: x\n")
    for key in ("title", "version", "status", "effective", "profile_fields", "levels", "sections"):
        assert f"missing required key '{key}'" in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "file is empty"),
        ("# only a comment\n", "file is empty"),
        ("- a\n- b\n", "expected a mapping"),
        ("just text", "expected a mapping"),
        ("a: [1, 2\n", "not valid YAML"),
        ("a: 1\n---\nb: 2\n", "not valid YAML"),
        ("\x00\x01", "not valid YAML: character #x0000 is not allowed"),
        ("a: &anchor 1\nb: *anchor\n", "anchors and aliases (&, *) are not supported"),
        ("[" * 3000 + "]" * 3000, "nested too deeply"),
        ("? [a, b]\n: 1\n", "keys must be plain words"),
        ("id: !!python/object:os.system x\n", "standard id must be a single word"),
        (b"\xff\xfe\x00\x01", "not UTF-8 text"),
    ],
)
def test_garbage_gives_problems_not_exceptions(text, expected):
    assert expected in messages(text)


def test_billion_laughs_is_refused_quickly():
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    assert "anchors and aliases" in messages(lol)


def test_condition_nesting_is_bounded():
    deep = "{not: " * 40 + "{profile: offers_under_16, equals: true}" + "}" * 40
    text = VALID.replace("{profile: offers_under_16, equals: true}", deep)
    assert "nested more than" in messages(text)
