"""NHS-styled error pages."""

from __future__ import annotations

from accredit.domain.accounts.organisations import Role
from tests.support.html import page


def test_not_found_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    soup = page(response)
    assert soup.h1.get_text() == "Page not found"
    assert soup.select_one("header.nhsuk-header") and soup.select_one("footer.nhsuk-footer")


def test_post_without_csrf_token_gets_the_expired_form_page(client, people):
    response = client.post("/sign-in", data={"email": people[Role.ORG_LEAD].email, "password": "x"})
    assert response.status_code == 400
    soup = page(response)
    assert soup.h1.get_text() == "This form has expired"


def test_too_large_request_gets_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/sign-in", data={"email": "a" * 4096})
    assert response.status_code == 413
    assert page(response).h1.get_text() == "The file is too large"


def test_server_error_is_logged_and_styled(app, client, caplog):
    from accredit.web.access import public

    @app.route("/explode")
    @public
    def explode() -> str:
        raise RuntimeError("boom")

    response = client.get("/explode")
    assert response.status_code == 500
    assert page(response).h1.get_text() == "Sorry, there is a problem with the service"
    assert "boom" in caplog.text


def test_forbidden_page(clients):
    response = clients[Role.ORG_LEAD].get("/hee-staff/invite")
    assert response.status_code == 403
    assert page(response).h1.get_text() == "You do not have permission to see this page"


def test_bad_request_page(app, client):
    from flask import abort

    from accredit.web.access import public

    @app.route("/bad")
    @public
    def bad() -> str:
        abort(400)

    response = client.get("/bad")
    assert response.status_code == 400
    assert page(response).h1.get_text() == "Sorry, there is a problem with your request"


def test_static_assets_are_served(client):
    response = client.get("/static/init.js")
    assert response.status_code == 200


def test_error_raised_before_our_hooks_still_gets_a_script_nonce(client):
    response = client.post("/sign-in", data={})
    assert response.status_code == 400
    csp = response.headers["Content-Security-Policy"]
    nonce = csp.split("'nonce-", 1)[1].split("'", 1)[0]
    assert len(nonce) > 10
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)
