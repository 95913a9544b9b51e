"""Request hooks: access rules, scope, and the headers every response carries."""

from __future__ import annotations

import secrets

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user

from accredit.web.access import PUBLIC, access_rule
from accredit.web.input_guard import register_input_guard
from accredit.web.keep_typed import keep_typed_answers
from accredit.web.safe_redirect import is_safe_next
from accredit.web.session_timeout import register_session_timeout
from accredit.web.two_factor_guard import register_two_factor_guard

#: Browser features the service never uses, refused for it and anything it might embed;
#: ``interest-cohort`` and ``browsing-topics`` also keep its pages out of ad-interest profiling.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
#: A year, subdomains too; sent only over HTTPS (browsers ignore it over HTTP anyway, and a
#: developer's plain-HTTP localhost must not be pinned).
HSTS = "max-age=31536000; includeSubDomains"
#: Every download, and any other answer that is not one of our HTML pages: a certificate, pack,
#: action plan, cohort or audit trail export, evidence file, or JSON. Nothing in it may run, load
#: anything or be framed, should a browser ever be tricked into showing it in place (an
#: uploaded SVG or HTML saved as evidence, a PDF viewer's script).
DOWNLOAD_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


def page_policy(nonce: str) -> str:
    """Our pages: our own styles, images and scripts (inline only with this request's nonce)."""
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def is_download(endpoint: str | None, response: Response) -> bool:
    """A file handed over rather than a page to show: an attachment, or anything a view answers
    that is not HTML. Decided here, once, so a new download route cannot forget its policy.
    Our static files are not downloads: pages use them, and a sandboxed stylesheet is opaque
    to the page's own scripts."""
    if endpoint == "static":
        return False
    disposition = response.headers.get("Content-Disposition", "")
    return disposition.lower().startswith("attachment") or response.mimetype != "text/html"


def csp_nonce() -> str:
    """One nonce per request, made on first use: error pages raised before any of our
    hooks ran (a refused CSRF token, say) still get a working one."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def register_request_hooks(app: Flask) -> None:
    """The request hooks, in the order they must run."""
    register_session_timeout(app)  # first: a session that has just ended is then refused
    app.before_request(enforce_access_rule)
    register_input_guard(app)  # after the access rule: strangers go to sign in first
    register_two_factor_guard(app)  # HEE admins set up two-factor before anything else
    app.after_request(security_headers)


def enforce_access_rule() -> Response | None:
    """Every view's @public or @allow rule: strangers go to sign in, the wrong role gets 403."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    rule = access_rule(current_app.view_functions.get(request.endpoint))
    if rule == PUBLIC:
        return None
    if not current_user.is_authenticated:
        kept = keep_typed_answers()
        if kept is not None:
            return kept
        target = request.full_path if request.method == "GET" else None
        next_url = target.rstrip("?") if target and is_safe_next(target) else None
        return redirect(url_for("auth.sign_in", next=next_url))  # type: ignore[return-value]
    if not rule or current_user.role not in rule:
        abort(403)
    return None


def security_headers(response: Response) -> Response:
    """The headers every response carries: its content policy, no sniffing or framing, and no
    caching of pages (they may hold personal data)."""
    _content_policy(response)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if request.is_secure:  # ProxyFix makes this right behind a TLS-terminating proxy
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # The session is saved after this hook: a view that changed it would send a cookie.
    shared = getattr(response, "public_cache", False) and not (
        session.modified or "Set-Cookie" in response.headers
    )
    if request.endpoint != "static" and not shared:
        # Pages may hold personal data: never keep them for the back button or a proxy. Only a
        # response its view gave to ``cache_for_everyone`` (the public register, as anyone not
        # signed in sees it) keeps that caching, and never one that sets a cookie.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def cache_for_everyone(response: Response, seconds: int) -> Response:
    """Let browsers and shared caches keep a response that is the same for everyone (it holds
    nothing personal) for ``seconds``. The response varies with the cookie, so a cache never
    hands a signed-in person's page to someone else or the other way round."""
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    response.vary.add("Cookie")
    response.public_cache = True  # type: ignore[attr-defined]
    return response


def _content_policy(response: Response) -> None:
    if is_download(request.endpoint, response):
        response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
        return
    response.headers.setdefault("Content-Security-Policy", page_policy(csp_nonce()))
    policy = response.headers["Content-Security-Policy"]
    if "frame-ancestors" not in policy:
        # A view's own policy must still refuse framing: frame-ancestors is the one directive
        # default-src does not stand in for.
        response.headers["Content-Security-Policy"] = f"{policy}; frame-ancestors 'none'"


def page_context() -> dict[str, object]:
    """The nonce inline scripts need under the page's policy, and where the NHS.UK assets are."""
    return {
        "cspNonce": csp_nonce(),
        "assetPath": url_for("static", filename="vendor/nhsuk/assets"),
    }
