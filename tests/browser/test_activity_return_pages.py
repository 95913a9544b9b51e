"""An organisation lead files an annual activity return in Chromium: a draft with a mistake
(the error summary points at the field), put right, then submitted; read-only afterwards.
Every page is checked by ``Site`` (axe included)."""

from __future__ import annotations

import random
import re

import pytest

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)
from tests.browser.server import PASSWORD

pytestmark = pytest.mark.browser


def test_a_lead_saves_a_draft_puts_a_mistake_right_and_submits(live, site, organisation, org_lead):
    from accredit.seed.demo_activity import sample_figures

    figures = sample_figures(random.Random(11))
    site.sign_in(org_lead.email, PASSWORD)
    site.goto(f"/organisations/{organisation.id}/activity-returns")
    assert site.heading() == "Annual activity returns"
    site.follow(site.page.get_by_role("button", name=re.compile("^Start the ")).first)
    page = site.page
    for name, value in figures.items():
        box = page.locator(f"input[name={name}]")
        if box.count():
            box.fill(str(value))
    total = figures["work_experience_placements"]
    page.locator("input[name=places_offered]").fill(str(figures["applications_received"] + 1))
    site.follow(page.get_by_role("button", name="Save as draft"), status=400)
    problems = site.error_summary()
    assert len(problems) == 1 and "applications" in problems[0].lower()
    page.get_by_role("link", name=problems[0]).click()
    assert site.focused("el => el.name") == "places_offered"
    page.locator("input[name=places_offered]").fill(str(figures["places_offered"]))
    site.follow(page.get_by_role("button", name="Save as draft"))
    assert "saved" in site.main_text().lower()
    site.follow(page.get_by_role("button", name="Submit"))
    assert "submitted" in site.main_text().lower()
    assert page.locator("input[name=work_experience_placements]").count() == 0  # read-only
    assert f"{total:,}" in site.main_text() or str(total) in site.main_text()
