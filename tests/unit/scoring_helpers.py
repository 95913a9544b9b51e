"""Shared helpers for the scoring tests."""

from __future__ import annotations

from pathlib import Path

from accredit.domain.scoring.scoring import score
from accredit.domain.scoring.standard import Standard
from accredit.standards import load_standard, parse_standard
from tests.unit.standard_yaml import criteria

ROOT = Path(__file__).resolve().parents[2]
#: The shipped standard, so that tests can check real content as well as inline examples.
WEQS_PATH = ROOT / "standards" / "weqs" / "2026.1.yaml"
WEQS = load_standard(WEQS_PATH)


def variant(*replacements: tuple[str, str]) -> Standard:
    """The shipped text with readiness keys changed (a different standard, with its own plan)."""
    text = WEQS_PATH.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return parse_standard(text, "weqs-variant.yaml")


VARIANTS = {
    "shipped": WEQS,
    "not cumulative": variant(("  cumulative: true", "  cumulative: false")),
    "partly meets mandatory": variant(
        ("partly_meets_mandatory: false", "partly_meets_mandatory: true"),
        ("partly_credit: 0.5", "partly_credit: 0.25"),
    ),
}

NO_PROFILE: dict[str, object] = {}


def one(question: str, *, extra: str = "", **options: object):
    """A standard with a single bronze criterion "1" holding one question "1"."""
    body = f"""
    - id: "1"
      title: One
      level: bronze
      {extra}
      questions:
        - {question}
    """
    return criteria(body, **options)


def status_of(standard, answers, profile=NO_PROFILE, criterion="1"):
    result = score(standard, profile, answers).criterion(criterion)
    return result.status, result.reason


#: Four bronze criteria, three of them applying only to some organisation profiles.
CONDITIONAL = """
- id: "1"
  title: Always
  level: bronze
  questions:
    - {id: "1", text: A, type: yes_no}
- id: "2"
  title: Under 16s only
  level: bronze
  applies_if: {profile: offers_under_16, equals: true}
  questions:
    - {id: "1", text: B, type: yes_no}
- id: "3"
  title: GP or dental
  level: bronze
  applies_if: {profile: org_type, in: [gp_practice, dental_practice]}
  questions:
    - {id: "1", text: C, type: yes_no}
- id: "4"
  title: Big organisations
  level: bronze
  applies_if: {profile: staff, at_least: 500}
  questions:
    - {id: "1", text: D, type: yes_no}
"""
