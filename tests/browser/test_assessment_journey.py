"""The self-assessment journey in Chromium: profile, a whole section with a conditional
question, evidence, readiness changing, assigning a section, submitting; then the same pages
with JavaScript off and by keyboard alone. Every page is checked by ``Site`` (axe included).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accredit.data.models import Assessment, Cohort, CohortMembership, Organisation, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)
from tests.browser.server import PASSWORD, Live
from tests.browser.support import Site, focus_is_visible
from tests.support import files

pytestmark = pytest.mark.browser


def _enrol(live: Live, organisation: Organisation) -> None:
    """Load the standards and put the organisation in a WEQS cohort, as HEE would."""
    from accredit.services.operations.standards import sync_standards

    with live.app.app_context():
        list(sync_standards(live.settings))
        with unit_of_work() as session:
            cohort = Cohort(
                name="North East cohort 2026",
                year=2026,
                standard_id="weqs",
                standard_version="2026.1",
            )
            session.add(cohort)
            session.flush()
            session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))


def _profile_unanswered(live: Live, organisation: Organisation) -> None:
    """As for an organisation new to the service: nobody has filled in its profile yet."""
    with live.app.app_context():
        with unit_of_work() as session:
            session.get(Organisation, organisation.id).profile = {}
        db.remove()


def _start(site: Site) -> None:
    site.follow("Self-assessment")
    assert site.heading() == "Self-assessment"
    site.follow("Start self-assessment")
    assert site.heading() == "Self-assessment"
    assert "Not yet ready for a level" in site.main_text()


def _readiness(site: Site) -> str:
    return site.page.locator("#readiness").inner_text()


def _answer_the_rest(live: Live, organisation: Organisation) -> None:
    """Fill every remaining required question directly (each page type is driven above)."""
    from accredit.data.models import Answer
    from accredit.seed.demo_assessments import best_value
    from accredit.services.assessments.workspace import load

    with live.app.app_context():
        assessment = db.session.query(Assessment).filter_by(organisation_id=organisation.id).one()
        for _ in range(6):
            workspace = load(assessment)
            gaps = workspace.gaps
            if not gaps:
                break
            with unit_of_work() as session:
                for gap in gaps:
                    for question in gap.questions:
                        session.add(
                            Answer(
                                assessment_id=assessment.id,
                                key=question.key,
                                value=best_value(question, "0"),
                            )
                        )
        db.remove()


def test_a_lead_completes_a_section_with_evidence_assigns_one_and_submits(
    open_site: Callable[[], Site],
    live: Live,
    organisation: Organisation,
    org_lead: User,
    tmp_path: Path,
) -> None:
    _enrol(live, organisation)
    _profile_unanswered(live, organisation)
    colleague = live.make_user(Role.ORG_CONTRIBUTOR, organisation, name="Casey Colleague")
    site = open_site()
    site.sign_in(org_lead.email, PASSWORD)

    # The profile decides what applies.
    site.follow("Self-assessment")
    site.follow("Check your organisation profile")
    assert site.heading() == "Organisation profile"
    site.submit({}, "Save profile", status=400)
    assert len(site.error_summary()) == 3
    for field in ("offers_under_16", "offers_clinical_placements", "offers_t_level"):
        site.page.locator(
            f"input[name={field}][value={'yes' if field == 'offers_under_16' else 'no'}]"
        ).check()
    site.follow(site.page.get_by_role("button", name="Save profile"))
    assert "profile has been saved" in site.main_text()

    # Evidence first, in the library.
    policy = tmp_path / "Work experience policy.pdf"
    policy.write_bytes(files.pdf())
    site.goto("/home")
    site.follow("Evidence library")
    site.follow("Upload a file")
    site.page.locator("input[type=file][name=file]").set_input_files(str(policy))
    site.submit({"Title": "Signed work experience policy"}, "Add to the library")
    assert site.heading() == "Signed work experience policy"

    site.goto("/home")
    _start(site)
    before = _readiness(site)
    assert "0% towards Bronze" in before

    # Section 1, page by page. 1.1 reveals its follow-up questions as "Yes" is chosen.
    site.follow("Organisational commitment")
    assert site.heading() == "1.1 There is a named work experience lead"
    title = site.page.get_by_label("What is their job title?")
    assert not title.is_visible()
    site.page.get_by_label("Yes", exact=True).first.check()
    assert title.is_visible()
    site.follow(site.page.get_by_role("button", name="Save and continue"), status=400)
    assert site.error_summary() == ["Answer this question: What is their job title?"]
    title.fill("Head of education")
    site.page.locator("input[name=q3][value=yes]").check()
    site.follow(site.page.get_by_role("button", name="Save and continue"))

    assert site.heading().startswith("1.2 ")
    site.page.locator("input[name=q1][value=yes]").check()
    site.page.locator("input[name=q2][value=yes]").check()
    site.page.get_by_label("Day").fill("14")
    site.page.get_by_label("Month").fill("2")
    site.page.get_by_label("Year").fill("2025")
    site.page.get_by_label("Signed work experience policy").check()
    site.follow(site.page.get_by_role("button", name="Save and continue"))

    assert site.heading().startswith("1.3 ")
    site.page.locator("input[name=q1][value=yes]").check()
    for option in ("dates", "age_band", "host_department", "supervisor", "checks"):
        site.page.locator(f"input[name=q2][value={option}]").check()
    site.follow(site.page.get_by_role("button", name="Save and continue"))
    after = _readiness(site)
    assert after != before, "the readiness panel did not change"

    # The rest of the section, leaving each page for later, then the task list.
    site.follow(site.page.get_by_role("button", name="Save and come back later"))
    assert site.heading() == "Self-assessment"
    assert "Your answers have been saved" in site.main_text()
    tasks = site.page.locator(".nhsuk-task-list").inner_text()
    assert "In progress" in tasks

    # Give a section to a colleague; it shows on the task list and in their items.
    site.follow("Assign Placement induction")
    site.page.get_by_label(f"{colleague.name} (Organisation contributor)").check()
    site.follow(site.page.get_by_role("button", name="Save"))
    assert "assigned to Casey Colleague" in site.page.locator(".nhsuk-task-list").inner_text()
    other = open_site()
    other.sign_in(colleague.email, PASSWORD)
    other.follow("My assigned items")
    assert other.page.get_by_role("link", name="Placement induction").count() == 1

    # Submitting lists what is missing, then goes through once all is answered.
    site.follow("Continue to submit")
    assert site.heading() == "Submit your self-assessment"
    assert "Before you can submit" in site.main_text()
    _answer_the_rest(live, organisation)
    site.goto(site.path)
    site.follow(site.page.get_by_role("button", name="Accept and submit"), status=400)
    assert site.error_summary() == ["Confirm the declaration to submit"]
    site.page.locator("input[name=declaration]").check()
    site.follow(site.page.get_by_role("button", name="Accept and submit"))
    assert site.heading() == "Self-assessment submitted"
    assert org_lead.email in [m["To"] for m in live.outbox()]


def test_the_questions_work_with_javascript_off(
    chromium: Any, live: Live, organisation: Organisation, org_lead: User
) -> None:
    _enrol(live, organisation)
    context = chromium.new_context(base_url=live.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(org_lead.email)
        page.locator("#password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Self-assessment", exact=True).click()
        page.get_by_role("button", name="Start self-assessment").click()
        page.get_by_role("link", name="Organisational commitment", exact=True).click()
        assert not page.get_by_label("What is their job title?").is_visible()
        page.locator("input[name=q1][value=yes]").check()
        page.get_by_role("button", name="Save and continue").click()
        # The server saved "yes" and shows the questions it revealed, without an error.
        assert page.locator("h1").inner_text().startswith("1.1 ")
        assert "More questions now apply" in page.locator("main").inner_text()
        assert page.locator(".nhsuk-error-summary").count() == 0
        page.get_by_label("What is their job title?").fill("Practice manager")
        page.locator("input[name=q3][value=no]").check()
        page.get_by_role("button", name="Save and continue").click()
        assert page.locator("h1").inner_text().startswith("1.2 ")
    finally:
        context.close()


def test_a_question_page_by_keyboard_alone(
    site: Site, live: Live, organisation: Organisation, org_lead: User
) -> None:
    _enrol(live, organisation)
    site.sign_in(org_lead.email, PASSWORD)
    _start(site)
    site.follow("Organisational commitment")
    page = site.page
    # Tab from the top of the main content to the first radio, choose it with Space.
    page.locator("#maincontent").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if site.focused("el => el.name") == "q1":
            break
    assert site.focused("el => el.value") == "yes"
    assert focus_is_visible(page), "the radio shows no focus indicator"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert site.focused("el => el.id") == "q2", "the revealed question is next in tab order"
    page.keyboard.type("Head of workforce")
    for _ in range(10):
        page.keyboard.press("Tab")
        if site.focused("el => el.textContent.trim()") == "Save and continue":
            break
    assert focus_is_visible(page), "the Save button shows no focus indicator"
    with site.navigation():
        page.keyboard.press("Enter")
    assert site.heading().startswith("1.2 ")


def test_a_lead_adds_evidence_from_a_question_without_losing_what_was_typed(
    open_site: Callable[[], Site], live: Live, organisation: Organisation, org_lead: User
) -> None:
    _enrol(live, organisation)
    site = open_site()
    site.sign_in(org_lead.email, PASSWORD)
    _start(site)
    site.follow("Organisational commitment")
    assert "Your evidence library is empty" in site.main_text()
    site.page.get_by_label("Yes", exact=True).first.check()
    site.page.get_by_label("What is their job title?").fill("Head of education")
    site.follow(site.page.get_by_role("button", name="Save and add evidence"))
    assert site.heading() == "Upload a file"
    site.follow("write a statement")
    assert site.heading() == "Write a statement"
    site.submit(
        {"Statement": "Our lead reports to the board each quarter.", "Title": "Lead's remit"},
        "Add to the library and go back to the question",
    )
    assert site.heading() == "1.1 There is a named work experience lead"
    assert "Lead's remit has been added" in site.main_text()
    title = site.page.get_by_label("What is their job title?")
    assert title.input_value() == "Head of education"  # kept: saved on the way out
    site.page.get_by_label("Lead's remit", exact=True).check()
    site.follow(site.page.get_by_role("button", name="Save and continue"))
    assert site.heading().startswith("1.2 ")
