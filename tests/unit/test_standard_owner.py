"""A standard file may name the owner of the standard its criteria are aligned to; every page
that shows the criteria says the wording is the service's own (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accredit.standards import StandardFileError, load_standard, parse_standard
from tests.unit.standard_yaml import standard_text

ROOT = Path(__file__).resolve().parents[2]

SECTIONS = """
    - id: commitment
      title: Commitment
      criteria:
        - id: "1.1"
          title: Named lead
          level: bronze
          questions:
            - {id: "1", text: Is there a lead, type: yes_no}
"""


def _text(top: str = "") -> str:
    """A small standard titled as the real one, with `top` added after its title."""
    return standard_text(SECTIONS).replace(
        "title: Test standard\n", f"title: Work Experience Quality Standard\n{top}", 1
    )


def test_a_file_that_names_its_owner_credits_it_in_the_wording_note():
    standard = parse_standard(_text("owner: Fair Train\n"))
    assert standard.owner == "Fair Train"
    assert standard.wording_note == (
        "The criteria are this service's own wording, aligned to the Work Experience Quality "
        "Standard (owned by Fair Train). They are not the standard's official text."
    )


def test_a_file_without_an_owner_says_nothing_about_one():
    standard = parse_standard(_text())
    assert standard.owner is None
    assert standard.wording_note == (
        "The criteria are this service's own wording, aligned to the Work Experience Quality "
        "Standard. They are not the standard's official text."
    )
    assert "owned" not in standard.wording_note


@pytest.mark.parametrize(
    ("line", "message"),
    [("owner: 12\n", "owner: expected text"), ('owner: " "\n', "owner: must not be blank")],
)
def test_an_owner_must_be_text(line, message):
    with pytest.raises(StandardFileError) as caught:
        parse_standard(_text(line))
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_the_owner_is_part_of_the_content_so_naming_one_makes_a_different_version():
    # Published files are immutable: adding an owner to one changes its hash, which the store
    # refuses; a new version names the owner instead.
    assert (
        parse_standard(_text()).content_hash
        != parse_standard(_text("owner: Fair Train\n")).content_hash
    )


def test_published_files_without_an_owner_load_with_none():
    standard = load_standard(ROOT / "standards" / "weqs" / "2026.1.yaml")
    assert standard.owner is None
    assert standard.wording_note.startswith(
        "The criteria are this service's own wording, aligned to the Work Experience Quality "
        "Standard."
    )
