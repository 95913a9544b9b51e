"""diff(old, new): what changed between two versions of a standard."""

from __future__ import annotations

from pathlib import Path

import pytest

from accredit.standards import load_standard, parse_standard
from accredit.standards.diff import diff
from tests.unit.standard_yaml import standard_text

BASE = """
- id: s
  title: Section
  criteria:
    - id: "1"
      title: Named lead
      guidance: Name one person.
      level: silver
      weight: 2
      questions:
        - {id: "1", text: Is there a lead, type: yes_no}
        - id: "2"
          text: Hours a week
          type: number
          scoring: {met_at_least: 10, partly_at_least: 2}
    - id: "2"
      title: Policy
      level: bronze
      mandatory: true
      evidence: {required: true}
      questions:
        - id: "1"
          text: Which
          type: single_choice
          options:
            - {value: a, label: A, score: 1}
            - {value: b, label: B, score: 0.5}
    - id: "3"
      title: Register
      level: bronze
      questions: [{id: "1", text: Is there a register, type: yes_no}]
    - id: "9"
      title: Sponsor
      level: silver
      questions: [{id: "1", text: Is there a sponsor, type: yes_no}]
"""
LEVELS = ("bronze", "silver")


def version(sections: str = BASE, number: str = "1", **options: object):
    text = standard_text(sections, levels=LEVELS, **options).replace(  # type: ignore[arg-type]
        'version: "1"', f'version: "{number}"'
    )
    return parse_standard(text, f"v{number}.yaml")


def changed(old: str, new: str, **options: object):
    assert old in BASE, old
    return diff(version(), version(BASE.replace(old, new, 1), "2", **options))


def test_identical_versions_have_no_changes():
    result = diff(version(), version(number="2"))
    assert result.empty
    assert result.render() == "test 1 -> test 2\nNo changes to criteria, levels or rules."


def test_added_and_removed_criteria():
    new = BASE.replace('- id: "3"\n      title: Register', '- id: "4"\n      title: Register')
    result = diff(version(), version(new, "2"))
    assert [c.id for c in result.added] == ["4"]
    assert [c.id for c in result.removed] == ["3"]
    text = result.render()
    assert "Added (1):\n  4 Register (bronze)" in text
    assert "Removed (1):\n  3 Register (bronze)" in text


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: Named lead", "title: A named lead", "title"),
        ("guidance: Name one person.", "guidance: Name a person.", "guidance"),
        ("text: Is there a lead", "text: Do you have a lead", "question 1 text"),
        ("label: B, score", "label: Bee, score", "question 1 option b label"),
    ],
)
def test_rewording(old, new, expected):
    result = changed(old, new)
    [change] = result.reworded
    assert expected in change.changes
    assert not result.stricter and not result.looser


@pytest.mark.parametrize(
    ("old", "new", "stricter", "expected"),
    [
        ("weight: 2", "weight: 2\n      mandatory: true", True, "became mandatory"),
        ("mandatory: true", "mandatory: false", False, "no longer mandatory"),
        ("level: silver", "level: bronze", True, "moved from silver to bronze"),
        ("weight: 2", "weight: 3", True, "weight 2 -> 3"),
        ("weight: 2", "weight: 1.5", False, "weight 2 -> 1.5"),
        (
            "evidence: {required: true}",
            "evidence: {required: false}",
            False,
            "evidence no longer required",
        ),
        ("met_at_least: 10", "met_at_least: 12", True, "question 2 met_at_least 10 -> 12"),
        ("partly_at_least: 2", "partly_at_least: 1", False, "question 2 partly_at_least 2 -> 1"),
        (
            "label: B, score: 0.5",
            "label: B, score: 0.25",
            True,
            "question 1 option b score 0.5 -> 0.25",
        ),
    ],
)
def test_stricter_and_looser(old, new, stricter, expected):
    result = changed(old, new)
    bucket = result.stricter if stricter else result.looser
    other = result.looser if stricter else result.stricter
    [change] = bucket
    assert expected in change.changes
    assert not other


def test_evidence_newly_required_is_stricter():
    new = BASE.replace(
        "      title: Register\n", "      title: Register\n      evidence: {required: true}\n"
    )
    result = diff(version(), version(new, "2"))
    assert result.stricter[0].changes == ("evidence now required",)


def test_other_changes():
    new = BASE.replace(
        'questions: [{id: "1", text: Is there a register, type: yes_no}]',
        "applies_if: {profile: offers_under_16, equals: true}\n"
        '      questions: [{id: "2", text: Is there a register, type: yes_partly_no}]',
    )
    result = diff(version(), version(new, "2"))
    [change] = result.other
    assert change.criterion_id == "3"
    assert change.changes == (
        "now applies to: offers_under_16 is true",
        "question 1 removed",
        "question 2 added",
    )


def test_standard_wide_changes():
    new = version(
        number="2",
        thresholds={"bronze": 85, "silver": 70},
        readiness="partly_meets_mandatory: true\npartly_credit: 0.25",
    )
    result = diff(version(), new)
    assert result.standard == (
        "stricter: level bronze threshold 80 -> 85",
        "looser: level silver threshold 80 -> 70",
        "looser: readiness partly_meets_mandatory false -> true",
        "stricter: readiness partly_credit 0.5 -> 0.25",
    )
    assert "Standard (4):" in result.render()


def test_render_lists_every_group():
    result = changed("weight: 2", "weight: 3")
    assert result.render() == ("test 1 -> test 2\nStricter (1):\n  1 Named lead: weight 2 -> 3")


FIXTURE = Path(__file__).parent / "fixtures" / "weqs-2026-changed.yaml"
SHIPPED = Path(__file__).parents[2] / "standards" / "weqs" / "2026.1.yaml"


@pytest.mark.skipif(not (FIXTURE.exists() and SHIPPED.exists()), reason="needs the WEQS content")
def test_changed_copy_of_weqs():
    result = diff(load_standard(SHIPPED), load_standard(FIXTURE, check_location=False))
    assert [c.id for c in result.added] == ["6.9"]
    assert [c.id for c in result.removed] == ["5.3"]
    assert [c.criterion_id for c in result.reworded] == ["4.5"]
    stricter = {c.criterion_id: c.changes for c in result.stricter}
    assert stricter == {"2.3": ("became mandatory",), "7.3": ("moved from silver to bronze",)}
    assert not result.looser
