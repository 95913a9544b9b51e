"""The sign-in throttle through the sign-in page: a guesser who knows a lead's email is slowed
where they guess, and cannot lock the lead out (accredit.domain.accounts.sign_in_throttle).

Each client is a browser at its own address (REMOTE_ADDR)."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accredit.data.models import AuditEvent
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.operations.mail import read_outbox
from tests.integration.conftest import PASSWORD
from tests.support.forms import submit
from tests.support.html import error_summary, page

WRONG = "nope-nope-nope"
WAIT = "You have entered the wrong details too many times. Wait 15 minutes, then try again."
LOCKED = "There have been too many wrong attempts to sign in to this account, so it is locked"


def at(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> int:
    return submit(client, "/sign-in", {"email": email, "password": password}).status_code


def refusals(email: str) -> list[str | None]:
    return list(
        db.session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.target == email, AuditEvent.action == "sign-in-throttled"
            )
        )
    )


def test_a_guesser_elsewhere_does_not_lock_the_lead_out(app, people):
    email = people[Role.ORG_LEAD].email
    guesser = at(app, "203.0.113.9")
    assert [sign_in(guesser, email, WRONG) for _ in range(5)] == [401] * 5
    assert sign_in(at(app, "198.51.100.4"), email) == 302


def test_the_guesser_is_refused_after_five_even_with_the_right_password(app, people):
    email = people[Role.ORG_LEAD].email
    guesser = at(app, "203.0.113.9")
    for _ in range(5):
        sign_in(guesser, email, WRONG)
    refused = submit(guesser, "/sign-in", {"email": email, "password": PASSWORD})
    assert refused.status_code == 429
    assert error_summary(page(refused)) == [WAIT + " Or reset your password."]
    assert refusals(email) == ["account-at-address limit"]
    # Signing in from its own address meanwhile does not reopen the guesser's.
    assert sign_in(at(app, "198.51.100.4"), email) == 302
    assert sign_in(guesser, email, WRONG) == 429


def test_signing_in_from_an_address_disregards_its_earlier_failures(app, people):
    email = people[Role.ORG_LEAD].email
    lead = at(app, "198.51.100.4")
    assert [sign_in(lead, email, WRONG) for _ in range(4)] == [401] * 4
    assert sign_in(lead, email) == 302
    lead = at(app, "198.51.100.4")
    assert [sign_in(lead, email, WRONG) for _ in range(6)] == [401] * 5 + [429]


def test_the_account_ceiling_refuses_everyone_until_the_password_is_reset(app, settings, people):
    settings.sign_in_account_attempts = 6  # 100 in service; the rule is the same
    email = people[Role.ORG_LEAD].email
    for n in range(3):  # guessers at three addresses, each within their own limit
        guesser = at(app, f"203.0.113.{n + 1}")
        assert [sign_in(guesser, email, WRONG) for _ in range(2)] == [401, 401]
    lead = at(app, "198.51.100.4")
    refused = submit(lead, "/sign-in", {"email": email, "password": PASSWORD})
    assert refused.status_code == 429
    (message,) = error_summary(page(refused))
    assert message.startswith(LOCKED) and "Reset your password to unlock it" in message
    assert refusals(email) == ["account limit"]

    # Not a window: failures from long ago still count, and waiting does not reopen it.
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.target == email)):
        event.created_at -= timedelta(days=1)
    db.session.commit()
    assert sign_in(lead, email) == 429

    # The reset link goes only to the lead; setting a new password lets them in.
    assert submit(lead, "/forgot-password", {"email": email}).status_code == 200
    link = re.search(
        r"http://localhost(/reset-password/\S+)", read_outbox(settings)[-1].get_content()
    )
    assert link
    new_password = "saffron-kettle-glacier-28"
    reset = submit(lead, link.group(1), {"password": new_password, "confirm": new_password})
    assert reset.status_code == 302
    assert sign_in(lead, email, new_password) == 302


def test_a_sign_in_restarts_the_accounts_count(app, settings, people):
    settings.sign_in_account_attempts = 6
    email = people[Role.ORG_LEAD].email
    for n in range(3):
        guesser = at(app, f"203.0.113.{n + 1}")
        sign_in(guesser, email, WRONG)
        sign_in(guesser, email, WRONG)
        if n == 1:
            assert sign_in(at(app, "198.51.100.4"), email) == 302  # after four failures
    assert sign_in(at(app, "198.51.100.4"), email) == 302  # two since: far from six


def test_one_address_trying_many_accounts_is_refused_there_only(app, settings, people):
    settings.sign_in_address_attempts = 4
    sprayer = at(app, "203.0.113.9")
    for n in range(4):
        assert sign_in(sprayer, f"guess{n}@example.nhs.uk", WRONG) == 401
    email = people[Role.ORG_LEAD].email
    refused = submit(sprayer, "/sign-in", {"email": email, "password": PASSWORD})
    assert refused.status_code == 429
    assert error_summary(page(refused)) == [WAIT + " Or reset your password."]
    assert refusals(email) == ["address limit"]
    assert sign_in(at(app, "198.51.100.4"), email) == 302


def test_wrong_two_factor_codes_and_passwords_share_the_rule(app, settings, people):
    """The service behind both pages: a refusal carries its limit and its message."""
    from accredit.domain.accounts.sign_in_throttle import Refusal
    from accredit.services.accounts import signing_in
    from accredit.services.accounts.signing_in import SignInOutcome

    email = people[Role.HEE_REVIEWER].email
    for _ in range(5):
        signing_in.sign_in(settings, email, WRONG, "203.0.113.9")
    refused = signing_in.sign_in(settings, email, PASSWORD, "203.0.113.9")
    assert refused.outcome is SignInOutcome.THROTTLED
    assert refused.refusal is Refusal.ACCOUNT_AT_ADDRESS and refused.refused_message == WAIT
    assert signing_in.sign_in(settings, email, PASSWORD, None).outcome is SignInOutcome.OK
