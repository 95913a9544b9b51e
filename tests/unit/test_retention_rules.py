"""Retention cut-offs: how long each kind of record is kept, and the rules that bound them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from accredit.config import Settings
from accredit.domain.operations.retention import Kind, Periods, cutoffs, period_problems, unshared

NOW = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
WINDOW = timedelta(minutes=15)
#: The documented periods, as the settings declare them (the domain has no defaults of its own).
DEFAULTS = Settings.model_construct().retention_periods()


def test_each_kind_is_kept_for_its_own_number_of_days():
    periods = Periods(
        invitations_days=10,
        reset_tokens_days=20,
        sessions_days=3,
        sign_in_attempts_days=7,
        imports_days=2,
        exports_days=14,
        audit_days=2555,
    )
    when = cutoffs(NOW, periods, WINDOW)
    assert when[Kind.INVITATIONS] == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert when[Kind.RESET_REQUESTS] == datetime(2026, 11, 14, 9, 30, tzinfo=UTC)
    assert when[Kind.FORM_STASHES] == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert when[Kind.SIGN_IN_ATTEMPTS] == datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    assert when[Kind.COHORT_IMPORTS] == datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    assert when[Kind.COHORT_EXPORTS] == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert when[Kind.AUDIT_EVENTS] == NOW - timedelta(days=2555)


def test_the_defaults_keep_the_audit_trail_about_seven_years():
    when = cutoffs(NOW, DEFAULTS, WINDOW)
    assert when[Kind.AUDIT_EVENTS].year == 2019
    assert when[Kind.INVITATIONS] == NOW - timedelta(days=90)
    assert when[Kind.COHORT_EXPORTS] == NOW - timedelta(days=30)


def test_audit_kinds_are_never_kept_longer_than_the_audit_trail():
    periods = replace(DEFAULTS, reset_tokens_days=400, sign_in_attempts_days=500, audit_days=100)
    when = cutoffs(NOW, periods, WINDOW)
    assert when[Kind.RESET_REQUESTS] == when[Kind.AUDIT_EVENTS] == NOW - timedelta(days=100)
    assert when[Kind.SIGN_IN_ATTEMPTS] == NOW - timedelta(days=100)


def test_failed_sign_ins_are_kept_for_the_whole_throttling_window():
    """A one-day setting with a two-day window must not forget failures still counted."""
    when = cutoffs(NOW, replace(DEFAULTS, sign_in_attempts_days=1), timedelta(days=2))
    assert when[Kind.SIGN_IN_ATTEMPTS] == NOW - timedelta(days=2)


def test_periods_under_a_day_are_refused_naming_the_variable():
    problems = period_problems(replace(DEFAULTS, invitations_days=0, exports_days=0, audit_days=-5))
    assert problems == [
        "ACCREDIT_RETAIN_INVITATIONS_DAYS must be a whole number of days, 1 or more (it is 0)",
        "ACCREDIT_RETAIN_EXPORTS_DAYS must be a whole number of days, 1 or more (it is 0)",
        "ACCREDIT_RETAIN_AUDIT_DAYS must be a whole number of days, 1 or more (it is -5)",
    ]
    assert period_problems(DEFAULTS) == []


def test_a_file_still_referenced_anywhere_is_kept():
    assert unshared({"b", "a", "c"}, {"b"}) == ["a", "c"]
    assert unshared({"a"}, {"a"}) == []
