"""Every response carries the security headers, exactly; pages hold no inline script or style.

Every GET route is visited (with the route sweep's world) as someone allowed to see it, plus a
POST, a static file, a 404, a 405 and a 500; over HTTPS, where HSTS must be sent too, and over
plain HTTP, where it must not.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from werkzeug.test import TestResponse

from accredit.domain.accounts.organisations import Role
from accredit.web.access import PUBLIC, access_rule, public
from tests.integration.conftest import PASSWORD
from tests.integration.test_route_sweep import SKIP, worlds  # noqa: F401  (a fixture)
from tests.support.forms import submit

HTTPS = "https://localhost"
CSP = re.compile(
    r"default-src 'self'; img-src 'self' data:; style-src 'self'; "
    r"script-src 'self' 'nonce-(?P<nonce>[A-Za-z0-9_-]{22})'; object-src 'none'; "
    r"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
EXACT = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": (
        "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
        "geolocation=(), gyroscope=(), interest-cohort=(), magnetometer=(), microphone=(), "
        "midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), "
        "usb=(), xr-spatial-tracking=()"
    ),
}
HSTS = "max-age=31536000; includeSubDomains"
#: Every download (certificate, pack, action plan, cohort and audit trail exports, evidence)
#: and anything else that is not a page is sandboxed, stricter than a page; framing is refused.
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def is_download(response: TestResponse, where: str) -> bool:
    if where.startswith("/static/"):
        return False  # the pages' own scripts and styles
    disposition = response.headers.get("Content-Disposition", "")
    return disposition.startswith("attachment") or response.mimetype != "text/html"


def assert_headers(response: TestResponse, where: str, *, https: bool) -> None:
    headers = response.headers
    for name, value in EXACT.items():
        assert headers.get(name) == value, (where, name, headers.get(name))
    policy = headers.get("Content-Security-Policy", "")
    if is_download(response, where):
        assert policy == DOWNLOAD_CSP, (where, response.mimetype, policy)
    else:
        assert CSP.fullmatch(policy), (where, policy)
    if https:
        assert headers.get("Strict-Transport-Security") == HSTS, where
    else:
        assert "Strict-Transport-Security" not in headers, where
    if where.startswith("/static/"):
        assert headers.get("Cache-Control") != "no-store", where
    elif where.startswith("/register") and headers.get("Cache-Control") != "no-store":
        # The public register is the same for everyone not signed in: caches may keep it,
        # never a copy that sets a cookie, and always keyed by the cookie.
        assert headers.get("Cache-Control", "").startswith("public, max-age="), where
        assert "Set-Cookie" not in headers and "Cookie" in headers.get("Vary", ""), where
    else:
        assert headers.get("Cache-Control") == "no-store", where


def assert_no_inline_code(response: TestResponse, where: str) -> None:
    """The CSP refuses inline style and un-nonced inline script: a page with any is broken."""
    if response.mimetype != "text/html":
        return
    match = CSP.fullmatch(response.headers["Content-Security-Policy"])
    assert match, where
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    styled = [str(tag)[:80] for tag in soup.find_all(style=True)]
    assert not styled, (where, "style attributes", styled)
    assert not soup.find_all("style"), (where, "<style> element")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("nonce") == match["nonce"], (where, str(script))
    handlers = [
        (tag.name, attr)
        for tag in soup.find_all(True)
        for attr in tag.attrs
        if attr.lower().startswith("on")
    ]
    assert not handlers, (where, "inline event handlers", handlers)
    assert not soup.select('a[href^="javascript:"]'), where


def _get_urls(app: Flask, world: dict) -> list[tuple[str, str]]:
    """Every GET route the sweep's world can name (test_route_sweep fails on any it cannot)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "GET" not in rule.methods:
            continue
        if set(rule.arguments) <= set(world):
            urls.append((rule.endpoint, rule.build({a: world[a] for a in rule.arguments})[1]))
    return urls


def _visitor(app: Flask, endpoint: str, clients: dict, anonymous) -> object:
    declared = access_rule(app.view_functions[endpoint])
    if declared == PUBLIC:
        return anonymous
    for role in (Role.HEE_ADMIN, Role.ORG_LEAD, Role.HEE_REVIEWER, Role.ORG_CONTRIBUTOR):
        if role in declared:
            return clients[role]
    return clients[sorted(declared)[0]]


