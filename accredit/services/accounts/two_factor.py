"""Two-factor sign-in: enrolling an authenticator app, checking its codes, recovery codes.

Who: HEE staff may turn it on; HEE admins must (unless ACCREDIT_ADMIN_TWO_FACTOR is "off")
and cannot turn it off; organisation staff do not have it.

Wrong codes are recorded and counted exactly as wrong passwords are
(accredit.services.accounts.accounts.sign_in, accredit.domain.accounts.sign_in_throttle), so a
stolen password does not buy unlimited guesses at six digits.

Recovery codes are stored as HMAC-SHA256 keyed with the app's secret key. They carry 80
random bits, so a slow password hash would add nothing against guessing but would cost ten
slow checks per attempt; the key means a copy of the database (a backup, say) is not enough
to test guesses offline. The cost: changing ACCREDIT_SECRET_KEY invalidates them, so people
then make new ones (or an operator runs ``accredit two-factor-reset``).

Nothing here logs or audits a secret or a code: only that one was set, used or replaced.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import RecoveryCode, User
from accredit.data.queries.accounts import two_factor as queries
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts import recovery_codes, totp
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.accounts import secret_box
from accredit.services.accounts.signing_in import (
    SIGN_IN_FAILED,
    SignIn,
    SignInOutcome,
    begin_attempt,
)
from accredit.services.operations import audit

log = logging.getLogger("accredit.two_factor")


class TwoFactorError(Exception):
    """A request that cannot be carried out; the message is shown to the user."""


class TwoFactorThrottled(TwoFactorError):
    """Too many wrong codes or passwords lately: answered 429, like the sign-in page."""


def may_use(user: User) -> bool:
    return user.role.is_hee


def is_on(user: User) -> bool:
    return user.two_factor_enabled_at is not None and user.totp_secret is not None


def must_enrol(settings: Settings, user: User) -> bool:
    """An HEE admin without two-factor, where the service requires it of admins."""
    return settings.admin_two_factor and user.role is Role.HEE_ADMIN and not is_on(user)


def may_turn_off(user: User) -> bool:
    return user.role is Role.HEE_REVIEWER


def new_secret() -> str:
    return totp.new_secret(secrets.token_bytes(totp.SECRET_BYTES))


#: What each sealed secret is for (each gets its own key): the stored app key, and the new
#: one waiting in the session while it is set up.
STORED, SETTING_UP = "totp", "totp-set-up"


def sealed_for_set_up(settings: Settings, secret: str) -> str:
    """The new secret as the session carries it during set-up (sealed: a cookie is readable
    by whoever holds it, though not changeable)."""
    return secret_box.seal(settings.secret_key, SETTING_UP, secret)


def set_up_secret(settings: Settings, carried: object) -> str | None:
    """The secret the session carries for set-up, or None (none yet, or not readable)."""
    if not isinstance(carried, str) or not secret_box.is_sealed(carried):
        return None
    return secret_box.unseal(settings.secret_key, SETTING_UP, carried)


def seal_stored_keys(settings: Settings) -> int:
    """Seal every key stored before keys were sealed (``accredit db upgrade`` runs this), so
    an account nobody has used since is not left with its key readable; how many."""
    users = queries.users_with_unsealed_keys(secret_box.PREFIX)
    with unit_of_work():
        for user in users:
            assert user.totp_secret is not None
            user.totp_secret = secret_box.seal(settings.secret_key, STORED, user.totp_secret)
    return len(users)


def _stored_secret(settings: Settings, user: User) -> str | None:
    if user.totp_secret is None:
        return None
    secret = secret_box.unseal(settings.secret_key, STORED, user.totp_secret)
    if secret is None:
        log.error("Two-factor key of user %s is unreadable: was the secret key changed?", user.id)
    return secret


def _code_hash(settings: Settings, code: str) -> str:
    key = hashlib.sha256(b"accredit.recovery-code:" + settings.secret_key.encode()).digest()
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()


def _replace_recovery_codes(settings: Settings, user: User) -> list[str]:
    """Ten new codes in the caller's transaction; the old ones stop working."""
    queries.delete_recovery_codes(user.id)
    codes = [
        recovery_codes.format_code(secrets.token_bytes(recovery_codes.CODE_BYTES))
        for _ in range(recovery_codes.COUNT)
    ]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_code_hash(settings, c)) for c in codes
    )
    return codes


def _accept_code(user: User, secret: str, typed: str, now: float) -> bool:
    """Check an app code and claim its time step, so it cannot be used again."""
    step = totp.matching_step(secret, typed, now, user.totp_last_step)
    return step is not None and queries.claim_time_step(user.id, step)


