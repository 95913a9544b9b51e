"""Review in Chromium: a reviewer returns a submitted assessment with a comment, the lead sees
it beside the answer and resubmits, the reviewer accepts at Bronze, and the certificate is
downloaded and verified. Every page is checked by ``Site`` (axe included)."""

from __future__ import annotations

import pytest

from accredit.data.models import Assessment, Organisation, User
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.scoring.results import Status
from accredit.extensions import db
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)
from tests.browser.server import PASSWORD

pytestmark = pytest.mark.browser

REASON = "Your policy was last reviewed in 2019: attach the current approved version."


def _submitted(live, organisation: Organisation, lead: User, reviewer: User) -> tuple[int, str]:
    """A submitted assessment in a cohort the reviewer is given, and a mandatory Bronze
    criterion it claims as met."""
    from accredit.seed.demo_assessments import Stage, seed_stage
    from accredit.services.assessments.workspace import load
    from accredit.services.operations.standards import sync_standards

    live.assign_reviewer(reviewer, organisation)
    with live.app.app_context():
        list(sync_standards(live.settings))
        assessment = seed_stage(
            db.session.get(Organisation, organisation.id), lead, Stage.SUBMITTED
        )
        assert assessment is not None
        target = next(
            c.id
            for c in load(assessment).result.criteria
            if c.mandatory and c.level == "bronze" and c.status is Status.MET
        )
        return assessment.id, target


def _agree_to_the_rest(live, reviewer: User, assessment_id: int, skip: str) -> None:
    """The reviewer's agreement with every other criterion (each page is tested elsewhere)."""
    from accredit.domain.review.review import Agreement
    from accredit.services.assessments.workspace import load
    from accredit.services.review import review

    with live.app.app_context():
        ws = load(db.session.get(Assessment, assessment_id))
        actor = db.session.get(User, reviewer.id)
        for c in ws.result.criteria:
            if c.applicable and c.id != skip:
                review.judge(actor, ws, c.id, Agreement.AGREE, "", None)


def test_return_resubmit_accept_and_verify_the_certificate(
    live, open_site, organisation, org_lead, hee_admin, tmp_path
):
    reviewer = live.make_user(
        Role.HEE_REVIEWER, email="robin.reviewer@hee.example.nhs.uk", name="Robin Reviewer"
    )
    assessment_id, target = _submitted(live, organisation, org_lead, reviewer)

    hee = open_site()
    hee.sign_in(reviewer.email, PASSWORD)
    hee.follow("Assessments to review")
    hee.follow(organisation.name)
    assert hee.heading() == "Review the self-assessment"
    hee.follow(hee.page.get_by_role("button", name="Start the review"))
    assert "In review" in hee.main_text()
    hee.follow(hee.page.locator(f"a[href$='/review/criteria/{target}']"))
    hee.page.get_by_label("Disagree", exact=True).check()
    hee.page.get_by_label("Comment for the organisation").fill(REASON)
    hee.follow(hee.page.get_by_role("button", name="Save and return to the review"))
    assert "Level under the review: none" in hee.main_text()
    hee.follow("Return for changes")
    hee.page.get_by_label("A note to the organisation (optional)").fill("One policy to update.")
    hee.follow(hee.page.get_by_role("button", name="Return for changes"))
    assert "Returned to the organisation for changes" in hee.main_text()

    lead = open_site()
    lead.sign_in(org_lead.email, PASSWORD)
    lead.follow("Self-assessment")
    assert "Returned by HEE for changes" in lead.main_text()
    assert "The reviewer's note: “One policy to update.”" in lead.main_text()
    lead.follow(lead.page.locator("#returned a").first)
    assert REASON in lead.page.locator("#reviewer-comment").inner_text()
    lead.follow(lead.page.get_by_role("button", name="Save and continue"))
    lead.goto(f"/assessments/{assessment_id}/submit")
    # Saved, but nothing changed: the page names the criterion and asks before sending it back.
    assert "Criteria HEE returned that have not changed" in lead.main_text()
    assert lead.page.locator("#unchanged-list").inner_text().startswith(target)
    lead.page.get_by_label("I confirm", exact=False).check()
    lead.follow(lead.page.get_by_role("button", name="Submit"), status=400)
    assert lead.error_summary() == [
        "Confirm that you want to submit the criteria HEE returned without changing them"
    ]
    lead.page.get_by_label("I want to submit these criteria unchanged", exact=False).check()
    lead.follow(lead.page.get_by_role("button", name="Submit"))
    assert lead.heading() == "Self-assessment submitted"

    hee.goto(f"/assessments/{assessment_id}/review")
    hee.follow(hee.page.get_by_role("button", name="Start the review"))
    _agree_to_the_rest(live, reviewer, assessment_id, skip=target)
    hee.follow(hee.page.locator(f"a[href$='/review/criteria/{target}']"))
    hee.page.get_by_label("Agree", exact=True).check()
    hee.follow(hee.page.get_by_role("button", name="Save and return to the review"))
    hee.follow("Accept and award a level")
    hee.page.get_by_label("Bronze", exact=True).check()
    hee.follow(hee.page.get_by_role("button", name="Accept and award"))
    assert "Accepted" in hee.main_text()
    with live.app.app_context():
        assert db.session.get(Assessment, assessment_id).status is AssessmentStatus.ACCEPTED

    lead.goto(f"/organisations/{organisation.id}")
    assert "Bronze" in lead.main_text()
    with lead.page.expect_download() as waited:
        lead.page.get_by_role("link", name="Download the certificate").click()
    certificate = tmp_path / "certificate.pdf"
    waited.value.save_as(certificate)
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(certificate).pages).split())
    assert organisation.name in text and "Bronze" in text

    admin = open_site()
    admin.sign_in(hee_admin.email, PASSWORD)
    admin.goto("/verify")
    admin.page.locator("input[type=file][name=file]").set_input_files(str(certificate))
    admin.follow(admin.page.get_by_role("button", name="Verify"))
    verdict = admin.main_text()
    assert "Valid" in verdict and organisation.name in verdict and "Bronze" in verdict
