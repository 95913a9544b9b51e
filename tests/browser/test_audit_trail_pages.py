"""The audit trail in Chromium: an HEE admin reaches it from home, is told plainly about a bad
date, filters by action, opens an event's before and after, and an error page shows the
reference to quote. Every page is checked by ``Site`` (axe included). Screenshots go to
``ACCREDIT_SCREENSHOTS`` when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accredit.data.transactions import unit_of_work
from tests.browser.server import PASSWORD

pytestmark = pytest.mark.browser


def _shot(site, name: str, part: str = "main") -> None:
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        site.page.locator(part).screenshot(path=str(Path(folder) / f"{name}.png"))


def test_an_admin_filters_the_trail_and_reads_an_event(live, site, hee_admin, org_lead):
    from accredit.services.operations import audit

    with live.app.app_context(), unit_of_work():
        audit.record(
            "answers-saved",
            "assessment:42",
            actor=org_lead,
            before={"1.1/2": None},
            after={"1.1/1": "yes", "1.1/2": "Head of education"},
            detail="criterion 1.1",
        )
        audit.record("cohort.created", "cohort:7", actor=hee_admin, after={"name": "North"})

    site.sign_in(hee_admin.email, PASSWORD)
    site.follow(site.page.get_by_role("link", name="Audit trail"))
    assert site.heading() == "Audit trail"

    site.submit({"From (YYYY-MM-DD)": "31/02/2026"}, "Apply filters")
    assert site.error_summary() == ["The from date must be a real date, like 2026-03-31"]
    site.page.get_by_label("From (YYYY-MM-DD)").fill("")
    site.page.get_by_label("Action").select_option("answers-saved")
    site.follow(site.page.get_by_role("button", name="Apply filters"))
    assert "action=answers-saved" in site.page.url
    rows = site.page.locator("table.app-audit-table tbody tr")
    assert rows.count() == 1
    assert "1.1/2: Head of education" in rows.first.inner_text()
    _shot(site, "audit-trail")

    site.follow(rows.first.get_by_role("link"))
    assert site.heading().startswith("Audit event")
    assert "Head of education" in site.main_text() and org_lead.email in site.main_text()
    _shot(site, "audit-trail-event")
    site.follow(site.page.get_by_role("link", name="Back to the audit trail"))
    assert "action=answers-saved" in site.page.url


def test_an_error_page_shows_the_reference(site, org_lead):
    site.sign_in(org_lead.email, PASSWORD)
    site.goto("/audit-trail", status=403)
    reference = site.page.locator(".app-error-reference__id").inner_text()
    assert len(reference) >= 8
    _shot(site, "error-reference")
