"""Request hooks: access rules, scope, and the headers every response carries."""

from __future__ import annotations

import secrets

from flask import Flask, Response, abort, g, redirect, request, url_for
from flask_login import current_user

from accredit.web.access import PUBLIC, access_rule
from accredit.web.keep_typed import keep_typed_answers
from accredit.web.safe_redirect import is_safe_next


def csp_nonce() -> str:
    """One nonce per request, made on first use: error pages raised before any of our
    hooks ran (a refused CSRF token, say) still get a working one."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def register_request_hooks(app: Flask) -> None:
    @app.before_request
    def enforce_access_rule() -> Response | None:
        if request.endpoint is None or request.endpoint == "static":
            return None
        rule = access_rule(app.view_functions.get(request.endpoint))
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

    @app.after_request
    def security_headers(response: Response) -> Response:
        nonce = csp_nonce()
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint != "static":
            # Pages may hold personal data: never keep them for the back button or a proxy.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response

    @app.context_processor
    def template_globals() -> dict[str, object]:
        return {
            "cspNonce": csp_nonce(),
            "assetPath": url_for("static", filename="vendor/nhsuk/assets"),
        }
