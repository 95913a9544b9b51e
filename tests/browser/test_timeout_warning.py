"""The "You're about to be signed out" warning in Chromium, on a server with a 15-second idle
limit and a 10-second warning (so the dialog opens about 5 seconds after a page loads).

It opens as a modal dialog that passes axe, with the focus on "Stay signed in"; the keyboard
alone (Enter, or Esc) keeps the session; left alone, the page goes to the sign-in page with the
reason, unless something was typed, which then stays on the page; posted after that, it comes
back through sign-in on a form that keeps what was typed. Screenshots go to
``ACCREDIT_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from accredit import create_app
from accredit.data.models import Organisation, User
from tests.browser.server import PASSWORD, Live
from tests.browser.support import Site, check_accessibility, focus_is_visible

pytestmark = pytest.mark.browser

IDLE_SECONDS = 15
WARNING_SECONDS = 10


@pytest.fixture
def short_sessions(live: Live) -> Live:
    """The live server with short session limits (this test's app only; the next test's
    ``live`` fixture puts back the usual one)."""
    settings = live.settings.model_copy(
        update={"idle_minutes": IDLE_SECONDS / 60, "idle_warning_minutes": WARNING_SECONDS / 60}
    )
    app = create_app(settings)
    live.server.dispatcher.app = app
    live.app = app
    return live


def _shot(site: Site, name: str) -> None:
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        site.page.screenshot(path=str(Path(folder) / f"{name}.png"))


def _wait_for_warning(site: Site):
    dialog = site.page.get_by_role("dialog", name="You're about to be signed out")
    dialog.wait_for(state="visible", timeout=(IDLE_SECONDS - WARNING_SECONDS + 5) * 1000)
    return dialog


def _focused_text(site: Site) -> str:
    return str(site.focused("el => el.textContent.trim()"))


def test_the_warning_keeps_you_signed_in_by_keyboard(
    short_sessions: Live, site: Site, org_lead: User
) -> None:
    site.sign_in(org_lead.email, PASSWORD)
    loaded = time.monotonic()
    home = site.heading()
    page = site.page

    dialog = _wait_for_warning(site)
    assert "For your security, we will sign you out in" in dialog.inner_text()
    check_accessibility(page)
    _shot(site, "timeout-warning")

    # The focus is in the dialog, on its main action; Tab reaches "Sign out" and comes back.
    assert _focused_text(site) == "Stay signed in"
    assert focus_is_visible(page)
    page.keyboard.press("Tab")
    assert _focused_text(site) == "Sign out"
    page.keyboard.press("Shift+Tab")
    assert _focused_text(site) == "Stay signed in"

    with page.expect_response("**/session/keep-alive") as kept:
        page.keyboard.press("Enter")
    assert kept.value.status == 200
    assert kept.value.json()["seconds_left"] >= IDLE_SECONDS - 1
    dialog.wait_for(state="hidden")
    stayed = time.monotonic()

    # It comes back before the new limit; Esc means "Stay signed in" too.
    _wait_for_warning(site)
    with page.expect_response("**/session/keep-alive") as kept_again:
        page.keyboard.press("Escape")
    assert kept_again.value.status == 200
    dialog.wait_for(state="hidden")

    # Past the time the session would have ended without "Stay signed in": still signed in.
    page.wait_for_timeout(max(0, (stayed + IDLE_SECONDS + 1 - time.monotonic()) * 1000))
    assert time.monotonic() - loaded > IDLE_SECONDS + 1
    site.goto("/home")
    assert site.path == "/home" and site.heading() == home


def test_left_alone_the_page_goes_to_sign_in_and_says_why(
    short_sessions: Live, site: Site, org_lead: User
) -> None:
    site.sign_in(org_lead.email, PASSWORD)
    _wait_for_warning(site)
    site.page.set_default_navigation_timeout((WARNING_SECONDS + 10) * 1000)
    with site.navigation():
        pass  # nobody answers: the countdown ends and the page moves on by itself
    assert site.path == "/sign-in"
    assert "You were signed out because you had not done anything for 15 seconds" in (
        site.main_text()
    )
    site.submit({"Email address": org_lead.email, "Password": PASSWORD}, "Sign in")
    assert site.path == "/home"  # back where the countdown ended


def test_what_was_typed_comes_back_after_signing_in_again(
    short_sessions: Live, site: Site, hee_admin: User, organisation: Organisation
) -> None:
    site.sign_in(hee_admin.email, PASSWORD)
    site.goto(f"/organisations/{organisation.id}/invite")
    started = site.path
    page = site.page
    page.get_by_label("Full name", exact=True).fill("Priya Patel")
    page.get_by_label("Email address", exact=True).fill("priya.patel@example.nhs.uk")
    ended = page.get_by_role("dialog", name="You have been signed out")
    ended.wait_for(state="visible", timeout=(IDLE_SECONDS + 5) * 1000)
    assert "We have not lost what you typed" in ended.inner_text()
    check_accessibility(page)
    _shot(site, "timeout-signed-out-kept")
    page.get_by_role("button", name="Continue").click()
    ended.wait_for(state="hidden")
    assert page.get_by_label("Full name", exact=True).input_value() == "Priya Patel"

    # Sending it now asks them to sign in, carrying what was typed, then shows it again.
    site.follow("Send invitation", status=401)
    assert site.heading() == "Sign in to save what you typed"
    _shot(site, "session-ended-sign-in")
    site.submit({"Email address": hee_admin.email, "Password": PASSWORD}, "Sign in and continue")
    assert site.path == started
    assert "before you were signed out" in site.main_text()
    assert page.get_by_label("Full name", exact=True).input_value() == "Priya Patel"
    assert page.get_by_label("Email address", exact=True).input_value() == (
        "priya.patel@example.nhs.uk"
    )
    _shot(site, "session-ended-kept")
    site.submit({}, "Send invitation")  # nothing was sent behind their back: now it is
    assert "Invitation sent to priya.patel@example.nhs.uk" in site.main_text()


def test_a_form_that_is_not_kept_says_to_copy_what_was_typed(
    short_sessions: Live, site: Site, hee_admin: User, organisation: Organisation
) -> None:
    site.sign_in(hee_admin.email, PASSWORD)
    site.goto(f"/organisations/{organisation.id}/delete")
    started = site.page.url
    confirm = site.page.get_by_label("Type the organisation's ODS code to confirm", exact=True)
    confirm.fill("RX9")
    ended = site.page.get_by_role("dialog", name="You have been signed out")
    ended.wait_for(state="visible", timeout=(IDLE_SECONDS + 5) * 1000)
    # A deletion's confirmation is typed on purpose, never carried through sign-in.
    assert "it has not been saved. Copy anything you want to keep" in ended.inner_text()
    check_accessibility(site.page)
    site.page.get_by_role("button", name="Continue").click()
    ended.wait_for(state="hidden")
    assert site.page.url == started
    assert confirm.input_value() == "RX9"
