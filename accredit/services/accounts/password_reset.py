"""Resetting a forgotten password: a signed link that works once, for an hour."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from accredit.config import Settings
from accredit.data.models import User
from accredit.data.queries.accounts import users as user_queries
from accredit.data.transactions import commit_now, unit_of_work
from accredit.domain.service import SERVICE_NAME
from accredit.services.accounts.accounts import AccountError
from accredit.services.accounts.passwords import hash_password
from accredit.services.operations import audit, mail

RESET_MAX_AGE = timedelta(hours=1)


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


def _reset_serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt="accredit.password-reset")


def request_password_reset(settings: Settings, email: str) -> None:
    """Email a reset link if the account exists; say nothing either way to the requester."""
    user = user_queries.user_by_email(email)
    if user is None or not user.active:
        return
    token = _reset_serializer(settings).dumps({"u": user.id, "p": _password_fingerprint(user)})
    with commit_now():
        audit.record("password-reset-requested", user.email, actor=user)
    mail.send(
        settings,
        mail.Mail(
            to=user.email,
            subject=f"Reset your {SERVICE_NAME} password",
            body=(
                f"Dear {user.name},\n\nUse this link to choose a new password:\n"
                f"{settings.base_url}/reset-password/{token}\n\n"
                "The link works once and expires in 1 hour. If you did not ask for it, "
                "you can ignore this email.\n"
            ),
        ),
    )


def user_for_reset(settings: Settings, token: str) -> User:
    try:
        data = _reset_serializer(settings).loads(token, max_age=int(RESET_MAX_AGE.total_seconds()))
    except SignatureExpired as exc:
        raise AccountError("This reset link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise AccountError("This reset link is not valid. Ask for a new one.") from exc
    user = user_queries.user_by_id(int(data.get("u", 0)))
    # The fingerprint changes with the password, so a link works only once; signing out
    # elsewhere does not spoil it.
    if user is None or not user.active or _password_fingerprint(user) != data.get("p"):
        raise AccountError("This reset link has already been used. Ask for a new one.")
    return user


def reset_password(settings: Settings, token: str, password: str) -> User:
    user = user_for_reset(settings, token)
    with unit_of_work():
        user.password_hash = hash_password(password)
        user.session_version += 1
        # Never the password or its hash: only that it changed and other sessions ended.
        audit.record(
            "password-reset",
            user.email,
            actor=user,
            before={"session_version": user.session_version - 1},
            after={"session_version": user.session_version, "password": "changed"},
        )
    return user
