"""Two-factor authentication in Chromium: an HEE admin, required to use it, signs in, is sent
to set it up, scans (here: reads) the key, confirms a code, sees the recovery codes, signs out
and signs in again with a code. ``Site`` checks every page, axe included. Screenshots go to
``ACCREDIT_SCREENSHOTS`` when set."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from accredit.data.models import User
from accredit.domain.accounts import totp
from accredit.extensions import db
from tests.browser.server import PASSWORD

pytestmark = pytest.mark.browser


def _shot(site, name: str) -> None:
    folder = os.environ.get("ACCREDIT_SCREENSHOTS")
    if folder:
        site.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _next_code(live, user: User, secret: str) -> str:
    """A code the server has not seen yet: the step after the last one it accepted."""
    with live.app.app_context():
        last = db.session.get(User, user.id).totp_last_step
    return totp.code_for_step(secret, max(last + 1, totp.time_step(time.time())))


def test_an_admin_sets_up_two_factor_then_signs_in_with_a_code(live, site, hee_admin, monkeypatch):
    monkeypatch.setattr(live.settings, "admin_two_factor", True)
    site.sign_in(hee_admin.email, PASSWORD)
    assert site.path == "/account/two-factor/set-up"
    assert site.heading() == "Set up two-factor authentication"
    assert "HEE admins must use two-factor authentication" in site.main_text()
    qr = site.page.get_by_role(
        "img", name="QR code to add Work experience accreditation to your authenticator app"
    )
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    _shot(site, "two-factor-set-up")
    secret = site.page.locator("#setup-key").inner_text().replace(" ", "")

    site.submit(
        {"Enter the 6-digit code your app shows": "000000"}, "Turn on two-factor authentication"
    )
    assert site.error_summary() == [
        "The code is not right. Enter the 6-digit code your authenticator app shows now"
    ]
    site.submit(
        {"Enter the 6-digit code your app shows": totp.code_at(secret, time.time())},
        "Turn on two-factor authentication",
    )
    assert site.heading() == "Save your recovery codes"
    assert site.page.locator("#recovery-codes li").count() == 10
    _shot(site, "two-factor-recovery-codes")
    site.follow("I have saved my recovery codes")
    assert site.path == "/home"

    site.sign_out()
    site.sign_in(hee_admin.email, PASSWORD)
    assert site.path == "/sign-in/two-factor"
    assert site.heading() == "Enter your security code"
    _shot(site, "two-factor-sign-in")
    site.submit(
        {"Enter the 6-digit code from your authenticator app": "12345"}, "Continue", status=401
    )
    assert site.error_summary() == [
        "The code is not right. Enter the 6-digit code your app shows now"
    ]
    site.submit(
        {"Enter the 6-digit code from your authenticator app": _next_code(live, hee_admin, secret)},
        "Continue",
    )
    assert site.path == "/home"
    assert hee_admin.name in site.body_text()

    site.goto("/account/two-factor")
    assert "Two-factor authentication is on" in site.main_text()
    assert "HEE admins must keep two-factor authentication on" in site.main_text()
