"""The evidence library in Chromium: every page through axe-core, a real file chosen in a
real file input, errors, a new version, removal, and an HEE reviewer reading it."""

from __future__ import annotations

from pathlib import Path

import pytest

from accredit.data.models import Organisation, User
from accredit.domain.accounts.organisations import Role
from tests.browser.server import PASSWORD, Live
from tests.browser.support import Site
from tests.support import files

pytestmark = pytest.mark.browser


def _choose(site: Site, path: str) -> None:
    """Choose a file in the real input (NHS.UK's script puts a drop zone button in front)."""
    site.page.locator("input[type=file][name=file]").set_input_files(path)


def test_an_org_lead_builds_the_library(
    site: Site, live: Live, organisation: Organisation, org_lead: User, tmp_path: Path
) -> None:
    policy, program = tmp_path / "Work experience policy.pdf", tmp_path / "policy.pdf"
    policy.write_bytes(files.pdf())
    program.write_bytes(files.elf())
    site.sign_in(org_lead.email, PASSWORD)
    site.goto(f"/organisations/{organisation.id}")
    site.follow("Evidence library")
    assert site.heading() == "Evidence library"
    assert "There is no evidence in the library yet." in site.main_text()

    site.follow("Upload a file")
    site.submit({}, "Add to the library")
    assert site.error_summary() == ["Select a file to upload", "Enter a title"]

    _choose(site, str(program))
    site.submit({"Title": "Work experience policy"}, "Add to the library")
    assert site.error_summary()[0].startswith("The selected file is a program")
    assert site.page.get_by_label("Title", exact=True).input_value() == "Work experience policy"

    _choose(site, str(policy))
    site.submit({"Day": "1", "Month": "4", "Year": "2025"}, "Add to the library")
    assert site.heading() == "Work experience policy"
    assert "1 April 2025" in site.main_text()

    site.follow("Upload a new version")
    _choose(site, str(policy))
    site.submit({}, "Upload new version")
    assert site.error_summary() == ["The selected file is the same as the current version"]

    site.follow("Back")
    site.follow("Back to the evidence library")
    site.follow("Add a link")
    site.submit(
        {"Web address": "https://www.example.nhs.uk/work-experience", "Title": "Our web page"},
        "Add to the library",
    )
    assert site.heading() == "Our web page"
    site.follow("Remove from the library")
    assert site.heading() == "Are you sure you want to remove Our web page?"
    site.follow("Yes, remove it")
    assert site.heading() == "Evidence library"
    assert "Our web page has been removed" in site.main_text()


def test_an_hee_reviewer_reads_the_library(
    site: Site, live: Live, organisation: Organisation, org_lead: User
) -> None:
    from accredit.extensions import db
    from accredit.services.evidence import evidence
    from accredit.services.evidence.scanning import NO_SCANNER
    from accredit.services.storage.stores import storage_for

    with live.app.app_context():
        here = db.session.get(Organisation, organisation.id)
        lead = db.session.get(User, org_lead.id)
        evidence.add_file(
            actor=lead,
            organisation=here,
            title="Induction checklist",
            description="",
            effective_date=None,
            filename="checklist.docx",
            data=files.docx(),
            storage=storage_for(live.settings),
            scanner=NO_SCANNER,
            max_bytes=1 << 20,
        )
    reviewer = live.make_user(Role.HEE_REVIEWER, name="Robin Reviewer")
    live.assign_reviewer(reviewer, organisation)
    site.sign_in(reviewer.email, PASSWORD)
    site.goto(f"/organisations/{organisation.id}/evidence")
    assert site.page.get_by_role("button", name="Upload a file").count() == 0
    site.follow("Induction checklist")
    assert "checklist.docx" in site.main_text()
    assert site.page.get_by_role("link", name="Remove from the library").count() == 0
