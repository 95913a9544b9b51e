"""Password rules and hashing: a slow salted hash, 12 characters or more, no common ones."""

from __future__ import annotations

import functools

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn scores 0-4; 3 means "safely unguessable" for an online attack with throttling.
MIN_STRENGTH = 3


def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why this password is refused, in words a user can act on, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    result = zxcvbn(password, user_inputs=[i for i in user_inputs if i])
    if result["score"] < MIN_STRENGTH:
        return "Password is too common or easy to guess. Try three or four unrelated words"
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)


@functools.cache
def dummy_hash() -> str:
    """Checked against when the email is unknown, so the response time does not reveal
    accounts. Made on first use, not at import: it costs a full scrypt run."""
    return hash_password("not-a-real-password-for-timing")
