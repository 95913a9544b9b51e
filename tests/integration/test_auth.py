"""Signing in and out: sessions, throttling, redirects."""

from __future__ import annotations

from sqlalchemy import select

from accredit.data.models import AuditEvent
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from tests.integration.conftest import PASSWORD
from tests.support.forms import submit
from tests.support.html import error_summary, page


def test_sign_in_then_home_shows_the_user(client, people):
    lead = people[Role.ORG_LEAD]
    response = submit(client, "/sign-in", {"email": lead.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    soup = page(client.get("/home"))
    assert lead.name in soup.select_one("header").get_text()
    assert db.session.get(type(lead), lead.id).last_sign_in_at is not None


def test_email_is_matched_without_case_or_spaces(client, people):
    lead = people[Role.ORG_LEAD]
    response = submit(
        client, "/sign-in", {"email": f"  {lead.email.upper()} ", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_gives_a_clear_message(client, people):
    response = submit(
        client, "/sign-in", {"email": people[Role.ORG_LEAD].email, "password": "wrong-password-123"}
    )
    assert response.status_code == 401
    assert error_summary(page(response)) == ["Enter a correct email address and password"]


def test_five_wrong_passwords_from_one_address_are_throttled_and_logged(client, people):
    email = people[Role.ORG_LEAD].email
    for _ in range(5):
        assert (
            submit(client, "/sign-in", {"email": email, "password": "nope-nope-nope"}).status_code
            == 401
        )
    # Even the right password is refused there while throttled: guessing gains nothing.
    # (From another address it is not: tests/integration/test_sign_in_throttle.py.)
    response = submit(client, "/sign-in", {"email": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "too many times" in error_summary(page(response))[0]
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target == email)).all()
    assert actions.count("sign-in-failed") == 5
    assert "sign-in-throttled" in actions


def test_throttle_is_per_account(client, people):
    for _ in range(5):
        submit(
            client, "/sign-in", {"email": people[Role.ORG_LEAD].email, "password": "nope-nope-nope"}
        )
    response = submit(
        client, "/sign-in", {"email": people[Role.HEE_ADMIN].email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_unknown_email_is_answered_like_a_wrong_password(client, app):
    response = submit(
        client, "/sign-in", {"email": "nobody@example.nhs.uk", "password": "whatever-123"}
    )
    assert response.status_code == 401
    assert error_summary(page(response)) == ["Enter a correct email address and password"]


def test_inactive_user_cannot_sign_in(client, make_user, org):
    user = make_user(Role.ORG_LEAD, org, active=False)
    assert (
        submit(client, "/sign-in", {"email": user.email, "password": PASSWORD}).status_code == 401
    )


def test_same_site_next_is_followed(client, people, org):
    target = f"/organisations/{org.id}"
    response = submit(
        client,
        f"/sign-in?next={target}",
        {"email": people[Role.ORG_LEAD].email, "password": PASSWORD, "next": target},
    )
    assert response.headers["Location"] == target


def test_other_site_next_is_ignored(client, people):
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ):
        fresh = client.application.test_client()
        response = submit(
            fresh,
            "/sign-in",
            {"email": people[Role.ORG_LEAD].email, "password": PASSWORD, "next": target},
        )
        assert response.headers["Location"] == "/home", target


def test_private_page_redirects_to_sign_in_with_next(client, org):
    response = client.get(f"/organisations/{org.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sign-in?next=/organisations/{org.id}"


def test_session_is_renewed_at_sign_in(client, people):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    submit(client, "/sign-in", {"email": people[Role.ORG_LEAD].email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{people[Role.ORG_LEAD].id}:")


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, people):
    client = app.test_client()
    submit(client, "/sign-in", {"email": people[Role.ORG_LEAD].email, "password": PASSWORD})
    stolen = client.get_cookie("session").value
    response = submit(client, "/sign-out", {}, page="/home")
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/home").status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/home").status_code == 302


def test_private_pages_are_never_cached(clients):
    response = clients[Role.ORG_LEAD].get("/home")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_sign_out_needs_a_post_with_a_token(clients):
    client = clients[Role.ORG_LEAD]
    assert client.get("/sign-out").status_code == 405
    response = client.post("/sign-out")
    assert response.status_code == 400
    assert "This form has expired" in page(response).h1.get_text()
    assert client.get("/home").status_code == 200


def test_behind_a_proxy_the_client_address_is_throttled_not_everyone(settings, people):
    from accredit import create_app

    settings.proxy_hops = 1
    settings.sign_in_address_attempts = 8
    app = create_app(settings)
    noisy = {"X-Forwarded-For": "203.0.113.9"}
    for n in range(8):
        client = app.test_client()
        submit(
            client,
            "/sign-in",
            {"email": f"guess{n}@example.nhs.uk", "password": "x" * 12},
            headers=noisy,
        )
    blocked = submit(
        app.test_client(),
        "/sign-in",
        {"email": people[Role.ORG_LEAD].email, "password": PASSWORD},
        headers=noisy,
    )
    assert blocked.status_code == 429
    elsewhere = submit(
        app.test_client(),
        "/sign-in",
        {"email": people[Role.ORG_LEAD].email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.4"},
    )
    assert elsewhere.status_code == 302


def test_parallel_guesses_cannot_slip_under_the_limit(app, settings, people):
    """Ten simultaneous wrong guesses: no more than the limit ever reach the password check."""
    import threading

    from accredit.services.accounts import signing_in
    from accredit.services.accounts.signing_in import SignInOutcome

    email = people[Role.ORG_LEAD].email
    start = threading.Barrier(10)
    outcomes: list[SignInOutcome] = []

    def guess() -> None:
        start.wait()
        try:
            outcomes.append(
                signing_in.sign_in(settings, email, "wrong-guess-1234", "192.0.2.1").outcome
            )
        finally:
            db.remove()

    threads = [threading.Thread(target=guess) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 10
    assert outcomes.count(SignInOutcome.WRONG) <= settings.sign_in_attempts
    assert outcomes.count(SignInOutcome.THROTTLED) >= 10 - settings.sign_in_attempts
