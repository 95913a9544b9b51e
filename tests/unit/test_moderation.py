"""Moderation figures from counts of judgements: agreement per section and per criterion."""

from __future__ import annotations

import pytest

from accredit.domain.review.moderation import moderation

SECTIONS = [("a", "Commitment"), ("b", "Safety"), ("c", "Reflection")]
CRITERIA = [("1.1", "Lead"), ("1.2", "Policy"), ("2.1", "Risk"), ("2.2", "Insurance")]


def test_sections_and_criteria_add_up_and_the_most_misjudged_come_first():
    counts = [
        ("a", "1.1", "agree", 9),
        ("a", "1.1", "disagree", 1),
        ("a", "1.2", "agree", 5),
        ("b", "2.1", "agree", 2),
        ("b", "2.1", "needs_evidence", 6),
        ("b", "2.2", "disagree", 1),
        ("b", "2.2", "agree", 1),
    ]
    result = moderation(counts, SECTIONS, CRITERIA)
    a, b, c = result.sections
    assert (a.agree, a.disagree, a.needs_evidence, a.judged) == (14, 1, 0, 15)
    assert a.percent == pytest.approx(100 * 14 / 15)
    assert (b.agree, b.disagree, b.needs_evidence) == (3, 1, 6)
    assert c.judged == 0 and c.percent is None
    assert result.judged == 25 and result.percent == pytest.approx(68.0)
    assert [x.key for x in result.criteria] == ["2.1", "2.2", "1.1", "1.2"]
    assert [x.key for x in result.misjudged()] == ["2.1", "2.2", "1.1"]
    assert result.criteria[0].percent == pytest.approx(25.0)


def test_ties_keep_the_standards_order_and_no_judgements_give_no_percentages():
    counts = [("b", "2.2", "disagree", 1), ("a", "1.2", "disagree", 1)]
    result = moderation(counts, SECTIONS, CRITERIA)
    assert [x.key for x in result.criteria] == ["1.2", "2.2"]
    empty = moderation([], SECTIONS, CRITERIA)
    assert empty.percent is None and empty.criteria == () and empty.misjudged() == ()


def test_overrides_are_counted_apart_from_agreements_and_disagreements():
    counts = [
        ("a", "1.1", "agree", 3),
        ("a", "1.1", "override", 1),
        ("b", "2.1", "disagree", 1),
        ("b", "2.1", "override", 2),
    ]
    result = moderation(counts, SECTIONS, CRITERIA)
    a, b, _ = result.sections
    assert (a.agree, a.disagree, a.needs_evidence, a.override, a.judged) == (3, 0, 0, 1, 4)
    assert (b.agree, b.disagree, b.override, b.judged) == (0, 1, 2, 3)
    assert result.overrides == 3 and result.judged == 7
    assert result.percent == pytest.approx(100 * 3 / 7)
    assert [(x.key, x.override) for x in result.criteria] == [("2.1", 2), ("1.1", 1)]
