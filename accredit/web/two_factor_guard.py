"""HEE admins without two-factor authentication can do nothing but set it up.

Their accounts can change any organisation's accreditation, so a password alone is not enough
(unless ACCREDIT_ADMIN_TWO_FACTOR is "off", for tests and throwaway demos). The check runs on
every request rather than once at sign-in: an admin made while signed in, or a reset, is
caught too.
"""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from accredit.services.accounts import two_factor
from accredit.web.access import PUBLIC, access_rule
from accredit.web.helpers import settings

#: What an admin may still reach: the set-up page, signing out, and the session's own calls.
ALLOWED = frozenset(
    {
        "account.set_up_two_factor",
        "auth.sign_out",
        "session.keep_alive",
        "session.timed_out",
    }
)


def register_two_factor_guard(app: Flask) -> None:
    @app.before_request
    def require_admin_two_factor() -> Response | None:
        endpoint = request.endpoint
        if endpoint is None or endpoint == "static" or endpoint in ALLOWED:
            return None
        if access_rule(app.view_functions.get(endpoint)) == PUBLIC:
            return None  # public pages show nothing an admin could misuse
        if not current_user.is_authenticated or not two_factor.must_enrol(settings(), current_user):
            return None
        return redirect(url_for("account.set_up_two_factor"), 303)
