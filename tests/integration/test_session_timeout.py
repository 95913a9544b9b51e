"""Sessions end after 30 idle minutes or 12 hours, saying why; nothing typed is lost.

Time is moved by writing older timestamps into the (signed) session cookie, as a browser
left alone would carry them; nothing sleeps.
"""

from __future__ import annotations

import time

import pytest
from flask.testing import FlaskClient

from accredit.data.models import Answer
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.web.session_timeout import ACTIVE_AT, SIGNED_IN_AT
from tests.integration.assess_helpers import open_page
from tests.integration.conftest import PASSWORD
from tests.support.forms import csrf_token, submit
from tests.support.html import page

IDLE = "You were signed out because you had not done anything for 30 minutes."
LONG = "You were signed out because you had been signed in for 12 hours."


def _signed_in(app, user) -> FlaskClient:
    client = app.test_client()
    response = submit(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _age(client: FlaskClient, *, idle: float = 0, signed_in: float = 0) -> None:
    """Pretend the last request was ``idle`` seconds ago and sign-in ``signed_in`` ago."""
    now = time.time()
    with client.session_transaction() as session:
        session[ACTIVE_AT] = int(now - idle)
        session[SIGNED_IN_AT] = int(now - max(idle, signed_in))


def _stamps(client: FlaskClient) -> tuple[float, float]:
    with client.session_transaction() as session:
        return session.get(SIGNED_IN_AT), session.get(ACTIVE_AT)


def test_signing_in_starts_both_clocks(app, people):
    before = time.time()
    client = _signed_in(app, people[Role.ORG_LEAD])
    signed_in_at, active_at = _stamps(client)
    assert before - 1 <= signed_in_at <= time.time()
    assert active_at == signed_in_at


def test_each_request_counts_as_activity(app, people):
    client = _signed_in(app, people[Role.ORG_LEAD])
    _age(client, idle=29 * 60, signed_in=5 * 3600)
    assert client.get("/home").status_code == 200
    signed_in_at, active_at = _stamps(client)
    assert time.time() - active_at < 5
    assert time.time() - signed_in_at >= 5 * 3600  # activity never moves the sign-in time


def test_after_30_idle_minutes_a_page_sends_you_to_sign_in_and_says_why(app, people, org):
    client = _signed_in(app, people[Role.ORG_LEAD])
    _age(client, idle=30 * 60 + 1)
    response = client.get(f"/organisations/{org.id}?tab=people")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sign-in?next=/organisations/{org.id}?tab%3Dpeople"
    sign_in = page(client.get(response.headers["Location"]))
    assert IDLE in sign_in.get_text(" ", strip=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session and SIGNED_IN_AT not in session
    # Ended for good: a fresh clock is not started by simply asking again.
    assert client.get("/home").status_code == 302
    back = submit(
        client,
        "/sign-in",
        {
            "email": people[Role.ORG_LEAD].email,
            "password": PASSWORD,
            "next": f"/organisations/{org.id}",
        },
    )
    assert back.headers["Location"] == f"/organisations/{org.id}"


def test_after_12_hours_even_a_busy_session_ends(app, people):
    client = _signed_in(app, people[Role.HEE_ADMIN])
    _age(client, idle=10, signed_in=12 * 3600 + 1)
    response = client.get("/home")
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in?next=/home"
    assert LONG in page(client.get("/sign-in")).get_text(" ", strip=True)


def test_just_inside_the_limits_the_session_goes_on(app, people):
    client = _signed_in(app, people[Role.ORG_LEAD])
    _age(client, idle=30 * 60 - 5, signed_in=12 * 3600 - 5)
    assert client.get("/home").status_code == 200


def test_an_answer_posted_after_the_idle_limit_is_kept_through_sign_in(
    app, make_assessment, org, people
):
    lead = people[Role.ORG_LEAD]
    assessment = make_assessment(org, lead)
    url = f"/assessments/{assessment.id}/criteria/1.1"
    client = _signed_in(app, lead)
    tokens = open_page(client, url)
    _age(client, idle=45 * 60)
    ended = client.post(url, data={**tokens, "q1": "yes", "q2": "Volunteer coordinator"})
    assert ended.status_code == 401
    soup = page(ended)
    assert soup.h1.get_text() == "Sign in to save what you typed"
    assert IDLE in soup.get_text(" ", strip=True)
    assert db.session.query(Answer).count() == 0
    carried = {i["name"]: i.get("value", "") for i in soup.select("form input[type=hidden]")}
    again = client.post(
        "/sign-in/continue", data={**carried, "email": lead.email, "password": PASSWORD}
    )
    assert again.status_code == 302
    restored = client.get(again.headers["Location"])
    soup = page(restored)
    assert soup.find("input", {"name": "q2"})["value"] == "Volunteer coordinator"
    # The restored page holds answers not yet saved: its countdown must not navigate away.
    dialog = soup.find("dialog", {"data-timeout-warning": True})
    assert dialog.has_attr("data-unsaved")
    # Should this page's time run out too, the dialog says a late save keeps the answers.
    ended = dialog.find(id="app-timeout-ended-text").get_text()
    assert "When you save it, you will be asked to sign in again" in ended


def test_other_posts_after_the_limit_are_refused_and_change_nothing(app, people, org):
    client = _signed_in(app, people[Role.HEE_ADMIN])
    token = csrf_token(client, f"/organisations/{org.id}")
    _age(client, idle=31 * 60)
    response = client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert IDLE in page(client.get("/sign-in")).get_text(" ", strip=True)


def _keep_alive(client: FlaskClient, token: str | None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post("/session/keep-alive", headers=headers)


def test_stay_signed_in_extends_the_session(app, people):
    client = _signed_in(app, people[Role.ORG_LEAD])
    token = csrf_token(client, "/home")
    _age(client, idle=29 * 60)
    response = _keep_alive(client, token)
    assert response.status_code == 200
    assert response.json["signed_in"] is True
    assert 30 * 60 - 5 <= response.json["seconds_left"] <= 30 * 60
    _, active_at = _stamps(client)
    assert time.time() - active_at < 5
    # Another 29 minutes later the session is still there: the keep-alive counted.
    with client.session_transaction() as session:
        session[ACTIVE_AT] -= 29 * 60
    assert client.get("/home").status_code == 200


def test_stay_signed_in_cannot_pass_the_12_hour_limit(app, people):
    client = _signed_in(app, people[Role.ORG_LEAD])
    token = csrf_token(client, "/home")
    _age(client, idle=60, signed_in=12 * 3600 - 100)
    assert 95 <= _keep_alive(client, token).json["seconds_left"] <= 100


def test_stay_signed_in_needs_the_token_and_extends_nothing_without_it(app, people):
    client = _signed_in(app, people[Role.ORG_LEAD])
    _age(client, idle=29 * 60)
    before = _stamps(client)
    assert _keep_alive(client, None).status_code == 400
    assert _stamps(client) == before
    assert client.get("/session/keep-alive").status_code == 405


def test_stay_signed_in_too_late_says_signed_out(app, people):
    client = _signed_in(app, people[Role.ORG_LEAD])
    token = csrf_token(client, "/home")
    _age(client, idle=31 * 60)
    response = _keep_alive(client, token)
    assert response.status_code == 401
    assert response.json == {"seconds_left": 0, "signed_in": False}
    assert IDLE in page(client.get("/sign-in")).get_text(" ", strip=True)


def test_static_files_and_the_timed_out_check_do_not_count_as_activity(app, people):
    client = _signed_in(app, people[Role.ORG_LEAD])
    _age(client, idle=20 * 60)
    before = _stamps(client)
    assert client.get("/static/init.js").status_code == 200
    alive = client.get("/session/timed-out?next=/home")
    assert alive.status_code == 302 and alive.headers["Location"] == "/home"
    assert _stamps(client) == before


def test_the_timed_out_check_after_the_limit_goes_to_sign_in_and_back(app, people):
    lead = people[Role.ORG_LEAD]
    client = _signed_in(app, lead)
    _age(client, idle=30 * 60 + 2)
    response = client.get("/session/timed-out?next=/home")
    assert response.headers["Location"] == "/sign-in?next=/session/timed-out?next%3D/home"
    assert IDLE in page(client.get("/sign-in")).get_text(" ", strip=True)
    signed_in = submit(
        client,
        "/sign-in",
        {"email": lead.email, "password": PASSWORD, "next": "/session/timed-out?next=/home"},
    )
    assert client.get(signed_in.headers["Location"]).headers["Location"] == "/home"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", ""])
def test_the_timed_out_check_only_leads_back_into_the_site(app, people, target):
    client = _signed_in(app, people[Role.ORG_LEAD])
    response = client.get("/session/timed-out", query_string={"next": target})
    assert response.headers["Location"] == "/home"


def test_a_session_from_before_the_limits_starts_its_clock(clients):
    client = clients[Role.ORG_LEAD]  # signed in by cookie, no timestamps
    assert client.get("/home").status_code == 200
    signed_in_at, active_at = _stamps(client)
    assert time.time() - signed_in_at < 5 and active_at == signed_in_at


def test_the_page_tells_its_script_the_time_left(app, people, client):
    signed_in = _signed_in(app, people[Role.ORG_LEAD])
    dialog = page(signed_in.get("/home")).find("dialog", {"data-timeout-warning": True})
    assert dialog is not None
    assert 30 * 60 - 2 <= int(dialog["data-seconds-left"]) <= 30 * 60
    assert dialog["data-warning-seconds"] == "120"
    assert dialog["data-timed-out-url"] == "/session/timed-out?next=/home"
    assert not dialog.has_attr("data-unsaved")
    assert "it has not been saved" in dialog.find(id="app-timeout-ended-text").get_text()
    assert dialog.find("h2").get_text() == "You're about to be signed out"
    assert dialog.find("button", string="Stay signed in") is not None
    assert page(client.get("/sign-in")).find("dialog") is None  # nobody to warn


def test_the_limits_come_from_settings(settings, people):
    from accredit import create_app

    settings.idle_minutes = 5
    settings.absolute_hours = 1
    settings.idle_warning_minutes = 1
    app = create_app(settings)
    client = _signed_in(app, people[Role.ORG_LEAD])
    dialog = page(client.get("/home")).find("dialog", {"data-timeout-warning": True})
    assert 295 <= int(dialog["data-seconds-left"]) <= 300  # a slow machine takes a second
    assert dialog["data-warning-seconds"] == "60"
    _age(client, idle=5 * 60 + 1)
    client.get("/home")
    text = page(client.get("/sign-in")).get_text(" ", strip=True)
    assert "had not done anything for 5 minutes" in text
    assert app.permanent_session_lifetime.total_seconds() == 3600


def test_signing_out_signs_out_every_browser(app, people):
    lead = people[Role.ORG_LEAD]
    laptop = _signed_in(app, lead)
    phone = _signed_in(app, lead)
    assert laptop.get("/home").status_code == 200 and phone.get("/home").status_code == 200
    signed_out = submit(phone, "/sign-out", {}, page="/home")
    assert signed_out.headers["Location"] == "/sign-in"
    message = page(phone.get("/sign-in")).get_text(" ", strip=True)
    assert "also signed you out on any other device or browser" in message
    refused = laptop.get("/home")
    assert refused.status_code == 302 and refused.headers["Location"] == "/sign-in?next=/home"
    token_page = laptop.get("/sign-in")
    assert token_page.status_code == 200  # the laptop is a stranger now, not an error
