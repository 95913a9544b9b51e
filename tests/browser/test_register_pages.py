"""The public register in Chromium: someone looking for a placement finds an accredited GP
practice without signing in, by keyboard, and opens its entry. Every page is checked by
``Site`` (axe included). Screenshots go to ``ACCREDIT_SCREENSHOTS`` when set."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from accredit.data.base import utcnow
from accredit.data.models import Award
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.review.awards import AwardStatus
from tests.browser.server import Live
from tests.browser.support import Site

pytestmark = pytest.mark.browser


def _award(live: Live, name: str, ods_code: str, org_type: OrgType, level: str) -> None:
    organisation = live.make_org(name, ods_code=ods_code, org_type=org_type)
    today = utcnow().date()
    with live.app.app_context(), unit_of_work() as session:
        session.add(
            Award(
                organisation_id=organisation.id,
                level=level,
                level_name=level.title(),
                awarded_on=today - timedelta(days=30),
                expires_on=today + timedelta(days=700),
                standard_id="weqs",
                standard_version="2026.1",
                standard_title="Work Experience Quality Standard",
                fingerprint="b" * 64,
                status=AwardStatus.CURRENT,
            )
        )


def test_someone_finds_an_accredited_gp_practice_and_opens_its_entry(site: Site, live: Live):
    _award(live, "Brookside Medical Practice", "B82001", OrgType.GP_PRACTICE, "silver")
    _award(live, "Harbour View Dental Care", "V00101", OrgType.DENTAL_PRACTICE, "gold")
    site.goto("/")
    site.follow("Find an organisation accredited for its work experience")
    assert site.heading() == "Register of accredited organisations"
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        site.page.screenshot(path=str(Path(folder) / "register.png"), full_page=True)

    # By keyboard: type the words, choose the type, press the button.
    site.page.get_by_label("Organisation name or ODS code", exact=True).fill("brookside")
    site.page.get_by_label("Type of organisation", exact=True).select_option("gp_practice")
    with site.navigation():
        site.page.get_by_role("button", name="Search").press("Enter")
    assert "Showing 1 to 1 of 1 award matching your search." in site.main_text()
    site.follow("Brookside Medical Practice")
    assert site.heading() == "Brookside Medical Practice"
    text = site.main_text()
    assert "Silver" in text and "B82001" in text and "Valid until" in text
    if folder:
        site.page.screenshot(path=str(Path(folder) / "register-entry.png"), full_page=True)

    site.goto("/register/NOT1", status=404)

    # Checking a certificate by its reference: one we never issued, then a genuine one.
    site.goto("/register")
    site.follow("check a certificate")
    assert site.heading() == "Check a certificate"
    site.submit({"Certificate reference": "WEQS-2026-000999-ABCD"}, "Check certificate")
    assert "Not a certificate we issued" in site.main_text()
    site.submit({"Certificate reference": _reference_of(live, "B82001")}, "Check certificate")
    text = site.main_text()
    assert "Genuine certificate" in text and "Brookside Medical Practice" in text
    if folder:
        site.page.screenshot(path=str(Path(folder) / "register-check.png"), full_page=True)


def _reference_of(live: Live, ods_code: str) -> str:
    from accredit.data.models import Organisation
    from accredit.extensions import db
    from accredit.services.reports.certificates import reference_of

    with live.app.app_context():
        award = (
            db.session.query(Award)
            .join(Organisation, Organisation.id == Award.organisation_id)
            .filter(Organisation.ods_code == ods_code)
            .one()
        )
        return reference_of(award)
