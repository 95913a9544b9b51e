"""The half-way state of a two-factor sign-in: password right, code not yet given.

It lives in the session cookie as a marker, not as a signed-in user, so nothing but the code
page accepts it. It lasts five minutes and names the session version, so signing out
elsewhere or a password change in the meantime also ends it.
"""

from __future__ import annotations

import time

from flask import session

from accredit.data.models import User
from accredit.data.queries.accounts.users import user_by_id

MARKER = "two_factor_pending"
PENDING_SECONDS = 300


def begin(user: User, target: str) -> None:
    # A fresh session, as at any sign-in: nothing from before survives (no fixation).
    session.clear()
    session[MARKER] = {
        "user": user.id,
        "version": user.session_version,
        "at": int(time.time()),
        "next": target,
    }


def pending_user() -> User | None:
    """The user half-way through signing in, or None (no marker, expired, or stale)."""
    data = session.get(MARKER)
    if not isinstance(data, dict):
        return None
    started = data.get("at")
    if not isinstance(started, int) or time.time() - started > PENDING_SECONDS:
        session.pop(MARKER, None)
        return None
    user = user_by_id(int(data.get("user", 0)))
    if user is None or not user.active or user.session_version != data.get("version"):
        session.pop(MARKER, None)
        return None
    return user


def target() -> str:
    data = session.get(MARKER)
    return str(data.get("next") or "") if isinstance(data, dict) else ""
