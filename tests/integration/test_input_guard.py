"""The request-level guard: NUL characters (and lone surrogates) in any form field or query
value are refused with a page that says why, before any view can try to save them."""

from __future__ import annotations

from accredit.data.models import Organisation
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.web.input_guard import MESSAGE, unsavable
from tests.support.forms import csrf_token
from tests.support.hostile import urlencoded
from tests.support.html import page


def _organisations() -> int:
    db.session.rollback()
    return db.session.query(Organisation).count()


def _post(client, fields: list[tuple[str, str]]):
    token = csrf_token(client, "/organisations/new")
    return client.post(
        "/organisations/new",
        data=urlencoded([("csrf_token", token), *fields]),
        content_type="application/x-www-form-urlencoded",
    )


GOOD = [("org_type", "acute_trust"), ("ods_code", "RX1"), ("region", "london")]


def test_a_nul_in_a_form_field_is_refused_with_a_message_and_nothing_saved(clients, org):
    before = _organisations()
    response = _post(clients[Role.HEE_ADMIN], [("name", "Riverside\x00 Trust"), *GOOD])
    assert response.status_code == 400
    soup = page(response)
    assert soup.h1.get_text() == "The form contains a character that cannot be saved"
    assert MESSAGE in soup.select_one(".nhsuk-error-summary").get_text(" ", strip=True)
    assert _organisations() == before


def test_a_nul_in_a_field_name_or_the_query_is_refused_too(clients, org):
    client = clients[Role.HEE_ADMIN]
    assert _post(client, [("na\x00me", "Riverside"), *GOOD]).status_code == 400
    assert client.get("/cohorts?q=%00").status_code == 400


def test_surrogate_bytes_arrive_as_replacement_characters_not_errors(clients, org):
    """Werkzeug decodes invalid UTF-8 (a surrogate encoded with surrogatepass) as U+FFFD."""
    before = _organisations()
    response = _post(clients[Role.HEE_ADMIN], [("name", "Riverside \ud800 Trust"), *GOOD])
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert _organisations() == before + 1


def test_ordinary_text_passes_the_guard(clients, org):
    assert not unsavable("Riverside Hospitals — St Mary's 😀 \t\r\n")
    assert unsavable("a\x00b") and unsavable("\ud800")
    response = _post(clients[Role.HEE_ADMIN], [("name", "Riverside — St Mary's"), *GOOD])
    assert response.status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in_before_the_guard_looks(client):
    response = client.get("/cohorts?q=%00")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
