"""Invitations: HEE admins invite leads, leads invite colleagues; links work once for 7 days."""

from __future__ import annotations

import re
from datetime import timedelta

from accredit.data.base import utcnow
from accredit.data.models import AuditEvent, Invitation, User
from accredit.data.queries.accounts.users import user_by_email
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.operations.mail import read_outbox
from tests.support.forms import csrf_token, submit
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
    with unit_of_work():
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
    from accredit.services.accounts import accounts, invitations
    from accredit.services.accounts.accounts import AccountError

    _invite(clients[Role.HEE_ADMIN], org.id)
    token = _link(settings).rsplit("/", 1)[1]
    # The same person finishes the invitation in another tab a moment earlier.
    with unit_of_work():
        accounts.create_user(
            email="new.lead@example.nhs.uk",
            name="Tab",
            role=Role.ORG_LEAD,
            password=None,
            organisation=org,
        )
    try:
        invitations.accept_invitation(token, GOOD_PASSWORD)
    except AccountError as error:
        assert "already" in str(error)
    else:
        raise AssertionError("a second account was made for the same person")
    assert db.session.query(User).filter_by(email="new.lead@example.nhs.uk").count() == 1


def _no_password_form(soup) -> None:
    """An outdated link never asks for a password."""
    assert soup.find("input", {"type": "password"}) is None
    assert "Set your password" not in soup.get_text()


def test_inviting_again_while_one_is_waiting_sends_a_fresh_link_in_its_place(
    app, settings, clients, org
):
    admin = clients[Role.HEE_ADMIN]
    assert _invite(admin, org.id).status_code == 302
    first = _link(settings)
    again = submit(
        admin,
        f"/organisations/{org.id}/invite",
        {"name": "Newly Named", "email": "NEW.lead@example.nhs.uk", "role": "org_lead"},
    )
    assert again.status_code == 302
    shown = " ".join(page(admin.get(again.headers["Location"])).get_text().split())
    assert (
        "new.lead@example.nhs.uk already had an invitation waiting, so it has been sent again "
        "with a new link. The link in the earlier email no longer works." in shown
    )
    second = _link(settings)
    assert second != first and len(read_outbox(settings)) == 2
    live = [i for i in db.session.query(Invitation) if i.expires_at > utcnow()]
    assert len(live) == 1 and live[0].name == "Newly Named"  # the latest details
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["invitation-sent", "invitation-resent"]

    fresh = app.test_client()
    old = fresh.get(first)
    assert old.status_code == 410
    soup = page(old)
    assert "This invitation has been replaced by a newer one" in soup.get_text()
    _no_password_form(soup)
    # Posting a password to the old link does nothing either.
    token = csrf_token(fresh, "/sign-in")
    posted = fresh.post(
        first, data={"csrf_token": token, "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}
    )
    assert posted.status_code == 410 and user_by_email("new.lead@example.nhs.uk") is None
    assert "Set your password" in page(fresh.get(second)).get_text()
    submit(fresh, second, {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert user_by_email("new.lead@example.nhs.uk").name == "Newly Named"


def test_a_used_link_says_so_before_asking_for_a_password(app, settings, clients, org):
    _invite(clients[Role.HEE_ADMIN], org.id)
    link = _link(settings)
    fresh = app.test_client()
    submit(fresh, link, {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    soup = page(fresh.get(link))
    assert "already been used. Sign in" in soup.get_text()
    assert soup.find("a", href="/sign-in") is not None
    _no_password_form(soup)


def test_a_lapsed_link_says_so_and_to_ask_for_a_new_one(app, settings, clients, org):
    _invite(clients[Role.HEE_ADMIN], org.id)
    link = _link(settings)
    with unit_of_work():
        db.session.query(Invitation).one().expires_at = utcnow() - timedelta(minutes=1)
    soup = page(app.test_client().get(link))
    assert "This invitation has expired. Ask the person who invited you" in soup.get_text()
    _no_password_form(soup)


def test_a_link_for_an_email_that_has_an_account_says_so_on_opening(
    app, settings, clients, org, other_org
):
    """Invited to two organisations, the person accepts one: the other link cannot make a
    second account, and says so before asking for a password."""
    admin = clients[Role.HEE_ADMIN]
    _invite(admin, other_org.id)
    elsewhere = _link(settings)
    _invite(admin, org.id)
    here = _link(settings)
    fresh = app.test_client()
    submit(fresh, here, {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    response = fresh.get(elsewhere)
    assert response.status_code == 410
    soup = page(response)
    text = " ".join(soup.get_text().split())
    assert "There is already an account for new.lead@example.nhs.uk" in text
    assert "Sign in with that email address, or reset your password" in text
    assert soup.find("a", href="/forgot-password") is not None
    _no_password_form(soup)


def test_inviting_someone_who_has_an_account_sends_nothing(settings, clients, people, org):
    response = _invite(clients[Role.HEE_ADMIN], org.id, people[Role.ORG_CONTRIBUTOR].email)
    assert error_summary(page(response)) == [
        f"There is already an account for {people[Role.ORG_CONTRIBUTOR].email}"
    ]
    assert read_outbox(settings) == [] and db.session.query(Invitation).count() == 0
