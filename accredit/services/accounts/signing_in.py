"""Signing in and out: the password check, the sign-in throttle (failed attempts counted per
account and per client address) and the audit of each attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import AuditEvent, User
from accredit.data.queries.accounts import sign_in_throttle as throttle_queries
from accredit.data.queries.accounts import users as user_queries
from accredit.data.transactions import commit_now, unit_of_work
from accredit.domain.accounts import sign_in_throttle as throttle
from accredit.domain.accounts.sign_in_throttle import Refusal
from accredit.extensions import db
from accredit.services.accounts.accounts import normal_email
from accredit.services.accounts.passwords import dummy_hash, verify_password
from accredit.services.operations import audit

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
    email = normal_email(email)
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
