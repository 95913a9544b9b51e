"""An award's standing on a day, certificate references, and when stalls are watched (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from accredit.domain.review.awards import (
    AwardStatus,
    expires_on,
    is_valid,
    last_valid_day,
    valid_on,
)
from accredit.domain.review.certificates import (
    Reference,
    Standing,
    matches_reference,
    parse_reference,
    reference,
    stalled_before,
    standing,
    warns_of_expiry,
    watching_for_stalls,
)

EXPIRY = date(2028, 6, 1)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        (AwardStatus.CURRENT, date(2028, 5, 31), Standing.VALID),  # its last day
        (AwardStatus.CURRENT, EXPIRY, Standing.EXPIRED),  # expires on the day
        (AwardStatus.SUPERSEDED, date(2027, 1, 1), Standing.SUPERSEDED),
        (AwardStatus.WITHDRAWN, date(2027, 1, 1), Standing.WITHDRAWN),
        (AwardStatus.WITHDRAWN, date(2030, 1, 1), Standing.WITHDRAWN),  # the reason it ended
    ],
)
def test_standing(status, today, expected):
    assert standing(status, EXPIRY, today) is expected


def test_an_award_stands_up_to_and_including_its_last_valid_day():
    """One rule: ``expires_on`` is the first day an award no longer stands, and the day before
    it is the last valid day, the date every page, email and certificate prints."""
    expiry = expires_on(date(2026, 12, 7), 24)
    assert expiry == date(2028, 12, 7)
    assert last_valid_day(expiry) == date(2028, 12, 6)
    assert valid_on(expiry, date(2026, 12, 7)) and valid_on(expiry, date(2028, 12, 6))
    assert not valid_on(expiry, date(2028, 12, 7))
    assert is_valid(AwardStatus.CURRENT, expiry, date(2028, 12, 6))
    assert not is_valid(AwardStatus.CURRENT, expiry, date(2028, 12, 7))
    assert not is_valid(AwardStatus.WITHDRAWN, expiry, date(2027, 1, 1))
    # Across a month's end and a leap day: 29 February 2028 for 24 months.
    leap = expires_on(date(2028, 2, 29), 24)
    assert (leap, last_valid_day(leap)) == (date(2030, 2, 28), date(2030, 2, 27))
    assert last_valid_day(expires_on(date(2026, 3, 1), 24)) == date(2028, 2, 29)


def test_only_a_current_award_warns_of_expiry_within_three_months():
    assert warns_of_expiry(AwardStatus.CURRENT, EXPIRY, date(2028, 3, 1))
    assert not warns_of_expiry(AwardStatus.CURRENT, EXPIRY, date(2028, 2, 29))
    assert not warns_of_expiry(AwardStatus.SUPERSEDED, EXPIRY, date(2028, 3, 1))
    assert not warns_of_expiry(AwardStatus.CURRENT, EXPIRY, EXPIRY)


def test_a_reference_reads_back_and_checks_every_part():
    fingerprint = "3f9a" + "0" * 60
    text = reference("weqs", date(2026, 6, 1), 123, fingerprint)
    assert text == "WEQS-2026-000123-3F9A"
    parsed = parse_reference(f"  {text.lower()} ")
    assert parsed == Reference("weqs", 2026, 123, "3f9a")
    assert matches_reference(parsed, "weqs", date(2026, 6, 1), 123, fingerprint)
    assert not matches_reference(parsed, "weqs", date(2027, 6, 1), 123, fingerprint)
    assert not matches_reference(parsed, "weqs", date(2026, 6, 1), 124, fingerprint)
    assert not matches_reference(parsed, "weqs", date(2026, 6, 1), 123, "3f9b" + "0" * 60)
    assert not matches_reference(parsed, "employability", date(2026, 6, 1), 123, fingerprint)
    assert reference("weqs", date(2026, 6, 1), 1234567, fingerprint) == "WEQS-2026-1234567-3F9A"


@pytest.mark.parametrize(
    "text", ["", "WEQS-2026-123-3F9A", "WEQS-26-000123-3F9A", "WEQS-2026-000123-3F9", "ab" * 32]
)
def test_what_is_not_a_reference(text):
    assert parse_reference(text) is None


def test_activity_older_than_the_setting_is_stalled():
    now = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    assert stalled_before(now, 4) == datetime(2026, 9, 3, 12, 0, tzinfo=UTC)


def test_stalls_are_watched_until_the_deadline_passes():
    assert watching_for_stalls(None, date(2026, 1, 1))
    assert watching_for_stalls(date(2026, 1, 1), date(2026, 1, 1))
    assert not watching_for_stalls(date(2026, 1, 1), date(2026, 1, 2))
