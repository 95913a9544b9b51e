"""Loading the signed-in user, refusing sessions that sign-out or a new password ended."""

from __future__ import annotations

from accredit.data.models import User
from accredit.data.queries.accounts.users import user_by_id


def load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = user_by_id(int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
