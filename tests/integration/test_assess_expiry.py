"""Nothing typed is lost when a question page's form or the whole session has expired."""

from __future__ import annotations

from accredit.data.models import Answer, FormStash
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from tests.integration.assess_helpers import open_page
from tests.integration.conftest import PASSWORD
from tests.support.html import page


def test_an_expired_form_shows_the_page_again_with_what_was_typed(
    make_assessment, org, people, clients
):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    url = f"/assessments/{assessment.id}/criteria/1.1"
    client = clients[Role.ORG_LEAD]
    tokens = open_page(client, url)
    response = client.post(
        url, data={**tokens, "csrf_token": "expired", "q1": "yes", "q2": "Practice manager"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{url}?restore=")
    assert db.session.query(Answer).count() == 0
    soup = page(client.get(response.headers["Location"]))
    assert "we did not save what you typed" in soup.get_text()
    assert soup.find("input", {"name": "q2"})["value"] == "Practice manager"
    assert soup.find("input", {"name": "base"})["value"] == tokens["base"]
    fresh = {
        "csrf_token": soup.find("input", {"name": "csrf_token"})["value"],
        "base": soup.find("input", {"name": "base"})["value"],
    }
    saved = client.post(url, data={**fresh, "q1": "yes", "q2": "Practice manager"})
    assert saved.status_code == 302


def test_after_the_session_ends_signing_in_again_brings_the_answers_back(
    app, make_assessment, org, people, clients
):
    lead = people[Role.ORG_LEAD]
    assessment = make_assessment(org, lead)
    url = f"/assessments/{assessment.id}/criteria/1.1"
    tokens = open_page(clients[Role.ORG_LEAD], url)
    browser = app.test_client()  # the same person, whose session cookie has gone
    ended = browser.post(url, data={**tokens, "q1": "yes", "q2": "Head of people"})
    assert ended.status_code == 401
    soup = page(ended)
    assert soup.h1.get_text() == "Sign in to save what you typed"
    carried = {i["name"]: i.get("value", "") for i in soup.select("form input[type=hidden]")}
    wrong = browser.post(
        "/sign-in/continue", data={**carried, "email": lead.email, "password": "not-it"}
    )
    assert wrong.status_code == 401
    assert page(wrong).find("input", {"name": "carry"})["value"] == carried["carry"]
    signed_in = browser.post(
        "/sign-in/continue", data={**carried, "email": lead.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    target = signed_in.headers["Location"]
    assert target.startswith(url + "?restore=")
    restored = page(browser.get(target))
    assert restored.find("input", {"name": "q2"})["value"] == "Head of people"
    assert restored.find("input", {"name": "q1", "value": "yes"}).has_attr("checked")
    assert db.session.query(Answer).count() == 0  # shown, not saved behind their back
    assert db.session.query(FormStash).count() == 0  # used once
    assert "Head of people" not in browser.get(target).get_data(as_text=True)


def test_the_carried_target_must_be_this_site(app, make_assessment, org, people):
    browser = app.test_client()
    soup = page(browser.get("/sign-in"))
    token = soup.find("input", {"name": "csrf_token"})["value"]
    response = browser.post(
        "/sign-in/continue",
        data={
            "csrf_token": token,
            "next": "https://evil.example/",
            "carry": "{}",
            "email": people[Role.ORG_LEAD].email,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