def confirm_enrolment(
    settings: Settings, user: User, secret: str, typed: str, now: float | None = None
) -> list[str]:
    """Turn two-factor on once the app shows it has the secret; returns the recovery codes,
    which are shown this once. A wrong code raises and saves nothing."""
    if not may_use(user):
        raise TwoFactorError("Two-factor sign-in is for HEE accounts")
    if is_on(user):
        raise TwoFactorError("Two-factor sign-in is already set up")
    now = time.time() if now is None else now
    step = totp.matching_step(secret, typed, now, None)
    if step is None:
        raise TwoFactorError(
            "The code is not right. Enter the 6-digit code your authenticator app shows now"
        )
    with unit_of_work():
        user.totp_secret = secret_box.seal(settings.secret_key, STORED, secret)
        user.two_factor_enabled_at = utcnow()
        user.totp_last_step = step
        # Every session signed in with the password alone ends here (one opened by someone
        # who had the password would otherwise pass the two-factor guard from now on); the
        # caller signs the person who proved the code back in.
        user.session_version += 1
        codes = _replace_recovery_codes(settings, user)
        audit.record("two-factor-enabled", f"user:{user.id}", actor=user)
    return codes


def regenerate_codes(settings: Settings, user: User, typed: str, ip: str | None) -> list[str]:
    _require_current_code(settings, user, typed, ip)
    with unit_of_work():
        codes = _replace_recovery_codes(settings, user)
        audit.record(
            "recovery-codes-replaced",
            f"user:{user.id}",
            actor=user,
            after={"recovery_codes": len(codes)},
        )
    return codes


def turn_off(settings: Settings, user: User, typed: str, ip: str | None) -> None:
    if not may_turn_off(user):
        raise TwoFactorError("HEE admins must keep two-factor sign-in on")
    _require_current_code(settings, user, typed, ip)
    with unit_of_work():
        user.totp_secret = None
        user.two_factor_enabled_at = None
        user.totp_last_step = None
        queries.delete_recovery_codes(user.id)
        audit.record("two-factor-disabled", f"user:{user.id}", actor=user)


def reset(user: User) -> None:
    """An operator's reset for someone who lost their phone and their codes (the CLI)."""
    with unit_of_work():
        user.totp_secret = None
        user.two_factor_enabled_at = None
        user.totp_last_step = None
        user.session_version += 1
        queries.delete_recovery_codes(user.id)
        audit.record("two-factor-reset", f"user:{user.id}", detail="by an operator")


def remaining_codes(user: User) -> int:
    return queries.unused_recovery_codes(user.id)


def _require_current_code(settings: Settings, user: User, typed: str, ip: str | None) -> None:
    result = check_code(settings, user, typed, ip, recovery=False, signing_in=False)
    if result.outcome is SignInOutcome.THROTTLED:
        raise TwoFactorThrottled(result.refused_message)
    if result.outcome is not SignInOutcome.OK:
        raise TwoFactorError("The code is not right. Enter the code your app shows now")


def check_code(
    settings: Settings,
    user: User,
    typed: str,
    ip: str | None,
    *,
    recovery: bool,
    signing_in: bool = True,
    now: float | None = None,
) -> SignIn:
    """Check an app code or a recovery code, counted with failed passwords for throttling.

    As in signing_in.sign_in, the attempt is recorded as failed before the check and corrected
    after, so parallel guesses cannot slip under the limit.
    """
    kind = "recovery code" if recovery else "two-factor code"
    attempt = begin_attempt(settings, user.email, ip, detail=f"wrong {kind}")
    if attempt.throttled:
        return attempt.refused(settings)
    now = time.time() if now is None else now
    secret = _stored_secret(settings, user)
    with unit_of_work():
        if not is_on(user) or secret is None:
            ok = False
        elif recovery:
            code = recovery_codes.normalise(typed)
            ok = code is not None and queries.spend_recovery_code(
                user.id, _code_hash(settings, code), utcnow()
            )
        else:
            ok = _accept_code(user, secret, typed, now)
    if not ok:
        audit.log_event(SIGN_IN_FAILED, f"user:{user.id}", None)
        return SignIn(SignInOutcome.WRONG)
    action = "sign-in" if signing_in else "two-factor-code-accepted"
    with unit_of_work():
        db.session.refresh(user)
        if secret is not None and user.totp_secret and not secret_box.is_sealed(user.totp_secret):
            user.totp_secret = secret_box.seal(settings.secret_key, STORED, secret)  # an old one
        attempt.succeeded(action, user, f"with a {kind}")
        if recovery:
            audit.record(
                "recovery-code-used",
                f"user:{user.id}",
                actor=user,
                after={"recovery_codes_left": queries.unused_recovery_codes(user.id)},
            )
    audit.log_event(action, f"user:{user.id}", user)
    return SignIn(SignInOutcome.OK, user=user)
