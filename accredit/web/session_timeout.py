"""Ending sessions that sat idle too long, or have simply lasted too long.

The session cookie carries when its owner signed in and when they last did something (it is
signed, so neither can be forged). A request that finds either limit passed ends the session
before anything else looks at it, and is then treated exactly as a request from someone whose
session had already gone: a page sends them to sign in and back, and a posted form goes
through the keep-typed flow (accredit.web.keep_typed), so nothing typed is lost. A flashed
message says why they were signed out.

Every request from the signed-in person counts as activity, including "Stay signed in" on the
warning dialog, except static files and the status checks a page makes by itself: those would
keep an unattended session alive for ever.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, flash, has_request_context, jsonify, request, session
from flask_login import current_user, logout_user, user_logged_in

from accredit.domain.accounts.session_limits import SessionLimits
from accredit.web.helpers import settings
from accredit.web.keep_typed import RESTORE, pages_keeping_typed

log = logging.getLogger("accredit.sessions")

SIGNED_IN_AT = "signed_in_at"
ACTIVE_AT = "active_at"

#: Requests a page's script makes on its own (a job's progress): not the person's activity.
#: The same for the page a countdown opens when it ends (session.timed_out).
PASSIVE = frozenset(
    {"static", "reports.pack_job_status", "cohorts.export_job_status", "session.timed_out"}
)

#: Answered with JSON, not a page: the warning dialog's script reads it.
KEEP_ALIVE = "session.keep_alive"


def limits() -> SessionLimits:
    s = settings()
    return SessionLimits.from_settings(s.idle_minutes, s.absolute_hours, s.idle_warning_minutes)


def seconds_left() -> int:
    """Seconds until this session ends by time, as the warning dialog counts them."""
    now = time.time()
    return limits().seconds_left(_stamp(SIGNED_IN_AT, now), _stamp(ACTIVE_AT, now), now)


def _stamp(key: str, default: float) -> float:
    value = session.get(key)
    return float(value) if isinstance(value, int | float) else default


def _start_clock() -> None:
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[ACTIVE_AT] = now


def _mark_sign_in(sender: Flask, **extra: Any) -> None:
    """Flask-Login's signal: every way of signing in starts the clock."""
    _start_clock()


def end_old_session() -> Any:
    """Before every request: end the session if a limit has passed, else note the activity."""
    if request.endpoint == "static" or "_user_id" not in session:
        return None
    now = time.time()
    if SIGNED_IN_AT not in session or ACTIVE_AT not in session:
        # A session made before these limits existed: its clock starts now.
        _start_clock()
        return None
    ending = limits().ended_by(_stamp(SIGNED_IN_AT, now), _stamp(ACTIVE_AT, now), now)
    if ending is None:
        if request.endpoint not in PASSIVE:
            session[ACTIVE_AT] = int(now)
        return None
    log.info("Session of user %s ended: %s limit", session.get("_user_id"), ending.value)
    logout_user()
    session.clear()
    flash(limits().signed_out_message(ending), "info")
    if request.endpoint == KEEP_ALIVE:
        return jsonify(seconds_left=0, signed_in=False), 401
    return None  # the access rule now sees someone signed out


def timeout_context() -> dict[str, object]:
    """What the warning dialog needs in the page (nothing for someone signed out)."""
    # Templates are also rendered with no request (a PDF made by a background job).
    if not has_request_context() or not current_user.is_authenticated:
        return {"session_timeout": None}
    return {
        "session_timeout": {
            "seconds_left": seconds_left(),
            "warning_seconds": int(limits().warning_seconds),
            # A page answering a post shows what was posted, not yet saved (a form with
            # errors, an expired form); a restored page shows answers kept at sign-in.
            "unsaved": request.method == "POST" or RESTORE in request.args,
            "keeps_typed": _posts_keep_typed(),
        }
    }


def _posts_keep_typed() -> bool:
    """Whether this page's form, posted after the session ends, has what was typed kept
    through sign-in (accredit.web.keep_typed), so the dialog can say so."""
    return request.endpoint in pages_keeping_typed()


def register_session_timeout(app: Flask) -> None:
    """Run before the access rule, so a request whose session has just ended is refused."""
    user_logged_in.connect(_mark_sign_in, app)
    app.before_request(end_old_session)
