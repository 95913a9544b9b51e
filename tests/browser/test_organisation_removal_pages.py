"""Deleting an organisation in Chromium: an HEE admin finds the link on its page, sees what
goes, is stopped by a wrong code, then deletes it by typing the ODS code. Every page is
checked by ``Site`` (axe included). Screenshots go to ``ACCREDIT_SCREENSHOTS`` when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.server import PASSWORD

pytestmark = pytest.mark.browser


def _shot(site, name: str) -> None:
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        site.page.locator("main").screenshot(path=str(Path(folder) / f"{name}.png"))


def test_an_admin_deletes_an_organisation_after_typing_its_code(
    site, live, hee_admin, organisation, org_lead
):
    site.sign_in(org_lead.email, PASSWORD)  # something its lead did, for the audit trail
    site.sign_out()
    site.sign_in(hee_admin.email, PASSWORD)
    site.goto(f"/organisations/{organisation.id}")
    site.follow(f"Delete {organisation.name} and everything it holds")
    assert site.heading() == f"Are you sure you want to delete {organisation.name}?"
    assert "This cannot be undone" in site.main_text()
    _shot(site, "organisation-delete-confirm")

    site.submit(
        {"Type the organisation's ODS code to confirm": "RX2"}, f"Delete {organisation.name}"
    )
    assert site.error_summary() == ["Type RX1 exactly to delete this organisation"]
    _shot(site, "organisation-delete-wrong-code")

    site.submit(
        {"Type the organisation's ODS code to confirm": "rx1"}, f"Delete {organisation.name}"
    )
    assert site.path == "/organisations"
    assert f"{organisation.name} has been deleted." in site.main_text()
    _shot(site, "organisation-deleted")

    # The lead's account went with it; the trail still says who, in general terms.
    site.goto("/audit-trail?action=sign-in")
    assert "Former organisation lead of RX1" in site.main_text()
    assert org_lead.email not in site.main_text()
    _shot(site, "audit-trail-former-actor")