@pytest.mark.parametrize("https", [True, False], ids=["https", "http"])
def test_every_get_route_sends_every_header(app, client, clients, org, worlds, https):  # noqa: F811
    base_url = HTTPS if https else "http://localhost"
    visited = 0
    downloads = set()
    for endpoint, url in _get_urls(app, worlds[org.id]):
        response = _visitor(app, endpoint, clients, client).get(url, base_url=base_url)
        assert response.status_code < 500, (url, response.status_code)
        assert_headers(response, url, https=https)
        assert_no_inline_code(response, url)
        visited += 1
        if response.headers.get("Content-Disposition", "").startswith("attachment"):
            downloads.add(endpoint)
    assert visited > 50, visited
    # The downloads the sweep's world can make (packs and cohort Excel and zip files are made
    # by jobs: test_packs.py and test_cohort_exports.py check their policy).
    assert downloads >= {
        "audit_trail.export_csv",
        "cohorts.export_csv",
        "evidence.download",
        "organisations.award_certificate",
        "action_plan.export",
    }, downloads
    for url, status in (("/static/init.js", 200), ("/no-such-page", 404), ("/sign-out", 405)):
        response = clients[Role.ORG_LEAD].get(url, base_url=base_url)
        assert response.status_code == status, url
        assert_headers(response, url, https=https)
        assert_no_inline_code(response, url)


def _post_over_https(client, url: str, data: dict) -> TestResponse:
    """As a browser does over HTTPS: the form's token, and a Referer (Flask-WTF checks it)."""
    html = client.get(url, base_url=HTTPS).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert token, url
    return client.post(
        url,
        data={**data, "csrf_token": token.group(1)},
        base_url=HTTPS,
        headers={"Referer": HTTPS + url},
    )


def test_a_post_a_refused_form_and_a_server_error_carry_the_headers(settings, people):
    from accredit import create_app

    app = create_app(settings)

    @app.route("/broken-for-the-test")
    @public
    def broken() -> str:
        raise RuntimeError("on purpose")

    client = app.test_client()
    posted = _post_over_https(
        client, "/sign-in", {"email": people[Role.ORG_LEAD].email, "password": "not-the-password"}
    )
    assert posted.status_code == 401
    refused = client.post("/sign-in", data={"email": "x"}, base_url=HTTPS)  # no CSRF token
    assert refused.status_code == 400
    failed = client.get("/broken-for-the-test", base_url=HTTPS)
    assert failed.status_code == 500
    for response, where in ((posted, "POST"), (refused, "CSRF"), (failed, "500")):
        assert_headers(response, where, https=True)
        assert_no_inline_code(response, where)


def test_behind_a_tls_proxy_https_is_recognised_for_hsts(settings):
    from accredit import create_app

    settings.proxy_hops = 1
    app = create_app(settings)
    proxied = app.test_client().get("/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert proxied.headers["Strict-Transport-Security"] == HSTS
    plain = app.test_client().get("/sign-in", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers


def _session_cookie(response: TestResponse) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


def test_over_https_the_session_cookie_is_secure_httponly_and_lax(settings, people):
    from accredit import create_app

    settings.base_url = HTTPS
    settings.secure_cookies = True
    app = create_app(settings)
    client = app.test_client()
    signed_in = _post_over_https(
        client, "/sign-in", {"email": people[Role.ORG_LEAD].email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    flags = [part.strip() for part in _session_cookie(signed_in).split(";")]
    assert "Secure" in flags and "HttpOnly" in flags and "SameSite=Lax" in flags, flags


def test_over_plain_http_the_cookie_is_httponly_and_lax_but_not_secure(client, people):
    signed_in = submit(
        client, "/sign-in", {"email": people[Role.ORG_LEAD].email, "password": PASSWORD}
    )
    flags = [part.strip() for part in _session_cookie(signed_in).split(";")]
    assert "HttpOnly" in flags and "SameSite=Lax" in flags, flags
    assert "Secure" not in flags, flags


def test_secure_cookies_follow_an_https_base_url(monkeypatch, tmp_path):
    from accredit.config import Settings

    monkeypatch.setenv("ACCREDIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ACCREDIT_SECRET_KEY", "k")
    monkeypatch.delenv("ACCREDIT_SECURE_COOKIES", raising=False)
    monkeypatch.setenv("ACCREDIT_BASE_URL", "https://accredit.example.nhs.uk")
    assert Settings.from_env().flask_config()["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("ACCREDIT_BASE_URL", "http://127.0.0.1:5000")
    assert Settings.from_env().flask_config()["SESSION_COOKIE_SECURE"] is False
