"""Invitations: HEE admins invite leads, leads invite colleagues; links work once for 7 days."""

from __future__ import annotations

import re
from datetime import timedelta

from accredit.data.base import utcnow
from accredit.data.models import Invitation, User
from accredit.data.queries.users import user_by_email
from accredit.domain.organisations import Role
from accredit.extensions import db
from accredit.services.mail import read_outbox
from tests.support.forms import submit
from tests.support.html import error_summary, page

GOOD_PASSWORD = "velvet-compass-orchard-19"


def _invite(client, org_id, email="new.lead@example.nhs.uk", role="org_lead"):
    url = f"/organisations/{org_id}/invite"
    return submit(client, url, {"name": "New Person", "email": email, "role": role})


def _link(settings):
    body = read_outbox(settings)[-1].get_content()
    match = re.search(r"http://localhost(/invitations/[\w-]+)", body)
    assert match, body
    return match.group(1)


def test_hee_admin_invites_a_lead_who_sets_a_password_and_signs_in(app, settings, clients, org):
    response = _invite(clients[Role.HEE_ADMIN], org.id)
    assert response.status_code == 302
    message = read_outbox(settings)[-1]
    assert message["To"] == "new.lead@example.nhs.uk"
    link = _link(settings)

    fresh = app.test_client()
    soup = page(fresh.get(link))
    assert "new.lead@example.nhs.uk" in soup.get_text()
    response = submit(fresh, link, {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.headers["Location"] == "/sign-in"
    user = user_by_email("new.lead@example.nhs.uk")
    assert user is not None and user.role is Role.ORG_LEAD and user.organisation_id == org.id
    signed_in = submit(fresh, "/sign-in", {"email": user.email, "password": GOOD_PASSWORD})
    assert signed_in.headers["Location"] == "/home"


def test_invitation_link_is_single_use(app, settings, clients, org):
    _invite(clients[Role.HEE_ADMIN], org.id)
    link = _link(settings)
    fresh = app.test_client()
    submit(fresh, link, {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    again = fresh.get(link)
    assert again.status_code == 410
    assert "already been used" in page(again).get_text()


def test_invitation_expires_after_seven_days(app, settings, clients, org):
    _invite(clients[Role.HEE_ADMIN], org.id)
    link = _link(settings)
    invitation = db.session.query(Invitation).one()
    assert timedelta(days=6, hours=23) < invitation.expires_at - utcnow() <= timedelta(days=7)
    with db.transaction():
        invitation.expires_at = utcnow() - timedelta(minutes=1)
    response = app.test_client().get(link)
    assert response.status_code == 410
    assert "expired" in page(response).get_text()


def test_token_is_stored_only_as_a_hash(settings, clients, org):
    _invite(clients[Role.HEE_ADMIN], org.id)
    token = _link(settings).rsplit("/", 1)[1]
    invitation = db.session.query(Invitation).one()
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


def test_unknown_link_is_refused_clearly(client):
    response = client.get("/invitations/not-a-real-token")
    assert response.status_code == 410
    assert "not valid" in page(response).get_text()


def test_weak_and_mismatched_passwords_are_refused_and_the_link_still_works(
    app, settings, clients, org
):
    _invite(clients[Role.HEE_ADMIN], org.id)
    link = _link(settings)
    fresh = app.test_client()
    cases = {
        "short": ("Password must be 12 characters or more", "short", "short"),
        "common": ("too common", "password1234", "password1234"),
        "own email": ("too common", "new.lead@example.nhs.uk", "new.lead@example.nhs.uk"),
        "mismatch": ("do not match", GOOD_PASSWORD, GOOD_PASSWORD + "x"),
    }
    for name, (message, password, confirm) in cases.items():
        response = submit(fresh, link, {"password": password, "confirm": confirm})
        assert response.status_code == 200, name
        assert any(message in error for error in error_summary(page(response))), name
    assert user_by_email("new.lead@example.nhs.uk") is None
    assert (
        submit(fresh, link, {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}).status_code
        == 302
    )


def test_lead_invites_a_colleague_to_their_own_organisation(settings, clients, org):
    response = _invite(
        clients[Role.ORG_LEAD], org.id, "colleague@example.nhs.uk", "org_contributor"
    )
    assert response.status_code == 302
    invitation = db.session.query(Invitation).one()
    assert invitation.role is Role.ORG_CONTRIBUTOR and invitation.organisation_id == org.id


def test_lead_cannot_invite_into_another_organisation(clients, other_org):
    assert clients[Role.ORG_LEAD].get(f"/organisations/{other_org.id}/invite").status_code == 404


def test_lead_cannot_invite_hee_staff(clients, org):
    response = _invite(clients[Role.ORG_LEAD], org.id, "sneaky@example.nhs.uk", "hee_admin")
    assert response.status_code == 200
    assert "Not a valid choice." in error_summary(page(response))
    assert db.session.query(Invitation).count() == 0


def test_contributors_and_reviewers_cannot_invite(clients, org):
    assert clients[Role.ORG_CONTRIBUTOR].get(f"/organisations/{org.id}/invite").status_code == 403
    assert clients[Role.HEE_REVIEWER].get(f"/organisations/{org.id}/invite").status_code == 403


def test_inviting_an_existing_account_is_explained(clients, people, org):
    response = _invite(clients[Role.HEE_ADMIN], org.id, people[Role.ORG_CONTRIBUTOR].email)
    assert response.status_code == 200
    assert "already an account" in error_summary(page(response))[0]


def test_hee_admin_invites_a_reviewer(app, settings, clients):
    response = submit(
        clients[Role.HEE_ADMIN],
        "/hee-staff/invite",
        {"name": "Rev Iewer", "email": "rev@hee.example.nhs.uk", "role": "hee_reviewer"},
    )
    assert response.status_code == 302
    link = _link(settings)
    submit(app.test_client(), link, {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    user = db.session.query(User).filter_by(email="rev@hee.example.nhs.uk").one()
    assert user.role is Role.HEE_REVIEWER and user.organisation_id is None


def test_accepting_after_the_account_appeared_elsewhere_is_explained(app, settings, clients, org):
    from accredit.services import accounts
    from accredit.services.accounts import AccountError

    _invite(clients[Role.HEE_ADMIN], org.id)
    token = _link(settings).rsplit("/", 1)[1]
    # The same person finishes the invitation in another tab a moment earlier.
    with db.transaction():
        accounts.create_user(
            email="new.lead@example.nhs.uk",
            name="Tab",
            role=Role.ORG_LEAD,
            password=None,
            organisation=org,
        )
    try:
        accounts.accept_invitation(token, GOOD_PASSWORD)
    except AccountError as error:
        assert "already" in str(error)
    else:
        raise AssertionError("a second account was made for the same person")
    assert db.session.query(User).filter_by(email="new.lead@example.nhs.uk").count() == 1
