"""Password reset by emailed link."""

from __future__ import annotations

import re

from accredit.domain.accounts.organisations import Role
from accredit.services.operations.mail import read_outbox
from tests.integration.conftest import PASSWORD
from tests.support.forms import submit
from tests.support.html import page

NEW_PASSWORD = "lantern-pebble-canyon-83"


def _reset_link(settings):
    body = read_outbox(settings)[-1].get_content()
    match = re.search(r"http://localhost(/reset-password/[\w.-]+)", body)
    assert match, body
    return match.group(1)


def test_reset_changes_the_password_and_ends_other_sessions(app, settings, people, sign_in_as):
    lead = people[Role.ORG_LEAD]
    elsewhere = sign_in_as(lead)
    assert elsewhere.get("/home").status_code == 200

    client = app.test_client()
    response = submit(client, "/forgot-password", {"email": lead.email})
    assert "Check your email" in page(response).h1.get_text()
    link = _reset_link(settings)
    response = submit(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/sign-in"

    assert elsewhere.get("/home").status_code == 302
    assert (
        submit(client, "/sign-in", {"email": lead.email, "password": PASSWORD}).status_code == 401
    )
    assert (
        submit(client, "/sign-in", {"email": lead.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_reset_link_works_once(app, settings, people):
    client = app.test_client()
    submit(client, "/forgot-password", {"email": people[Role.ORG_LEAD].email})
    link = _reset_link(settings)
    submit(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in page(again).get_text()


def test_unknown_email_gets_the_same_answer_and_no_mail(client, settings):
    response = submit(client, "/forgot-password", {"email": "nobody@example.nhs.uk"})
    assert "Check your email" in page(response).h1.get_text()
    assert read_outbox(settings) == []


def test_tampered_link_is_refused(client):
    response = client.get("/reset-password/not.a.token")
    assert response.status_code == 410
    assert "not valid" in page(response).get_text()


def test_signing_out_elsewhere_does_not_spoil_a_reset_link(app, settings, people, sign_in_as):
    lead = people[Role.ORG_LEAD]
    client = app.test_client()
    submit(client, "/forgot-password", {"email": lead.email})
    link = _reset_link(settings)
    elsewhere = sign_in_as(lead)
    submit(elsewhere, "/sign-out", {}, page="/home")
    response = submit(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/sign-in"
