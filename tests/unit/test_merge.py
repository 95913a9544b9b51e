"""Merging stale edits: nothing anyone typed is lost, real clashes are reported."""

from __future__ import annotations

from accredit.domain.scoring.merge import Conflict, Stored, merge


def test_nobody_else_saved_so_mine_is_written():
    base = {"a": Stored(1, "x")}
    result = merge(base, {"a": "y", "b": "new"}, {"a": Stored(1, "x")})
    assert result.clean and result.writes == {"a": "y", "b": "new"}


def test_unchanged_values_are_not_rewritten():
    result = merge({"a": Stored(2, "x")}, {"a": "x"}, {"a": Stored(2, "x")})
    assert result.clean and result.writes == {}


def test_their_change_stands_when_i_left_the_answer_alone():
    result = merge({"a": Stored(1, "x")}, {"a": "x"}, {"a": Stored(2, "theirs")})
    assert result.clean and result.writes == {}


def test_same_change_on_both_sides_is_no_conflict():
    result = merge({"a": Stored(1, "x")}, {"a": "y"}, {"a": Stored(2, "y")})
    assert result.clean and result.writes == {}


def test_different_changes_conflict_and_write_nothing():
    result = merge(
        {"a": Stored(1, "x"), "b": Stored(1, "p")},
        {"a": "mine", "b": "q"},
        {"a": Stored(2, "theirs"), "b": Stored(1, "p")},
    )
    assert not result.clean
    assert result.conflicts == (Conflict("a", "mine", "theirs", "x"),)


def test_both_answering_a_new_question_differently_conflicts():
    result = merge({}, {"a": "mine"}, {"a": Stored(1, "theirs")})
    assert result.conflicts == (Conflict("a", "mine", "theirs", None),)


def test_clearing_an_answer_someone_changed_conflicts():
    result = merge({"a": Stored(1, ["x"])}, {"a": None}, {"a": Stored(2, ["x", "y"])})
    assert result.conflicts[0].theirs == ["x", "y"] and result.conflicts[0].mine is None
