"""Whole numbers from typed text: only ASCII digits, bounded length, never an exception."""

from __future__ import annotations

import pytest

from accredit.domain.numbers import is_whole, whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("42", 42),
        ("007", 7),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.5", None),
        ("", None),
        ("1" * 18, int("1" * 18)),
        ("1" * 19, None),
        ("1" * 5000, None),
        (None, None),
        (12, None),
    ],
)
def test_whole_number(text, expected):
    assert whole_number(text) == expected
    assert is_whole(text) is (expected is not None)
