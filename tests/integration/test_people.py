"""Changing a person's role or access: who may, what is recorded, what it does at once, and
what stays whatever two managers do at the same moment."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accredit.data.models import AuditEvent, User
from accredit.data.queries.accounts import people as people_queries
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.accounts import people as people_service
from tests.integration.conftest import PASSWORD
from tests.support.forms import csrf_token, submit
from tests.support.html import error_summary, page


def _person(user_id: int) -> User:
    db.session.expire_all()
    person = db.session.get(User, user_id)
    assert person is not None
    return person


def _events(user_id: int) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.target == f"user:{user_id}").order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def _change(client, user_id: int, role: str, access: str):
    return submit(
        client, f"/people/{user_id}", {"role": role, "access": access, **_seen(client, user_id)}
    )


def _seen(client, user_id: int) -> dict[str, str]:
    field = page(client.get(f"/people/{user_id}")).find("input", {"name": "seen"})
    return {"seen": field["value"]}


def test_a_lead_makes_a_colleague_a_lead_and_it_is_recorded(clients, people):
    colleague = people[Role.ORG_CONTRIBUTOR]
    lead = clients[Role.ORG_LEAD]
    response = _change(lead, colleague.id, "org_lead", "active")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisations/{colleague.organisation_id}"
    shown = page(lead.get(response.headers["Location"])).get_text()
    assert f"{colleague.name}'s role is now Organisation lead." in shown
    assert _person(colleague.id).role is Role.ORG_LEAD
    (event,) = _events(colleague.id)
    assert event.action == "user-role-changed"
    assert event.actor_id == people[Role.ORG_LEAD].id
    assert event.before == {"role": "org_contributor", "active": True}
    assert event.after == {"role": "org_lead", "active": True}


def test_removing_access_signs_them_out_at_once_and_giving_it_back_lets_them_in(
    app, clients, people
):
    colleague = people[Role.ORG_CONTRIBUTOR]
    their_browser = clients[Role.ORG_CONTRIBUTOR]
    assert their_browser.get("/home").status_code == 200
    lead = clients[Role.ORG_LEAD]
    assert _change(lead, colleague.id, "org_contributor", "deactivated").status_code == 302
    shown = page(lead.get(f"/organisations/{colleague.organisation_id}")).get_text()
    assert f"{colleague.name} can no longer sign in, and has been signed out." in shown
    # Their open session has ended, and their password no longer signs them in.
    assert their_browser.get("/home").headers["Location"].startswith("/sign-in")
    fresh = app.test_client()
    refused = submit(fresh, "/sign-in", {"email": colleague.email, "password": PASSWORD})
    assert refused.status_code == 401
    assert [e.action for e in _events(colleague.id)] == ["user-deactivated"]

    assert _change(lead, colleague.id, "org_contributor", "active").status_code == 302
    again = submit(app.test_client(), "/sign-in", {"email": colleague.email, "password": PASSWORD})
    assert again.status_code == 302
    assert [e.action for e in _events(colleague.id)] == ["user-deactivated", "user-reactivated"]


def test_the_organisation_page_links_each_person_for_those_who_manage_them(clients, people, org):
    url = f"/organisations/{org.id}"
    colleague = f"/people/{people[Role.ORG_CONTRIBUTOR].id}"
    lead_page = clients[Role.ORG_LEAD].get(url).get_data(as_text=True)
    assert colleague in lead_page
    assert f'/people/{people[Role.ORG_LEAD].id}"' not in lead_page  # not themselves
    assert colleague in clients[Role.HEE_ADMIN].get(url).get_data(as_text=True)
    assert colleague not in clients[Role.ORG_CONTRIBUTOR].get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "whom", "status"),
    [
        (Role.ORG_CONTRIBUTOR, Role.ORG_LEAD, 403),
        (Role.HEE_REVIEWER, Role.ORG_CONTRIBUTOR, 403),
        (Role.ORG_LEAD, Role.HEE_REVIEWER, 404),  # HEE staff are not theirs to see
        (Role.ORG_LEAD, Role.ORG_LEAD, 403),  # themselves
        (Role.HEE_ADMIN, Role.HEE_ADMIN, 403),  # themselves
    ],
)
def test_who_may_not_change_whom(clients, people, role, whom, status):
    url = f"/people/{people[whom].id}"
    assert clients[role].get(url).status_code == status
    token = csrf_token(clients[role], "/home")
    posted = clients[role].post(
        url, data={"csrf_token": token, "role": "org_lead", "access": "deactivated"}
    )
    assert posted.status_code == status
    assert _person(people[whom].id).active
    assert _events(people[whom].id) == []


def test_a_lead_cannot_reach_another_organisations_people(clients, make_user, other_org):
    elsewhere = make_user(Role.ORG_CONTRIBUTOR, other_org)
    assert clients[Role.ORG_LEAD].get(f"/people/{elsewhere.id}").status_code == 404
    assert clients[Role.HEE_ADMIN].get(f"/people/{elsewhere.id}").status_code == 200


def test_an_organisation_always_keeps_an_active_lead(clients, people):
    only_lead = people[Role.ORG_LEAD]
    admin = clients[Role.HEE_ADMIN]
    for role, access in (("org_contributor", "active"), ("org_lead", "deactivated")):
        response = _change(admin, only_lead.id, role, access)
        assert response.status_code == 200
        assert error_summary(page(response)) == [
            "An organisation must always have an active lead: make someone else a lead first"
        ]
        assert page(response).find("input", {"name": "role", "value": role}).has_attr("checked")
    assert _person(only_lead.id).role is Role.ORG_LEAD and _person(only_lead.id).active
    assert _events(only_lead.id) == []


def test_two_changes_at_once_cannot_both_take_the_last_lead(people, make_user, org, monkeypatch):
    """The change reads how many other leads remain, then writes. If another change took one
    away in between, the conditional update finds no other lead and changes nothing."""
    admin = people[Role.HEE_ADMIN]
    second = make_user(Role.ORG_LEAD, org)
    assert people_queries.other_keepers(Role.ORG_LEAD, org.id, second.id) == 1
    # The other manager demotes the first lead after this change has counted it: its first
    # count still sees that lead; every later look sees what is committed.
    counted = people_queries.other_keepers
    people_service.change(admin, _person(people[Role.ORG_LEAD].id), Role.ORG_CONTRIBUTOR, True)
    looks = iter([1])
    monkeypatch.setattr(
        people_queries, "other_keepers", lambda *args: next(looks, None) or counted(*args)
    )
    with pytest.raises(people_service.PersonRefused, match="must always have an active lead"):
        people_service.change(admin, _person(second.id), Role.ORG_CONTRIBUTOR, True)
    assert _person(second.id).role is Role.ORG_LEAD
    assert _events(second.id) == []


def test_a_change_made_meanwhile_is_not_overwritten(clients, people):
    colleague = people[Role.ORG_CONTRIBUTOR]
    lead, admin = clients[Role.ORG_LEAD], clients[Role.HEE_ADMIN]
    seen = _seen(lead, colleague.id)  # the lead opens the page
    assert _change(admin, colleague.id, "org_lead", "active").status_code == 302
    response = submit(
        lead,
        f"/people/{colleague.id}",
        {"role": "org_contributor", "access": "deactivated", **seen},
    )
    assert response.status_code == 200
    assert "Someone else changed" in error_summary(page(response))[0]
    assert _person(colleague.id).active and _person(colleague.id).role is Role.ORG_LEAD
    # The page now shows what it is, so saving again is a considered choice.
    retried = submit(
        lead,
        f"/people/{colleague.id}",
        {
            "role": "org_contributor",
            "access": "deactivated",
            "seen": page(response).find("input", {"name": "seen"})["value"],
        },
    )
    assert retried.status_code == 302 and not _person(colleague.id).active


def test_hee_admins_see_hee_staff_and_change_them(clients, people):
    assert clients[Role.HEE_REVIEWER].get("/hee-staff").status_code == 403
    admin = clients[Role.HEE_ADMIN]
    listing = page(admin.get("/hee-staff"))
    rows = {tr.find_all("td")[0].get_text(strip=True) for tr in listing.select("tbody tr")}
    assert {people[Role.HEE_REVIEWER].name, people[Role.HEE_ADMIN].name} <= rows
    assert people[Role.ORG_LEAD].name not in rows
    reviewer = people[Role.HEE_REVIEWER]
    assert _change(admin, reviewer.id, "hee_admin", "active").status_code == 302
    assert _person(reviewer.id).role is Role.HEE_ADMIN
    refused = _change(admin, reviewer.id, "org_lead", "active")
    assert error_summary(page(refused)) == ["Not a valid choice."]
    assert clients[Role.ORG_LEAD].get("/hee-staff").status_code == 403
    assert clients[Role.ORG_CONTRIBUTOR].get("/hee-staff").status_code == 403


def test_a_lead_cannot_give_back_access_hee_removed(clients, people):
    colleague = people[Role.ORG_CONTRIBUTOR]
    lead, admin = clients[Role.ORG_LEAD], clients[Role.HEE_ADMIN]
    assert _change(admin, colleague.id, "org_contributor", "deactivated").status_code == 302
    refused = _change(lead, colleague.id, "org_contributor", "active")
    assert refused.status_code == 200
    assert error_summary(page(refused)) == [
        "HEE removed this person's access, so only HEE can give it back"
    ]
    assert not _person(colleague.id).active
    # Access the lead removed, the lead may give back; HEE may give back either.
    assert _change(admin, colleague.id, "org_contributor", "active").status_code == 302
    assert _change(lead, colleague.id, "org_contributor", "deactivated").status_code == 302
    assert _change(lead, colleague.id, "org_contributor", "active").status_code == 302
    assert _person(colleague.id).active


WAITING = "Invited \N{EN DASH} waiting for them to accept"


def _people_rows(client, organisation_id: int) -> list[str]:
    soup = page(client.get(f"/organisations/{organisation_id}"))
    table = soup.find("caption", string=lambda text: text and text.startswith("People at"))
    return [" ".join(tr.get_text(" ").split()) for tr in table.parent.select("tbody tr")]


def test_the_people_table_lists_invitations_waiting_to_be_accepted(
    app, settings, clients, make_org
):
    """Nobody has joined yet, but someone was invited: the table says so, with the dates,
    until they accept (then they are a person) or the invitation lapses."""
    import re
    from datetime import timedelta

    from accredit.data.base import utcnow
    from accredit.data.models import Invitation
    from accredit.services.operations.mail import read_outbox

    empty = make_org("Quiet Trust")
    admin = clients[Role.HEE_ADMIN]
    assert _people_rows(admin, empty.id) == ["Nobody has joined yet."]

    invited = submit(
        admin,
        f"/organisations/{empty.id}/invite",
        {"name": "Pat Newcomer", "email": "pat@example.nhs.uk", "role": "org_lead"},
    )
    assert invited.status_code == 302
    invitation = db.session.scalars(select(Invitation)).one()
    sent = invitation.created_at.strftime("%-d %B %Y")
    expires = invitation.expires_at.strftime("%-d %B %Y")
    (row,) = _people_rows(admin, empty.id)
    assert row == (
        f"Pat Newcomer pat@example.nhs.uk Organisation lead {WAITING} "
        f"Sent {sent}, expires {expires}"
    )
    assert "Nobody has joined yet" not in page(admin.get(f"/organisations/{empty.id}")).get_text()

    # Once accepted, they are listed as a person and the invitation is gone.
    body = read_outbox(settings)[-1].get_content()
    link = re.search(r"http://localhost(/invitations/[\w-]+)", body).group(1)
    password = "velvet-compass-orchard-19"
    submit(app.test_client(), link, {"password": password, "confirm": password})
    (row,) = _people_rows(admin, empty.id)
    assert "Can sign in" in row and "Invited" not in row

    # A lapsed invitation is not waiting any more.
    lapsed = make_org("Lapsed Trust")
    submit(
        admin,
        f"/organisations/{lapsed.id}/invite",
        {"name": "Lee Late", "email": "lee@example.nhs.uk", "role": "org_lead"},
    )
    with unit_of_work():
        waiting = db.session.scalars(select(Invitation).filter_by(email="lee@example.nhs.uk"))
        waiting.one().expires_at = utcnow() - timedelta(minutes=1)
    assert _people_rows(admin, lapsed.id) == ["Nobody has joined yet."]


def test_a_lead_sees_their_own_organisations_invitations_beside_its_people(
    clients, people, org, other_org
):
    lead = clients[Role.ORG_LEAD]
    submit(
        lead,
        f"/organisations/{org.id}/invite",
        {"name": "Col League", "email": "col@example.nhs.uk", "role": "org_contributor"},
    )
    submit(
        clients[Role.HEE_ADMIN],
        f"/organisations/{other_org.id}/invite",
        {"name": "Far Away", "email": "far@example.nhs.uk", "role": "org_lead"},
    )
    rows = _people_rows(lead, org.id)
    assert any(r.startswith(people[Role.ORG_LEAD].name) and "Can sign in" in r for r in rows)
    (waiting,) = [r for r in rows if WAITING in r]
    assert waiting.startswith("Col League col@example.nhs.uk Organisation contributor")
    assert not any("far@example.nhs.uk" in r for r in rows)
    assert lead.get(f"/organisations/{other_org.id}").status_code == 404
