"""JSON request logs: one object per line, an access line per request naming the route (never
a token), and a request id that is returned in a header and shown on error pages."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from accredit.domain.accounts.organisations import Role
from accredit.logs import configure_logging
from tests.support.html import page


@pytest.fixture
def json_log(app) -> Iterator[io.StringIO]:
    """The application log as the JSON handler writes it, at DEBUG."""
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    yield stream
    configure_logging("INFO", "json")


def _lines(stream: io.StringIO) -> list[dict]:
    text = stream.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def _access(stream: io.StringIO) -> list[dict]:
    return [line for line in _lines(stream) if line["logger"] == "accredit.access"]


def test_every_record_is_one_json_object_with_the_request_and_user(json_log, clients, people):
    lead = people[Role.ORG_LEAD]
    response = clients[Role.ORG_LEAD].get("/home")
    assert response.status_code == 200
    logging.getLogger("accredit.test").info("outside any request\nsecond line")
    lines = _lines(json_log)
    (access,) = [line for line in lines if line["logger"] == "accredit.access"]
    assert {"time", "level", "logger", "message", "request_id"} <= set(access)
    assert access["level"] == "INFO" and access["user_id"] == lead.id
    assert access["request_id"] == response.headers["X-Request-ID"]
    assert (access["method"], access["route"], access["status"]) == ("GET", "/home", 200)
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0
    assert access["message"] == "GET /home 200"
    outside = lines[-1]
    assert outside["message"] == "outside any request\nsecond line"  # still one line
    assert outside["request_id"] == "-" and "user_id" not in outside


def test_signed_out_requests_have_no_user_id(json_log, client):
    client.get("/")
    (access,) = _access(json_log)
    assert "user_id" not in access and access["route"] == "/"


def test_the_access_line_names_the_route_not_the_token(json_log, client):
    token = "Zq3xVb7-Ly_9Kp2Wm4Nt6Rs8Hd1Fg5Jc0Ae"
    assert client.get(f"/invitations/{token}").status_code in (404, 410)
    (access,) = _access(json_log)
    assert access["route"] == "/invitations/<token>"
    assert access["path"] == "/invitations/[token]"
    assert token not in json_log.getvalue()


def test_unmatched_paths_are_logged_with_tokens_redacted(json_log, client):
    secret = "eyJ1IjoxMiwicCI6ImFiYyJ9.ZZt4Xg.q8d7Yh3Jk2"
    assert client.get(f"/no-such-page/{secret}/12").status_code == 404
    (access,) = _access(json_log)
    assert access["route"] is None
    assert access["path"] == "/no-such-page/[token]/12"
    assert secret not in json_log.getvalue()


def test_a_safe_incoming_request_id_is_kept_and_an_unsafe_one_replaced(json_log, client):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42_x"})
    assert kept.headers["X-Request-ID"] == "lb-7f3a.42_x"
    for unsafe in ("a b", "x" * 65, "<script>", "evil\u00e9", "someone@example.nhs.uk"):
        replaced = client.get("/healthz", headers={"X-Request-ID": unsafe})
        made = replaced.headers["X-Request-ID"]
        assert made != unsafe and len(made) == 16 and made.isalnum()
    different = {client.get("/healthz").headers["X-Request-ID"] for _ in range(5)}
    assert len(different) == 5
    # Probes are logged at DEBUG, so a load balancer does not flood the INFO log.
    assert {line["level"] for line in _access(json_log)} == {"DEBUG"}


def test_error_pages_show_the_request_id_as_a_reference(json_log, client, clients):
    missing = client.get("/no-such-page", headers={"X-Request-ID": "ref-404-abc"})
    assert missing.status_code == 404
    reference = page(missing).select_one(".app-error-reference").get_text(" ", strip=True)
    assert reference.startswith("Reference: ref-404-abc")
    refused = clients[Role.ORG_LEAD].get("/audit-trail")
    assert refused.status_code == 403
    shown = page(refused).select_one(".app-error-reference__id").get_text(strip=True)
    assert shown == refused.headers["X-Request-ID"]


def test_a_server_error_page_and_log_share_the_reference(app, json_log, client):
    @app.route("/explode-for-test")
    def explode() -> str:
        raise RuntimeError("kaboom")

    explode.access_rule = "public"  # type: ignore[attr-defined]
    response = client.get("/explode-for-test")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    shown = page(response).select_one(".app-error-reference__id").get_text(strip=True)
    assert shown == request_id
    (error,) = [line for line in _lines(json_log) if line["logger"] == "accredit.errors"]
    assert error["request_id"] == request_id and error["level"] == "ERROR"
    assert "RuntimeError: kaboom" in error["exception"]
    (access,) = _access(json_log)
    assert access["status"] == 500 and access["request_id"] == request_id


def test_text_format_for_developers_and_a_bad_format_is_refused(app):
    stream = io.StringIO()
    try:
        configure_logging("INFO", "text", stream=stream)
        app.test_client().get("/healthz", headers={"X-Request-ID": "dev-1"})
        logging.getLogger("accredit.test").warning("plain")
    finally:
        configure_logging("INFO", "json")
    assert "WARNING accredit.test [-]: plain" in stream.getvalue()
    with pytest.raises(ValueError, match="ACCREDIT_LOG_FORMAT must be one of json, text"):
        configure_logging("INFO", "yaml")


def test_the_format_is_read_from_the_environment(monkeypatch, tmp_path):
    from accredit.config import Settings

    monkeypatch.setenv("ACCREDIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ACCREDIT_SECRET_KEY", "x" * 32)
    assert Settings.from_env().log_format == "json"
    monkeypatch.setenv("ACCREDIT_LOG_FORMAT", "Text")
    assert Settings.from_env().log_format == "text"
