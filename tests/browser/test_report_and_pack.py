"""The readiness report, the action plan and the evidence pack in Chromium: a lead reads the
report, plans an action, requests a pack, watches its progress and downloads it; HEE staff
verify that pack and an edited copy. Every page is checked by ``Site`` (axe included)."""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from accredit.data.models import Assessment, Organisation, User
from accredit.extensions import db
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)
from tests.browser.server import PASSWORD, Live
from tests.browser.test_assessment_journey import _enrol
from tests.support import files

pytestmark = pytest.mark.browser


def _bronze_with_evidence(live: Live, organisation: Organisation, lead: User) -> int:
    from accredit.seed.demo_assessments import Stage, cite_files, seed_stage
    from accredit.services.storage.stores import storage_for

    _enrol(live, organisation)
    with live.app.app_context():
        person = db.session.get(User, lead.id)
        assessment = seed_stage(db.session.get(Organisation, organisation.id), person, Stage.BRONZE)
        cite_files(
            assessment,
            person,
            [("Safeguarding policy", "safeguarding.pdf", files.pdf("Safeguarding policy", 2))],
            storage_for(live.settings),
        )
        return assessment.id


def test_a_lead_reads_the_report_plans_an_action_and_downloads_the_pack(
    live, open_site, organisation, org_lead, hee_admin, monkeypatch, tmp_path
):
    assessment_id = _bronze_with_evidence(live, organisation, org_lead)
    site = open_site()
    page = site.page
    site.sign_in(org_lead.email, PASSWORD)
    site.goto(f"/assessments/{assessment_id}")
    site.follow("Readiness report, action plan and evidence pack")
    assert site.heading() == "Readiness report"
    assert "Ready for Bronze" in site.main_text()
    chart = page.locator("figure svg[role=img]")
    assert chart.locator("title").text_content() == "Score by section"
    assert page.locator(".app-chart__table tbody tr").count() >= 8

    # The first blocker becomes an action with an owner, a due date and a status.
    first = page.locator(".app-blocker").first
    criterion = first.locator("input[name=criterion_id]").get_attribute("value")
    site.follow(first.get_by_role("button"))
    assert site.heading() == "Plan the action"
    page.get_by_label("What needs to be done").fill("Take the policy to the April board")
    page.get_by_label("Owner").select_option(label="Lee Lead")
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2030")
    site.submit({}, "Save action", choose="In progress")
    assert site.heading() == "Readiness report"
    row = page.locator("#action-plan + table tbody tr").first.inner_text()
    assert criterion in row and "Take the policy to the April board" in row and "Lee Lead" in row

    # The pack is made off the request: a slow first step keeps the progress page in view.
    from accredit.services.reports import packs

    real_gather = packs.gather

    def slow_gather(*args: Any, **kwargs: Any) -> Any:
        time.sleep(2)
        return real_gather(*args, **kwargs)

    monkeypatch.setattr(packs, "gather", slow_gather)
    site.follow("Make or download the evidence pack")
    assert site.heading() == "Evidence pack"
    site.follow(page.get_by_role("button", name=re.compile(r"^Make the pack\W+whole assessment")))
    assert site.heading() == "Making your evidence pack"
    assert page.locator("progress").count() == 1
    assert "done" in page.get_by_role("status").inner_text()
    # The script polls, then reloads into the finished page.
    page.wait_for_function(
        "() => document.querySelector('h1')?.textContent.includes('ready')", timeout=60_000
    )
    page.wait_for_load_state("load")
    site.check_page()
    assert site.heading() == "Your evidence pack is ready"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    saved = tmp_path / "pack.pdf"
    download.value.save_as(saved)
    data = saved.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title.startswith("Evidence pack: Northgate Hospitals")
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Take the policy to the April board" in text  # the action plan is in the pack
    assert "Safeguarding policy, page 2" in text  # and the evidence pages

    # HEE staff verify the pack, then an edited copy.
    hee = open_site()
    hee.sign_in(hee_admin.email, PASSWORD)
    hee.follow("Verify an evidence pack")
    hee.page.locator("input[type=file][name=file]").set_input_files(str(saved))
    hee.follow("Verify")
    assert "Genuine: this file is the pack the service made" in hee.main_text()
    assert "Northgate Hospitals NHS Foundation Trust" in hee.main_text()

    writer = PdfWriter(clone_from=reader)
    writer.add_blank_page()
    edited = tmp_path / "edited.pdf"
    with edited.open("wb") as handle:
        writer.write(handle)
    hee.page.locator("input[type=file][name=file]").set_input_files(str(edited))
    hee.follow("Verify")
    assert "Not genuine: this file has been changed" in hee.main_text()
    with live.app.app_context():
        assert db.session.get(Assessment, assessment_id) is not None


def test_the_action_plan_by_keyboard_alone(live, site, organisation, org_lead):
    from tests.browser.support import focus_is_visible

    assessment_id = _bronze_with_evidence(live, organisation, org_lead)
    site.sign_in(org_lead.email, PASSWORD)
    site.goto(f"/assessments/{assessment_id}/report")
    page = site.page

    def tab_to(script: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if site.focused(script):
                assert focus_is_visible(page), f"no focus indicator on {site.focused()}"
                return
        raise AssertionError(f"never reached {script} by Tab")

    page.locator("#maincontent").focus()
    tab_to("el => el.textContent.trim().startsWith('Add ')")
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.heading() == "Plan the action"
    tab_to("el => el.name === 'description'")
    page.keyboard.press("Control+A")
    page.keyboard.type("Agree the log format with the board")
    tab_to("el => el.name === 'owner_id'", limit=3)
    page.keyboard.press("ArrowDown")  # the first person after "Nobody yet"
    for part, value in (("day", "15"), ("month", "6"), ("year", "2031")):
        tab_to(f"el => el.name === 'due_date-{part}'", limit=3)
        page.keyboard.type(value)
    tab_to("el => el.name === 'status'", limit=3)
    page.keyboard.press("ArrowDown")  # from the checked "Not started" to "In progress"
    tab_to("el => el.textContent.trim() === 'Save action'", limit=3)
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.heading() == "Readiness report"
    row = page.locator("#action-plan + table tbody tr").first.inner_text()
    assert "Agree the log format with the board" in row
    assert "15 Jun 2031" in row and "In progress" in row and "Lee Lead" in row
