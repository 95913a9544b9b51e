"""When a sign-in attempt is refused: the throttle's rule, with no database or Flask.

NIST SP 800-63B 5.2.2 asks for a limit on consecutive failed attempts on one account (no
more than 100), and for ways to keep a guesser from locking the real person out with it.
Refusing an account for everyone after a handful of failures does the opposite: anyone who
knows an email can shut its owner out. So three counts are kept, each of failed attempts
(wrong passwords and wrong two-factor codes alike) and each including the attempt being
made, which is recorded as failed before it is checked:

- **this account from this address**, within the window and since the account last signed in
  from that address (5.2.2: a success there disregards earlier failures from there). This is
  the limit a guesser meets, and only the guesser: the owner elsewhere is not counted with it.
- **this address on any account**, within the window: one address trying many accounts.
- **this account from anywhere**, since it last signed in or had its password reset, at any
  age: 5.2.2's ceiling on consecutive failures. Reaching it takes guesses from many
  addresses; then the account is refused to everyone, and stays refused (a window would only
  hand out another hundred guesses) until its owner resets the password from the link
  emailed to them, which restarts the count.

The counts are of failures only: a refused attempt is recorded as refused, so it never
extends a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: Audit actions the counts are read from (the attempt is recorded as FAILED first, then
#: corrected to REFUSED, or to SIGNED_IN or another success).
FAILED = "sign-in-failed"
REFUSED = "sign-in-throttled"
SIGNED_IN = "sign-in"
PASSWORD_RESET = "password-reset"


class Refusal(StrEnum):
    """Which limit refused an attempt."""

    ACCOUNT_AT_ADDRESS = "account-at-address"
    ADDRESS = "address"
    ACCOUNT = "account"


@dataclass(frozen=True, slots=True)
class Limits:
    """Failures allowed before the next attempt is refused (see the module docstring)."""

    account_at_address: int = 5
    address: int = 20
    account: int = 100


@dataclass(frozen=True, slots=True)
class Failures:
    """The three counts for one attempt, that attempt included."""

    account_at_address: int
    address: int
    account: int


def refusal(limits: Limits, failures: Failures) -> Refusal | None:
    """The limit this attempt goes over, or None to check it.

    The account's ceiling is named first when several are over, because its remedy (a
    password reset) is the only one that waiting does not bring."""
    if failures.account > limits.account:
        return Refusal.ACCOUNT
    if failures.account_at_address > limits.account_at_address:
        return Refusal.ACCOUNT_AT_ADDRESS
    if failures.address > limits.address:
        return Refusal.ADDRESS
    return None


def refused_message(reason: Refusal, window_minutes: int) -> str:
    """What the person refused is told. The same words for a password and for a two-factor
    code, so neither reveals which step was wrong, and the same whether or not the email has
    an account."""
    if reason is Refusal.ACCOUNT:
        return (
            "There have been too many wrong attempts to sign in to this account, so it is "
            "locked to keep it safe. Reset your password to unlock it, then sign in."
        )
    return (
        "You have entered the wrong details too many times. "
        f"Wait {window_minutes} minutes, then try again."
    )
