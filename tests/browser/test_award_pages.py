"""Awards in Chromium: an HEE admin sees an expiring award and a stalled organisation on the
dashboard, opens the organisation, downloads its certificate by keyboard and verifies it. Every
page is checked by ``Site`` (axe included). Screenshots go to ``ACCREDIT_SCREENSHOTS`` when set."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from accredit.data.base import utcnow
from accredit.data.models import Cohort, CohortMembership, Organisation, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.review.awards import add_months
from accredit.extensions import db
from tests.browser.server import PASSWORD

pytestmark = pytest.mark.browser


def _shot(site, name: str, part: str = "main") -> None:
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        site.page.locator(part).screenshot(path=str(Path(folder) / f"{name}.png"))


def _cohort_with_an_award(live, hee_admin) -> tuple[int, int]:
    """A cohort (deadline ahead) with a Bronze organisation whose award ends next month, and
    one that never started."""
    from accredit.seed.demo_assessments import Stage, seed_stage
    from accredit.services.assessments.workspace import load
    from accredit.services.operations.standards import sync_standards
    from accredit.services.reports import fingerprints
    from accredit.services.review import awards

    organisation = live.make_org("Northgate Hospitals NHS Foundation Trust", ods_code="RNG")
    quiet = live.make_org("Quietwater Community Health", ods_code="RQW")
    lead = live.make_user(Role.ORG_LEAD, organisation)
    with live.app.app_context():
        list(sync_standards(live.settings))
        with unit_of_work() as session:
            cohort = Cohort(
                name="North cohort 2026",
                year=2026,
                standard_id="weqs",
                standard_version="2026.1",
                deadline=utcnow().date() + timedelta(days=60),
            )
            session.add(cohort)
            session.flush()
            # Both joined two months ago: the one that never started has now stalled.
            joined = utcnow() - timedelta(days=60)
            for member in (organisation, quiet):
                session.add(
                    CohortMembership(
                        cohort_id=cohort.id,
                        organisation_id=member.id,
                        created_at=joined,
                        updated_at=joined,
                    )
                )
        assessment = seed_stage(db.session.get(Organisation, organisation.id), lead, Stage.BRONZE)
        assert assessment is not None
        with unit_of_work():
            kept = fingerprints.keep(load(assessment), "award")
            awards.grant(
                live.settings,
                db.session.get(User, hee_admin.id),
                assessment,
                None,
                "bronze",
                kept.fingerprint,
                add_months(utcnow().date(), -23),
            )
        return cohort.id, organisation.id


def test_an_admin_follows_an_expiry_warning_and_verifies_the_certificate(
    live, site, hee_admin, tmp_path
):
    cohort_id, organisation_id = _cohort_with_an_award(live, hee_admin)
    site.sign_in(hee_admin.email, PASSWORD)
    site.goto(f"/cohorts/{cohort_id}")
    text = site.main_text()
    assert "1 award expires within 3 months" in text
    assert "1 organisation has stalled" in text and "Quietwater Community Health" in text
    _shot(site, "dashboard", "section[aria-labelledby=accreditation]")

    site.follow(site.page.locator("#expiring-awards").get_by_role("link", name="Northgate"))
    assert site.heading() == "Northgate Hospitals NHS Foundation Trust"
    assert site.path == f"/organisations/{organisation_id}"
    _shot(site, "organisation")

    link = site.page.get_by_role("link", name="Download the certificate for the Bronze award")
    link.focus()
    with site.page.expect_download() as download:
        site.page.keyboard.press("Enter")
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    site.goto("/verify")
    site.page.locator("input[type=file][name=file]").set_input_files(str(saved))
    site.follow(site.page.get_by_role("button", name="Verify"))
    outcome = site.page.locator("#outcome").inner_text()
    assert "Genuine: this file is the certificate the service issued" in outcome
    assert "The award is valid today" in outcome
    _shot(site, "verify", "#outcome")
