"""What an organisation's badge says, as its award stands, lapses or is withdrawn."""

from __future__ import annotations

from datetime import date

from accredit.domain.register.badge import NAME_MAX, BadgeState, badge_for
from accredit.domain.review.awards import AwardStatus

EXPIRY = date(2028, 12, 7)  # valid until 6 December 2028


def test_a_standing_award_says_its_level_and_last_day():
    badge = badge_for("Brookside Medical Practice", "Silver", AwardStatus.CURRENT, EXPIRY,
                      date(2028, 12, 6))  # fmt: skip
    assert badge.state is BadgeState.CURRENT
    assert badge.label == "Brookside Medical Practice"
    assert badge.message == "Silver work experience, until 6 Dec 2028"
    assert badge.description.startswith("Brookside Medical Practice: Silver")


def test_the_day_after_its_last_day_the_badge_says_expired():
    badge = badge_for("Brookside", "Silver", AwardStatus.CURRENT, EXPIRY, EXPIRY)
    assert badge.state is BadgeState.EXPIRED
    assert badge.message == "Silver work experience award expired"


def test_a_withdrawn_award_says_so_whatever_its_dates():
    badge = badge_for("Brookside", "Gold", AwardStatus.WITHDRAWN, EXPIRY, date(2027, 1, 1))
    assert badge.state is BadgeState.WITHDRAWN


def test_a_long_name_is_cut_short():
    badge = badge_for("N" * 80, "Gold", AwardStatus.CURRENT, EXPIRY, date(2027, 1, 1))
    assert len(badge.label) == NAME_MAX and badge.label.endswith("\u2026")
