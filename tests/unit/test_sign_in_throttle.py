"""The sign-in throttle's rule: a guesser is slowed where they guess, and only a far higher
ceiling on the account refuses everyone (NIST SP 800-63B 5.2.2)."""

from __future__ import annotations

from accredit.domain.accounts.sign_in_throttle import (
    Failures,
    Limits,
    Refusal,
    refusal,
    refused_message,
)

LIMITS = Limits(account_at_address=5, address=20, account=100)


def counts(at_address: int = 1, address: int = 1, account: int = 1) -> Failures:
    return Failures(account_at_address=at_address, address=address, account=account)


def test_the_defaults_are_nists():
    assert Limits() == LIMITS


def test_each_limit_allows_its_number_of_failures_and_refuses_the_next():
    # The counts include the attempt being made: the sixth after five failures is refused.
    assert refusal(LIMITS, counts(at_address=5, address=5, account=5)) is None
    assert refusal(LIMITS, counts(at_address=6, account=6)) is Refusal.ACCOUNT_AT_ADDRESS
    assert refusal(LIMITS, counts(address=21)) is Refusal.ADDRESS
    assert refusal(LIMITS, counts(account=101)) is Refusal.ACCOUNT
    assert refusal(LIMITS, counts(at_address=5, address=20, account=100)) is None


def test_failures_elsewhere_on_the_account_do_not_refuse_this_address():
    """The owner at their own address, while a guesser elsewhere has used up their share."""
    assert refusal(LIMITS, counts(at_address=1, address=1, account=60)) is None


def test_the_ceiling_is_named_first_because_only_a_reset_ends_it():
    assert refusal(LIMITS, counts(at_address=9, address=30, account=101)) is Refusal.ACCOUNT
    assert refusal(LIMITS, counts(at_address=9, address=30)) is Refusal.ACCOUNT_AT_ADDRESS


def test_a_limit_of_zero_refuses_every_attempt():
    assert refusal(Limits(account_at_address=0), counts()) is Refusal.ACCOUNT_AT_ADDRESS


def test_messages_say_what_to_do_in_plain_english():
    wait = refused_message(Refusal.ACCOUNT_AT_ADDRESS, 15)
    assert wait == refused_message(Refusal.ADDRESS, 15)
    assert wait == (
        "You have entered the wrong details too many times. Wait 15 minutes, then try again."
    )
    locked = refused_message(Refusal.ACCOUNT, 15)
    assert "Reset your password" in locked and "Wait" not in locked
