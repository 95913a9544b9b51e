"""Each section says, in words, which part of the placement journey it aligns to."""

from __future__ import annotations

import pytest

from accredit.domain.scoring.standard import Section
from accredit.standards import load_standard
from tests.unit.scoring_helpers import ROOT


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("hee:placement-induction", "HEE: Placement induction"),
        ("hee:healthcare-organisation", "HEE: Healthcare organisation"),
        ("fair-train:safety", "Fair Train: Safety"),
        ("post-placement", "Post placement"),
        ("hee:pre-placement", "HEE: Pre-placement"),
        ("", ""),
    ],
)
def test_the_alignment_tag_in_words(tag, words):
    assert Section("s", "S", (), alignment=tag).aligned_to == words


def test_every_section_of_weqs_2026_2_names_one_of_the_six_hee_sections():
    standard = load_standard(ROOT / "standards" / "weqs" / "2026.2.yaml")
    journey = {
        "HEE: Healthcare organisation",
        "HEE: Pre-placement",
        "HEE: Placement induction",
        "HEE: During placement",
        "HEE: Reflection and review",
        "HEE: Post placement",
    }
    named = {section.aligned_to for section in standard.sections}
    assert named <= journey and len(named) == 6
