"""Cohort pages in Chromium: an HEE admin creates a cohort and changes its deadline. Every page
is checked by ``Site`` (axe included)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)
from tests.browser.server import PASSWORD

pytestmark = pytest.mark.browser


def test_an_admin_creates_a_cohort_then_changes_its_deadline(live, site, hee_admin):
    from accredit.services.operations.standards import sync_standards

    with live.app.app_context():
        list(sync_standards(live.settings))
    site.sign_in(hee_admin.email, PASSWORD)
    site.follow("Cohorts")
    assert site.heading() == "Cohorts" and "There are no cohorts yet." in site.main_text()
    site.follow("Create a cohort")
    site.submit({"Cohort name": "", "Cohort year": "2027"}, "Save cohort")
    assert site.error_summary() == ["Enter the cohort's name", "Choose the standard and version"]
    page = site.page
    page.get_by_label("Standard and version").select_option(
        label="Employability Programme Quality Standard, version 2026.2"
    )
    site.submit({"Cohort name": "South West 2027"}, "Save cohort")
    assert site.heading() == "Cohorts"
    assert "South West 2027" in page.locator("tbody tr").first.inner_text()
    site.follow(page.get_by_role("link", name="Change South West 2027"))
    page.locator("#deadline").fill("30")
    page.locator("#deadline-month").fill("6")
    page.locator("#deadline-year").fill("2028")
    site.follow(page.get_by_role("button", name="Save cohort"))
    assert "30 June 2028" in page.locator("tbody tr").first.inner_text()
