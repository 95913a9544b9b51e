"""An HEE admin tries a newer version of a cohort's standard in Chromium: from the cohort's
dashboard to the what-if page, the table of level changes, an organisation in it, and back.
Every page is checked by ``Site`` (axe included)."""

from __future__ import annotations

import pytest

from accredit.domain.accounts.organisations import Role
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)
from tests.browser.server import PASSWORD
from tests.support.what_if import employability_cohort

pytestmark = pytest.mark.browser


def test_an_hee_admin_sees_what_would_change_if_the_cohort_moved(live, site, hee_admin):
    from accredit.services.operations.standards import sync_standards

    with live.app.app_context():
        list(sync_standards(live.settings))
        cohort_id = employability_cohort(live.make_org, live.make_user)
    site.sign_in(hee_admin.email, PASSWORD)
    site.goto(f"/cohorts/{cohort_id}")
    page = site.page
    site.follow(page.get_by_role("link", name="What if this cohort moved to version 2026.2"))
    assert site.heading() == "What if this cohort moved to version 2026.2"
    text = site.main_text()
    assert "Nothing changes until the next cycle." in text
    rows = [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in page.locator("table tbody tr").all()
    ]
    assert rows[0] == ["Exemplary", "Established", "Lower", "2"]
    assert sum(int(row[3]) for row in rows) == 7
    # The same version chosen again from the form gives the same page.
    page.get_by_label("Employability Programme Quality Standard, version 2026.2").check()
    site.follow(page.get_by_role("button", name="Show what would change"))
    assert site.heading() == "What if this cohort moved to version 2026.2"
    # An unchanged group is folded away; a changed one lists its organisations as links.
    hidden = page.get_by_role("link", name="Brook College")
    assert not hidden.is_visible()
    page.get_by_text("that would stay at Established").click()
    assert hidden.is_visible()
    site.follow(page.get_by_role("link", name="Ashby Academy"))
    assert site.heading() == "Ashby Academy"


def test_a_reviewer_is_refused_the_what_if_page(live, site):
    from accredit.services.operations.standards import sync_standards

    reviewer = live.make_user(Role.HEE_REVIEWER, email="rae.reviewer@hee.example.nhs.uk")
    with live.app.app_context():
        list(sync_standards(live.settings))
        cohort_id = employability_cohort(live.make_org, live.make_user)
    site.sign_in(reviewer.email, PASSWORD)
    site.goto(f"/cohorts/{cohort_id}/what-if?version=2026.2", status=403)
