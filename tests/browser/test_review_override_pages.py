"""Overriding the standard's rules in Chromium: on a criterion the rules do not find met, the
reviewer chooses "Count as met (override)", saving without a reason is refused beside the
reason box, and the saved override shows on the review page. On a criterion the rules find met
there is no override to choose. Once the assessment is returned, the readiness report lists the
override. Every page is checked by ``Site`` (axe included)."""

from __future__ import annotations

import pytest

from accredit.domain.accounts.organisations import Role
from accredit.domain.scoring.results import Status
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)
from tests.browser.server import PASSWORD
from tests.browser.test_review_journey import _submitted

pytestmark = pytest.mark.browser

WHY = "The signed plan was shown to me at the visit."


def _not_met(live, assessment_id: int) -> str:
    from accredit.data.models import Assessment
    from accredit.extensions import db
    from accredit.services.assessments.workspace import load

    with live.app.app_context():
        result = load(db.session.get(Assessment, assessment_id)).result
        return next(c.id for c in result.criteria if c.status is Status.NOT_MET)


def test_a_reviewer_overrides_with_a_reason(live, open_site, organisation, org_lead, tmp_path):
    reviewer = live.make_user(Role.HEE_REVIEWER, name="Robin Reviewer")
    assessment_id, met = _submitted(live, organisation, org_lead, reviewer)
    target = _not_met(live, assessment_id)

    hee = open_site()
    hee.sign_in(reviewer.email, PASSWORD)
    hee.goto(f"/assessments/{assessment_id}/review")
    hee.follow(hee.page.get_by_role("button", name="Start the review"))
    hee.follow(hee.page.locator(f"a[href$='/review/criteria/{target}']"))

    hee.page.get_by_label("Count as met (override)").check()
    hee.follow(hee.page.get_by_role("button", name="Save and return to the review"), status=400)
    message = f"Give your reason for counting {target} as met when the standard's rules do not"
    assert hee.error_summary() == [message]
    reason_box = hee.page.get_by_label("Reason for the override")
    assert message in hee.page.locator(".nhsuk-form-group", has=reason_box).inner_text()
    assert hee.page.get_by_label("Count as met (override)").is_checked()

    reason_box.fill(WHY)
    hee.page.screenshot(path=str(tmp_path / "judge-override.png"), full_page=True)
    hee.follow(hee.page.get_by_role("button", name="Save and return to the review"))
    row = hee.page.locator("tr", has=hee.page.locator(f"a[href$='/review/criteria/{target}']"))
    assert row.locator("td").all_inner_texts()[1:] == ["Count as met (override)", "Met by override"]
    assert "1 counted as met by override" in hee.main_text()
    row.scroll_into_view_if_needed()
    hee.page.screenshot(path=str(tmp_path / "overview-override.png"))

    # Where the rules find the criterion met there is no override to choose, nor a reason box.
    hee.goto(f"/assessments/{assessment_id}/review/criteria/{met}")
    assert hee.page.get_by_label("Count as met (override)").count() == 0
    assert hee.page.get_by_label("Reason for the override").count() == 0

    # Marked down with a comment and returned: the report shows the override and who made it.
    hee.page.get_by_label("Disagree", exact=True).check()
    hee.page.get_by_label("Comment for the organisation").fill("The plan is a template.")
    hee.follow(hee.page.get_by_role("button", name="Save and return to the review"))
    hee.follow("Return for changes")
    hee.follow(hee.page.get_by_role("button", name="Return for changes"))
    hee.follow("Readiness report")
    overrides = hee.page.locator("table", has=hee.page.locator("caption", has_text="Reviewer"))
    cells = overrides.locator("tbody tr").first.locator("th, td").all_inner_texts()
    assert cells[0].startswith(f"{target} ")
    assert cells[2:] == [WHY, cells[3]] and cells[3].startswith("Robin Reviewer, ")
    hee.page.locator("#overrides").scroll_into_view_if_needed()
    hee.page.screenshot(path=str(tmp_path / "report-override.png"))
