"""Every public page, and every page each role can reach, through axe-core in Chromium.

``Site`` runs the checks on each page it lands on (tests/browser/support.py), so these
tests only have to get to each page, in each state worth checking (empty, with
validation errors, with a success banner), and say where they expect to be.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accredit.data.models import Organisation, User
from accredit.domain.accounts.organisations import Role
from tests.browser.server import PASSWORD, Live
from tests.browser.support import Site, check_accessibility

pytestmark = pytest.mark.browser


def test_public_pages(site: Site, live: Live, organisation: Organisation, org_lead: User) -> None:
    site.goto("/")
    assert site.heading() == "Work experience accreditation"
    site.follow("Sign in")
    assert site.heading() == "Sign in"
    site.submit({}, "Sign in")
    assert site.error_summary() == ["Enter your email address", "Enter your password"]

    site.goto("/accessibility-statement")
    assert site.heading() == "Accessibility statement"
    site.goto("/privacy-notice")
    assert site.heading() == "Privacy notice"
    assert "audit trail): 2,555 days (about 7 years)" in site.main_text()
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        site.page.screenshot(path=str(Path(folder) / "privacy-notice.png"), full_page=True)

    # A private page sends you to sign in, and back to it afterwards.
    site.goto("/home")
    assert site.path == "/sign-in"
    assert "next=/home" in site.page.url

    # Forgotten password: the form, its errors, the confirmation, the emailed link.
    site.follow("I have forgotten my password")
    assert site.heading() == "Reset your password"
    site.submit({"Email address": "not an email"}, "Send reset link")
    assert site.error_summary() == [
        "Enter an email address in the correct format, like name@example.nhs.uk"
    ]
    site.submit({"Email address": org_lead.email}, "Send reset link")
    assert site.heading() == "Check your email"
    site.goto(live.link_mailed_to(org_lead.email))
    assert site.heading() == "Choose a new password"
    site.submit({}, "Change password")
    assert site.error_summary() == ["Enter a password", "Confirm your password"]
    site.goto("/reset-password/not-a-real-token", status=410)
    assert site.heading() == "This link cannot be used"

    # Invitation links that cannot be used.
    site.goto(f"/invitations/{live.make_invitation(organisation, expired=True)}", status=410)
    assert site.heading() == "This invitation link cannot be used"
    assert "expired" in site.main_text()
    site.goto("/invitations/not-a-real-token", status=410)
    assert "not valid" in site.main_text()
    site.goto(f"/invitations/{live.make_invitation(organisation, email='sam@example.nhs.uk')}")
    assert site.heading() == "Set your password"

    # Error pages.
    site.goto("/no-such-page", status=404)
    assert site.heading() == "Page not found"


def test_hee_admin_pages(
    site: Site, live: Live, hee_admin: User, organisation: Organisation, org_lead: User
) -> None:
    live.make_org("Riverside Medical Practice", ods_code="Y90001")
    site.sign_in(hee_admin.email, PASSWORD)
    assert site.heading() == "Welcome, Alex Admin"

    site.goto("/organisations")
    assert site.page.get_by_role("row").count() == 3  # header and two organisations
    site.goto(f"/organisations/{organisation.id}")
    assert org_lead.name in site.main_text()

    site.follow("Invite someone")
    site.submit({}, "Send invitation")
    assert site.error_summary() == ["Enter their full name", "Enter their email address"]
    site.submit({"Full name": "Existing Lead", "Email address": org_lead.email}, "Send invitation")
    assert site.error_summary() == [f"There is already an account for {org_lead.email}"]

    site.goto("/home")
    site.follow("Invite HEE staff")
    assert site.heading() == "Invite someone"
    site.submit({}, "Send invitation")
    assert "Select a role" in site.error_summary()
    site.submit(
        {"Full name": "Robin Reviewer", "Email address": "robin@hee.example.nhs.uk"},
        "Send invitation",
        choose="HEE reviewer",
    )
    assert site.path == "/home"
    assert "Invitation sent to robin@hee.example.nhs.uk." in site.main_text()


def test_hee_reviewer_pages(site: Site, live: Live, organisation: Organisation) -> None:
    reviewer = live.make_user(Role.HEE_REVIEWER, name="Robin Reviewer")
    live.assign_reviewer(reviewer, organisation)
    site.sign_in(reviewer.email, PASSWORD)
    assert site.heading() == "Welcome, Robin Reviewer"
    assert site.page.get_by_role("link", name="Invite HEE staff").count() == 0
    site.follow(site.page.get_by_role("link", name="Organisations", exact=True))
    site.follow(organisation.name)
    assert site.page.get_by_role("button", name="Invite someone").count() == 0
    site.goto("/hee-staff/invite", status=403)
    assert site.heading() == "You do not have permission to see this page"
    site.goto(f"/organisations/{organisation.id}/invite", status=403)


def test_org_lead_pages(site: Site, live: Live, organisation: Organisation, org_lead: User) -> None:
    elsewhere = live.make_org("Moorland Hospice", ods_code="8X901")
    site.sign_in(org_lead.email, PASSWORD)
    assert site.heading() == "Welcome, Lee Lead"
    site.follow(organisation.name)
    assert site.heading() == organisation.name

    site.follow("Invite someone")
    assert site.page.get_by_role("radio").count() == 2  # contributor or lead
    site.submit({}, "Send invitation")
    assert site.error_summary() == [
        "Enter their full name",
        "Enter their email address",
        "Select a role",
    ]
    site.submit(
        {"Full name": "Casey Contributor", "Email address": "casey@northgate.example.nhs.uk"},
        "Send invitation",
        choose="Organisation contributor",
    )
    assert "Invitation sent to casey@northgate.example.nhs.uk." in site.main_text()

    # Other organisations do not exist as far as a lead can tell; HEE pages are refused.
    site.goto(f"/organisations/{elsewhere.id}", status=404)
    site.goto("/organisations", status=403)
    site.goto("/hee-staff/invite", status=403)


def test_org_contributor_pages(site: Site, live: Live, organisation: Organisation) -> None:
    contributor = live.make_user(Role.ORG_CONTRIBUTOR, organisation, name="Casey Contributor")
    site.sign_in(contributor.email, PASSWORD)
    assert site.heading() == "Welcome, Casey Contributor"
    site.follow(organisation.name)
    assert site.page.get_by_role("button", name="Invite someone").count() == 0
    site.goto(f"/organisations/{organisation.id}/invite", status=403)
    assert site.heading() == "You do not have permission to see this page"


def _submit_expired_form(site: Site) -> None:
    """Sign in from a page whose session has gone (cookies cleared): CSRF refuses it."""
    site.goto("/sign-in")
    site.page.context.clear_cookies()
    site.page.get_by_label("Email address", exact=True).fill("someone@example.nhs.uk")
    site.page.get_by_label("Password", exact=True).fill(PASSWORD)
    with site.page.expect_navigation(wait_until="load"):
        site.page.get_by_role("button", name="Sign in").click()
    assert site.heading() == "This form has expired"


def test_expired_form_page(site: Site) -> None:
    _submit_expired_form(site)
    site.check_page()


# -- the checks themselves -------------------------------------------------------------


def test_the_axe_check_fails_on_a_serious_violation(site: Site) -> None:
    site.goto("/accessibility-statement")
    site.page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = '/static/vendor/nhsuk/assets/images/nhsuk-icon-180.png';
            document.querySelector('main').append(img);
        }"""
    )
    with pytest.raises(AssertionError, match="image-alt"):
        check_accessibility(site.page)


def test_a_page_reached_behind_the_helpers_back_is_caught(site: Site) -> None:
    site.goto("/")
    with site.page.expect_navigation():
        site.page.get_by_role("link", name="Accessibility statement").click()
    with pytest.raises(AssertionError, match="without the accessibility and asset checks"):
        site.watch.assert_all_checked()
    site.check_page()  # now it has been checked, so the teardown check passes


def test_no_font_is_fetched_from_the_nhs_cdn(site: Site) -> None:
    """We never load from a CDN; our Sass build leaves the font out."""
    site.goto("/")
    assert site.watch.refused_fonts == []
    # ...and the page still gets the design system's fallback font, never a serif default.
    font = site.page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert font.replace(" ", "").lower() == "arial,sans-serif"
