"""An HEE admin's cohort journey in Chromium: import organisations from a CSV file (a bad row
refused at the preview, then a corrected file imported), filter the dashboard, open an
organisation's report, and export the cohort to Excel. Every page is checked by ``Site``
(axe included)."""

from __future__ import annotations

import os
import re
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Route

from accredit.data.models import Cohort, CohortMembership, Organisation
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)
from tests.browser.server import PASSWORD

pytestmark = pytest.mark.browser

HEADER = "ODS code,Name,Type,Region,Lead name,Lead email\n"
GOOD = (
    "RX1,Riverside Hospitals NHS Trust,acute_trust,london,Priya Shah,priya@rs.example.nhs.uk\n"
    "Y01234,Hilltop Surgery,GP practice,North West,Tom Reed,tom@hilltop.example.nhs.uk\n"
)
BAD = "12,Nowhere Clinic,castle,Atlantis,No One,not-an-email\n"
JOB_STATUS = re.compile(r"/cohorts/\d+/exports/\d+/status$")


def _cohort_with_a_bronze_organisation(live, hee_admin) -> int:
    """A WEQS cohort holding one organisation whose lead has reached Bronze."""
    from accredit.seed.demo_assessments import Stage, seed_stage
    from accredit.services.operations.standards import sync_standards

    organisation = live.make_org("Northgate Hospitals NHS Foundation Trust", ods_code="RNG")
    lead = live.make_user(Role.ORG_LEAD, organisation)
    with live.app.app_context():
        list(sync_standards(live.settings))
        with unit_of_work() as session:
            cohort = Cohort(
                name="North cohort 2026", year=2026, standard_id="weqs", standard_version="2026.1"
            )
            session.add(cohort)
            session.flush()
            session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
        seed_stage(db.session.get(Organisation, organisation.id), lead, Stage.BRONZE)
        return cohort.id


def _upload(site, text: str) -> None:
    site.page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "organisations.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    site.follow(site.page.get_by_role("button", name="Upload and check the file"))


def test_an_admin_imports_filters_opens_a_report_and_exports(live, site, hee_admin):
    cohort_id = _cohort_with_a_bronze_organisation(live, hee_admin)
    site.sign_in(hee_admin.email, PASSWORD)
    site.follow("Cohorts")
    site.follow("North cohort 2026")
    assert site.heading() == "North cohort 2026"
    page = site.page

    site.follow("Import organisations from a CSV file")
    _upload(site, HEADER + GOOD + BAD)
    assert site.heading() == "Check the organisations to import"
    problems = " ".join(site.error_summary())
    assert "Line 4" in problems and "ODS code" in problems
    assert page.get_by_role("button", name="Import 3 organisations").count() == 0
    site.follow("Upload a corrected file")
    _upload(site, HEADER + GOOD)
    assert "Every row is ready" in site.main_text()
    site.follow(page.get_by_role("button", name="Import 2 organisations"))
    # The invitations go out from a background job; its page reloads itself (jobs.js) when the
    # job ends.
    page.get_by_role("heading", name="Invitations sent").wait_for(timeout=20_000)
    assert "2 of 2 invitations were emailed." in site.main_text()
    assert len(live.outbox()) == 2  # invitations to the two new leads
    site.follow("Go to the cohort's dashboard")
    assert site.heading() == "North cohort 2026"

    page.get_by_label("Region", exact=True).select_option(label="London")
    site.follow(page.get_by_role("button", name="Apply filters"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["region"] == ["london"]
    rows = page.locator(".app-org-table tbody tr")
    assert rows.count() == 1 and "Riverside Hospitals NHS Trust" in rows.first.inner_text()
    site.follow("Clear filters")
    page.get_by_label("Readiness", exact=True).select_option(label="Highest level: Bronze")
    page.get_by_label("Search by name or ODS code").fill("northgate")
    site.follow(page.get_by_role("button", name="Apply filters"))
    assert parse_qs(urlsplit(page.url).query) == {"level": ["bronze"], "q": ["northgate"]}
    site.follow(page.get_by_role("link", name="Northgate Hospitals NHS Foundation Trust"))
    assert site.heading() == "Readiness report"
    assert "Ready for Bronze" in site.main_text()
    site.go_back()

    site.follow("Export the cohort (CSV, Excel, evidence packs)")
    # "Making your export" polls its job and reloads itself when the job ends (jobs.js). Its
    # polls wait until the page has been checked, so the reload cannot cut the checks off;
    # then the test waits for that reload rather than racing it with a navigation of its own.
    polls: list[Route] = []

    def hold(route: Route) -> None:
        polls.append(route)

    page.route(JOB_STATUS, hold)
    site.follow(page.locator("form[action$='/organisations.xlsx'] button"))
    page.unroute(JOB_STATUS, hold)
    for poll in polls:
        poll.continue_()
    site.wait_for_heading("Your export is ready")
    with page.expect_download() as waited:
        page.get_by_role("link", name=re.compile("^Download the Excel file")).click()
    download = waited.value
    from openpyxl import load_workbook

    with open(download.path(), "rb") as handle:
        sheet = load_workbook(BytesIO(handle.read()), read_only=True).active
        values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    names = {row[1] for row in values[1:]}
    assert names == {
        "Northgate Hospitals NHS Foundation Trust",
        "Riverside Hospitals NHS Trust",
        "Hilltop Surgery",
    }
    assert site.path == f"/cohorts/{cohort_id}/exports/{site.path.split('/')[-1]}"

    # The exports page lists it, and says how long exports are kept (they hold answers).
    site.goto(f"/cohorts/{cohort_id}/exports")
    listed = page.locator("table", has_text="Your recent exports")
    assert "Organisations (Excel)" in listed.inner_text() and "Ready" in listed.inner_text()
    assert "each is kept for 30 days after it is made and then deleted" in site.main_text()
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / "cohort-exports.png"), full_page=True)
