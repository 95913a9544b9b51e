"""The idle and absolute session limits, and the words used to explain them."""

from __future__ import annotations

import pytest

from accredit.domain.accounts.session_limits import Ending, SessionLimits, duration

LIMITS = SessionLimits.from_settings(idle_minutes=30, absolute_hours=12, warning_minutes=2)
T0 = 1_800_000_000.0


def test_settings_become_seconds():
    assert (LIMITS.idle_seconds, LIMITS.absolute_seconds, LIMITS.warning_seconds) == (
        1800,
        43200,
        120,
    )


@pytest.mark.parametrize(
    ("signed_in_ago", "active_ago", "expected"),
    [
        (0, 0, None),
        (3600, 1799, None),
        (3600, 1800, Ending.IDLE),
        (43199, 10, None),
        (43200, 10, Ending.ABSOLUTE),
        (50000, 5000, Ending.ABSOLUTE),  # both passed: the absolute limit is the reason
    ],
)
def test_which_limit_ended_the_session(signed_in_ago, active_ago, expected):
    now = T0 + 100_000
    assert LIMITS.ended_by(now - signed_in_ago, now - active_ago, now) is expected


def test_seconds_left_is_the_nearer_limit_rounded_up_and_never_negative():
    assert LIMITS.seconds_left(T0, T0, T0) == 1800
    assert LIMITS.seconds_left(T0, T0 + 0.5, T0 + 1) == 1800  # 1799.5 rounds up
    assert LIMITS.seconds_left(T0 - 43100, T0, T0) == 100  # the absolute limit is nearer
    assert LIMITS.seconds_left(T0 - 90000, T0 - 90000, T0) == 0


def test_messages_say_why_in_plain_english():
    assert LIMITS.signed_out_message(Ending.IDLE).startswith(
        "You were signed out because you had not done anything for 30 minutes."
    )
    assert LIMITS.signed_out_message(Ending.ABSOLUTE).startswith(
        "You were signed out because you had been signed in for 12 hours."
    )


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (43200, "12 hours"),
        (3600, "1 hour"),
        (5400, "90 minutes"),
        (1800, "30 minutes"),
        (60, "1 minute"),
        (90, "2 minutes"),
        (45, "45 seconds"),
        (1, "1 second"),
    ],
)
def test_durations(seconds, words):
    assert duration(seconds) == words
