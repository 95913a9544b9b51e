"""Build small standards inline from YAML, so unit tests do not depend on the shipped content."""

from __future__ import annotations

import textwrap

from accredit.domain.scoring.standard import Standard
from accredit.standards.loader import parse_standard

HEADER = """\
id: test
title: Test standard
version: "1"
status: draft
effective: 2026-01-01
profile_fields:
  - id: org_type
    label: Organisation type
    type: choice
    options: [acute_trust, mental_health_trust, community_trust, ambulance_trust,
              gp_practice, dental_practice, social_care, other]
  - {id: offers_under_16, label: Offers placements to under-16s, type: boolean}
  - {id: offers_clinical_placements, label: Offers clinical placements, type: boolean}
  - {id: offers_t_level, label: Offers T Level placements, type: boolean}
  - {id: staff, label: Staff, type: number}
"""

COLOURS = {"bronze": "#A0522D", "silver": "#768692", "gold": "#FFB81C"}


def standard_text(
    sections: str,
    *,
    levels: tuple[str, ...] = ("bronze",),
    thresholds: dict[str, float] | None = None,
    readiness: str = "",
) -> str:
    """A complete standard file around `sections` (YAML for the list under `sections:`)."""
    thresholds = thresholds or {}
    level_lines = "".join(
        f'  - {{id: {lv}, name: {lv.title()}, colour: "{COLOURS.get(lv, "#000000")}", '
        f"threshold: {thresholds.get(lv, 80)}}}\n"
        for lv in levels
    )
    text = HEADER + "levels:\n" + level_lines
    if readiness:
        text += "readiness:\n" + textwrap.indent(textwrap.dedent(readiness).strip(), "  ") + "\n"
    return (
        text + "sections:\n" + textwrap.indent(textwrap.dedent(sections).strip("\n"), "  ") + "\n"
    )


def build(sections: str, **options: object) -> Standard:
    return parse_standard(standard_text(sections, **options), "test.yaml")  # type: ignore[arg-type]


def criteria(body: str, **options: object) -> Standard:
    """A standard with one section holding the criteria in `body` (YAML list items)."""
    section = "- id: main\n  title: Main\n  criteria:\n" + textwrap.indent(
        textwrap.dedent(body).strip("\n"), "    "
    )
    return build(section, **options)


ALL = ("bronze", "silver", "gold")
#: Heavy bronze and silver, light gold: the shape that let 2026.1 award Gold with no Gold met.
HEAVY_LOWER = """
- {id: "b1", title: B1, level: bronze, mandatory: true, weight: 3,
   questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "b2", title: B2, level: bronze, weight: 3, questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "s1", title: S1, level: silver, weight: 3, questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "g1", title: G1, level: gold, questions: [{id: "1", text: Q, type: yes_no}]}
- {id: "g2", title: G2, level: gold, questions: [{id: "1", text: Q, type: yes_no}]}
"""
