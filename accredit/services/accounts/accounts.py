"""Accounts: sign-in with throttling, password reset and sign-out (invitations, which make
accounts, are in accredit.services.accounts.invitations)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import AuditEvent, Organisation, User
from accredit.data.queries.accounts import sign_in_throttle as throttle_queries
from accredit.data.queries.accounts import users as user_queries
from accredit.data.transactions import commit_now, unit_of_work
from accredit.domain.accounts import sign_in_throttle as throttle
from accredit.domain.accounts.organisations import Role
from accredit.domain.accounts.sign_in_throttle import Refusal
from accredit.domain.service import SERVICE_NAME
from accredit.extensions import db
from accredit.services.accounts.passwords import dummy_hash, hash_password, verify_password
from accredit.services.operations import audit, mail

RESET_MAX_AGE = timedelta(hours=1)
SIGN_IN_FAILED = throttle.FAILED


class SignInOutcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"


@dataclass(frozen=True, slots=True)
class SignIn:
    outcome: SignInOutcome
    user: User | None = None
    retry_minutes: int = 0
    #: With THROTTLED: the limit that refused it.
    refusal: Refusal | None = None

    @property
    def refused_message(self) -> str:
        """What the person refused is told (plain English, the same for passwords and codes)."""
        reason = self.refusal or Refusal.ACCOUNT_AT_ADDRESS
        return throttle.refused_message(reason, self.retry_minutes)


class AccountError(Exception):
    """A request that cannot be carried out; the message is shown to the user."""


def _normal_email(email: str) -> str:
    return email.strip().lower()


def _ip_target(ip: str | None) -> str:
    return f"ip:{ip or 'unknown'}"


@dataclass
class Attempt:
    """A sign-in step (a password, a two-factor code) recorded as failed before it is checked;
    ``succeeded`` corrects the record. ``refusal`` when too many have failed: the attempt is
    then refused without being checked."""

    by_account: AuditEvent
    by_address: AuditEvent
    refusal: Refusal | None

    @property
    def throttled(self) -> bool:
        return self.refusal is not None

    def refused(self, settings: Settings) -> SignIn:
        return SignIn(
            SignInOutcome.THROTTLED,
            retry_minutes=settings.sign_in_window_minutes,
            refusal=self.refusal,
        )

    def succeeded(self, action: str, actor: User, detail: str | None = None) -> None:
        """Within the caller's transaction: the attempt becomes ``action``, and no longer
        counts against the address."""
        self.by_account.action, self.by_account.actor_id = action, actor.id
        if detail is not None:
            self.by_account.detail = detail
        db.session.delete(self.by_address)


def begin_attempt(
    settings: Settings, account: str, ip: str | None, *, detail: str | None = None
) -> Attempt:
    """Record an attempt on ``account`` (an email) from ``ip`` as failed and count it with
    the others. It is recorded *before* the slow check, so a burst of parallel guesses cannot
    all slip in under the limit; passwords and two-factor codes share one count."""
    since = utcnow() - timedelta(minutes=settings.sign_in_window_minutes)
    with commit_now():
        by_account = audit.record(
            SIGN_IN_FAILED, account, ip_address=ip, detail=detail, logged=False
        )
        by_address = audit.record(
            SIGN_IN_FAILED, _ip_target(ip), ip_address=ip, detail=account, logged=False
        )
    failures = throttle_queries.failures(account, ip, _ip_target(ip), since)
    refusal = throttle.refusal(limits(settings), failures)
    if refusal is not None:
        with commit_now():
            by_account.action = by_address.action = throttle.REFUSED
            # Which limit refused it, for whoever reads the trail after a complaint.
            by_account.detail = "; ".join(filter(None, (detail, f"{refusal.value} limit")))
        audit.log_event(throttle.REFUSED, account, None)
    return Attempt(by_account, by_address, refusal)


def limits(settings: Settings) -> throttle.Limits:
    return throttle.Limits(
        account_at_address=settings.sign_in_attempts,
        address=settings.sign_in_address_attempts,
        account=settings.sign_in_account_attempts,
    )


def sign_in(settings: Settings, email: str, password: str, ip: str | None) -> SignIn:
    """Check the password, refusing further tries once too many have failed recently; the
    record is corrected to a sign-in when the password turns out to be right."""
    email = _normal_email(email)
    attempt = begin_attempt(settings, email, ip)
    if attempt.throttled:
        return attempt.refused(settings)

    user = user_queries.user_by_email(email)
    if user is None:
        verify_password(dummy_hash(), password)
        ok = False
    else:
        # Always run the slow check so timing does not reveal deactivated accounts.
        ok = verify_password(user.password_hash, password) and user.active
    if not ok:
        with commit_now():
            attempt.by_account.detail = "wrong email or password"
        audit.log_event(SIGN_IN_FAILED, email, None)
        return SignIn(SignInOutcome.WRONG)
    assert user is not None
    # With two-factor on, the code page records the sign-in (accredit.services.accounts.two_factor).
    action = "sign-in" if user.two_factor_enabled_at is None else "password-accepted"
    with unit_of_work():
        user.last_sign_in_at = utcnow()
        attempt.succeeded(action, user)
    audit.log_event(action, email, user)
    return SignIn(SignInOutcome.OK, user=user)


def sign_out(user: User) -> None:
    """End every session of this user by moving their session version on."""
    with unit_of_work():
        user.session_version += 1
        audit.record("sign-out", user.email, actor=user)


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    password: str | None,
    organisation: Organisation | None = None,
    actor: User | None = None,
) -> User:
    email = _normal_email(email)
    if user_queries.user_by_email(email) is not None:
        raise AccountError(f"There is already an account for {email}")
    if role.is_hee != (organisation is None):
        raise AccountError("HEE staff have no organisation; organisation staff need one")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        organisation=organisation,
        password_hash=hash_password(password) if password else None,
        active=True,
        session_version=1,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user-created", email, actor=actor, after={"role": role.value, "name": user.name})
    return user


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
