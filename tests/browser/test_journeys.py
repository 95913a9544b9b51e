"""Journeys through the real service in headless Chromium.

Every page reached here is also checked by ``Site`` (tests/browser/support.py): axe-core
finds no serious or critical violations, the NHS.UK CSS and JavaScript load, no asset
fails and the console stays free of errors.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

import pytest

from accredit.data.models import Organisation, User
from tests.browser.server import PASSWORD, Live
from tests.browser.support import Site, focus_is_visible

pytestmark = pytest.mark.browser

NEW_LEAD = ("Priya Patel", "priya.patel@northgate.example.nhs.uk")
NEW_PASSWORD = "orchard-copper-lantern-92"


def test_admin_invites_a_lead_who_joins_signs_in_and_signs_out(
    live: Live, open_site: Callable[[], Site], hee_admin: User, organisation: Organisation
) -> None:
    name, email = NEW_LEAD

    # An HEE admin finds the organisation and invites its lead.
    admin = open_site()
    admin.sign_in(hee_admin.email, PASSWORD)
    assert admin.heading() == "Welcome, Alex Admin"
    admin.follow(admin.page.get_by_role("link", name="Organisations", exact=True))
    assert admin.heading() == "Organisations"
    admin.follow(organisation.name)
    assert admin.heading() == organisation.name
    admin.follow("Invite someone")
    assert admin.heading() == "Invite someone"
    assert admin.page.get_by_label("Organisation lead", exact=True).is_checked()
    admin.submit({"Full name": name, "Email address": email}, "Send invitation")
    assert admin.path == f"/organisations/{organisation.id}"
    assert f"Invitation sent to {email}." in admin.main_text()

    # The invitation email links to this server; the lead opens it in their own browser.
    link = live.link_mailed_to(email)
    lead = open_site()
    lead.goto(link)
    assert lead.heading() == "Set your password"
    assert organisation.name in lead.main_text()
    assert email in lead.main_text()

    # Too short, then too common: each shows the error summary, which takes the focus.
    for password, problem in (
        ("tulip-42", "Password must be 12 characters or more"),
        ("password1234", "Password is too common or easy to guess"),
    ):
        lead.submit(
            {"Create a password": password, "Confirm your password": password}, "Set password"
        )
        assert lead.heading() == "Set your password"
        summary = lead.error_summary()
        assert len(summary) == 1 and summary[0].startswith(problem), summary
        assert lead.page.title().startswith("Error: ")
        assert lead.focused("el => el.classList.contains('nhsuk-error-summary')")
        lead.page.get_by_role("link", name=summary[0]).click()  # the summary links to the field
        assert lead.focused("el => el.id") == "password"

    lead.submit(
        {"Create a password": NEW_PASSWORD, "Confirm your password": NEW_PASSWORD}, "Set password"
    )
    assert lead.path == "/sign-in"
    assert "Your password is set. Sign in to continue." in lead.main_text()

    # The new lead signs in and sees their organisation, with themselves in it.
    lead.submit({"Email address": email, "Password": NEW_PASSWORD}, "Sign in")
    assert lead.heading() == f"Welcome, {name}"
    assert f"{name} ({organisation.name})" in lead.page.locator("header").inner_text()
    lead.follow(organisation.name)
    assert lead.heading() == organisation.name
    people = lead.page.get_by_role("table").inner_text()
    assert name in people and email in people and "Organisation lead" in people

    # Signing out ends the session; Back does not bring the private page back.
    lead.sign_out()
    assert lead.path == "/sign-in"
    assert "You have signed out." in lead.main_text()
    lead.go_back()
    # no-store made the browser ask again for the organisation page, and it was refused.
    assert lead.path == "/sign-in", f"Back showed {lead.page.url}"
    assert f"next=/organisations/{organisation.id}" in unquote(lead.page.url), lead.page.url
    assert lead.heading() == "Sign in"
    shown = lead.body_text()
    for private in (name, email, organisation.name, organisation.ods_code):
        assert private not in shown, f"{private!r} is still shown after sign-out and Back"

    # The invitation link worked once.
    lead.goto(link, status=410)
    assert lead.heading() == "This invitation link cannot be used"
    assert "already been used" in lead.main_text()


def test_wrong_password_five_times_is_refused_for_a_while(site: Site, hee_admin: User) -> None:
    site.goto("/sign-in")
    for _ in range(5):
        site.submit(
            {"Email address": hee_admin.email, "Password": "not-my-password-1"},
            "Sign in",
            status=401,
        )
        assert site.error_summary() == ["Enter a correct email address and password"]

    # Now even the right password is refused until the window has passed.
    site.submit({"Email address": hee_admin.email, "Password": PASSWORD}, "Sign in", status=429)
    assert site.heading() == "Sign in"
    [message] = site.error_summary()
    assert message.startswith("You have entered the wrong details too many times.")
    assert "Wait 15 minutes" in message
    assert site.page.locator("header").get_by_text("Alex Admin").count() == 0


def test_page_not_found_is_an_nhs_page(site: Site) -> None:
    site.goto("/no-such-page", status=404)  # the check also proves the NHS styles are applied
    assert site.heading() == "Page not found"
    assert site.page.title() == "Page not found - Work experience accreditation - NHS"
    assert site.page.locator("header.nhsuk-header").is_visible()
    assert site.page.locator("footer").get_by_role("link", name="Accessibility statement")
    site.follow("Go to the start page")
    assert site.heading() == "Work experience accreditation"


def test_nhs_stylesheet_and_scripts_are_served(site: Site) -> None:
    site.goto("/sign-in")
    statuses = site.watch.asset_statuses
    for asset in (
        "/static/vendor/app.css",
        "/static/vendor/nhsuk/nhsuk-frontend.min.js",
        "/static/init.js",
    ):
        assert statuses.get(site.url(asset)) == 200, f"{asset}: {statuses}"
    # The password input's Show button only appears once the NHS.UK JavaScript has run.
    assert site.page.get_by_role("button", name="Show password").is_visible()


def test_sign_in_with_the_keyboard_alone(site: Site, hee_admin: User) -> None:
    page = site.page
    site.goto("/sign-in")

    page.keyboard.press("Tab")
    assert site.focused("el => el.textContent.trim()") == "Skip to main content"
    assert focus_is_visible(page), "the skip link shows no focus indicator"
    page.keyboard.press("Enter")
    assert site.focused("el => el.id") == "maincontent"

    page.keyboard.press("Tab")
    assert site.focused("el => el.id") == "email"
    assert focus_is_visible(page), "the email field shows no focus indicator"
    page.keyboard.type(hee_admin.email)
    page.keyboard.press("Tab")
    assert site.focused("el => el.id") == "password"
    assert focus_is_visible(page), "the password field shows no focus indicator"
    page.keyboard.type(PASSWORD)

    for _ in range(5):  # past the Show password button, to Sign in
        page.keyboard.press("Tab")
        if site.focused("el => el.textContent.trim()") == "Sign in":
            break
    assert site.focused("el => el.tagName") == "BUTTON", "Sign in is not reachable by Tab"
    assert focus_is_visible(page), "the Sign in button shows no focus indicator"
    with site.navigation():
        page.keyboard.press("Enter")

    assert site.path == "/home"
    assert site.heading() == "Welcome, Alex Admin"
