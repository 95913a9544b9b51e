"""An organisation lead removes a colleague's access, and an HEE admin promotes a reviewer,
in Chromium, by keyboard where it matters; every page is axe-checked as it loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accredit.data.models import Organisation, User
from accredit.domain.accounts.organisations import Role
from tests.browser.server import PASSWORD, Live
from tests.browser.support import Site, focus_is_visible

pytestmark = pytest.mark.browser


def _shot(site: Site, name: str) -> None:
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        site.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_lead_removes_a_colleagues_access_by_keyboard(
    live: Live, site: Site, org_lead: User, organisation: Organisation
) -> None:
    leaver = live.make_user(Role.ORG_CONTRIBUTOR, organisation, name="Sam Leaver")
    site.sign_in(org_lead.email, PASSWORD)
    site.goto(f"/organisations/{organisation.id}")
    site.follow(site.page.get_by_role("link", name="Change Sam Leaver's role or access"))
    assert site.heading() == "Change Sam Leaver's role or access"
    _shot(site, "person-change")
    page = site.page
    removed = page.get_by_label("Cannot sign in (access removed)", exact=True)
    removed.focus()
    page.keyboard.press("Space")
    assert removed.is_checked()
    page.get_by_role("button", name="Save changes").focus()
    assert focus_is_visible(page)
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.path == f"/organisations/{organisation.id}"
    assert "Sam Leaver can no longer sign in, and has been signed out." in site.main_text()
    row = page.get_by_role("row", name="Sam Leaver")
    assert "Access removed" in row.inner_text()
    _shot(site, "person-removed")

    # Sam's password no longer signs them in.
    site.sign_out()
    site.sign_in(leaver.email, PASSWORD, status=401)


def test_an_admin_makes_a_reviewer_an_admin_from_the_hee_staff_list(
    live: Live, site: Site, hee_admin: User
) -> None:
    live.make_user(Role.HEE_REVIEWER, name="Riley Reviewer")
    site.sign_in(hee_admin.email, PASSWORD)
    site.follow("HEE staff")
    _shot(site, "hee-staff")
    site.follow(site.page.get_by_role("link", name="Change Riley Reviewer's role or access"))
    site.submit({}, "Save changes", choose="HEE admin")
    assert site.path == "/hee-staff"
    assert "Riley Reviewer's role is now HEE admin." in site.main_text()
