"""Random audits in Chromium: an HEE admin draws a stratified sample by keyboard, sees it
reproduced from its seed, records a level change through the revealed level choice, and the
organisation's lead sees the mark. Every page is checked by ``Site`` (axe included).
Screenshots go to ``ACCREDIT_SCREENSHOTS`` when set."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from accredit.data.base import utcnow
from accredit.data.models import Award
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.review.awards import AwardStatus
from tests.browser.server import PASSWORD

pytestmark = pytest.mark.browser


def _shot(site, name: str, part: str = "main") -> None:
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        site.page.locator(part).screenshot(path=str(Path(folder) / f"{name}.png"))


def _accredited(live) -> dict[str, str]:
    """Six accredited organisations in two regions, each with a lead (name -> lead's email),
    and the standard loaded for its levels."""
    from accredit.services.operations.standards import sync_standards

    made = []
    for n, (region, org_type) in enumerate(
        [("london", OrgType.ACUTE_TRUST)] * 4 + [("south-west", OrgType.GP_PRACTICE)] * 2
    ):
        made.append(
            live.make_org(
                f"Accredited {n + 1}", ods_code=f"RA{n}", region=region, org_type=org_type
            )
        )
    today = utcnow().date()
    with live.app.app_context():
        list(sync_standards(live.settings))
        with unit_of_work() as session:
            for organisation in made:
                session.add(
                    Award(
                        organisation_id=organisation.id,
                        level="silver",
                        level_name="Silver",
                        awarded_on=today - timedelta(days=200),
                        expires_on=today + timedelta(days=500),
                        standard_id="weqs",
                        standard_version="2026.1",
                        standard_title="Work Experience Quality Standard",
                        fingerprint="c" * 64,
                        status=AwardStatus.CURRENT,
                    )
                )
    return {o.name: live.make_user(Role.ORG_LEAD, o).email for o in made}


def test_an_admin_draws_a_sample_and_records_an_outcome(live, site, hee_admin):
    leads = _accredited(live)
    site.sign_in(hee_admin.email, PASSWORD)
    site.follow(site.page.get_by_role("link", name="Random audits"))
    assert site.heading() == "Random audits"

    # Bad input first: the error summary names it and the page keeps what was typed.
    site.submit({"Share of accredited organisations to draw": "0"}, "Draw sample")
    assert site.error_summary() == ["The share must be between 1 and 100 percent"]

    page = site.page
    page.get_by_label("Share of accredited organisations to draw").fill("25")
    page.get_by_label("By region: the same share from each region").focus()
    page.keyboard.press("Space")
    page.get_by_label("Seed (optional)").fill("20260601")
    page.get_by_label("Seed (optional)").focus()
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.heading() == "Audit draw 1"
    text = site.main_text()
    assert "2 organisations drawn for audit with seed 20260601" in text
    assert "Reproduced: drawing again now from the recorded seed 20260601" in text
    _shot(site, "audit-draw")

    site.follow(page.get_by_role("link", name="Record outcome for", exact=False).first)
    organisation = site.heading().removeprefix("Audit outcome for ")
    page.get_by_label("Level changed").check()
    page.get_by_label("New level").select_option("bronze")
    page.get_by_label("Note (optional)").fill("No central register of placements")
    _shot(site, "audit-outcome")
    site.follow(page.get_by_role("button", name="Record outcome"))
    assert f"Audit outcome recorded for {organisation}" in site.main_text()
    assert "Level changed" in site.main_text()
    _shot(site, "audit-draw-after")

    site.follow(page.get_by_role("link", name=organisation, exact=True))
    assert "Selected at random for audit" in site.main_text()
    assert "No central register of placements" in site.main_text()

    site.sign_out()
    site.sign_in(leads[organisation], PASSWORD)
    site.follow(page.get_by_role("link", name=organisation, exact=True))
    text = site.main_text()
    assert "Selected at random for audit" in text and "Level changed" in text
    assert "Record the outcome" not in text
    _shot(site, "audit-mark", "section[aria-labelledby=random-audits-heading]")
