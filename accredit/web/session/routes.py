"""What the "You're about to be signed out" dialog (accredit/static/timeout.js) calls."""

from __future__ import annotations

from flask import Response, jsonify, redirect, request, url_for

from accredit.web.access import signed_in
from accredit.web.safe_redirect import is_safe_next
from accredit.web.session.blueprint import bp
from accredit.web.session_timeout import seconds_left


@bp.route("/session/keep-alive", methods=["POST"])
@signed_in
def keep_alive() -> Response:
    """The person pressed "Stay signed in". Like any request of theirs, this one has already
    counted as activity (accredit.web.session_timeout); the page learns its new time left.
    A POST with the CSRF token, so another site cannot keep someone's session open."""
    return jsonify(seconds_left=seconds_left(), signed_in=True)


@bp.route("/session/timed-out")
@signed_in
def timed_out() -> Response:
    """Where a page goes when its countdown ends. Normally the session has ended, so the
    access rule sends the person to sign in (with the reason, and back here after, which then
    leads on to their page). If another tab kept the session alive, go back to the page: this
    request is not the person's doing, so it does not count as activity."""
    target = request.args.get("next", "")
    return redirect(target if is_safe_next(target) else url_for("pages.home"))  # type: ignore[return-value]
