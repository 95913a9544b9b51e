"""Suppressing the cells of a breakdown about groups of organisations, and the cells from which
a suppressed one could be worked out."""

from __future__ import annotations

from accredit.domain.cohorts.disclosure import MIN_GROUP_SIZE, suppressed_cells, too_small


def test_the_boundary_is_five() -> None:
    assert MIN_GROUP_SIZE == 5
    assert too_small(4) and not too_small(5) and not too_small(6)


def test_groups_of_five_and_six_are_shown() -> None:
    assert suppressed_cells({"London": 5, "North West": 6}) == frozenset()


def test_a_group_of_four_is_withheld_and_so_is_the_smallest_other_cell() -> None:
    # London alone withheld would be the total minus the others: the next smallest goes too.
    withheld = suppressed_cells({"London": 4, "North West": 6, "Midlands": 5, "South West": 9})
    assert withheld == {"London", "Midlands"}


def test_secondary_cells_are_added_until_the_withheld_ones_cover_five_organisations() -> None:
    # Two cells of 1: their sum (total minus the rest) would be about 2 organisations.
    assert suppressed_cells({"a": 1, "b": 1, "c": 6, "d": 9}) == {"a", "b", "c"}
    # Two small cells already covering 5 organisations between them need nothing more.
    assert suppressed_cells({"a": 3, "b": 2, "c": 6}) == {"a", "b"}
    assert suppressed_cells({"a": 4, "b": 4, "c": 6}) == {"a", "b"}


def test_everything_is_withheld_when_nothing_else_protects_a_small_cell() -> None:
    assert suppressed_cells({"a": 4, "b": 1}) == {"a", "b"}
    assert suppressed_cells({"a": 4}) == {"a"}


def test_empty_cells_are_left_alone_and_ties_follow_the_given_order() -> None:
    assert suppressed_cells({"a": 3, "empty": 0, "b": 7, "c": 7}) == {"a", "b"}
    assert suppressed_cells({}) == frozenset()


def test_a_withheld_cell_can_never_be_worked_out_from_the_total() -> None:
    """Whatever the sizes, either nothing is withheld or at least two cells about five or more
    organisations together are, so subtraction gives no group smaller than five."""
    import itertools

    for sizes in itertools.product(range(0, 8), repeat=4):
        counts = dict(zip("abcd", sizes, strict=True))
        withheld = suppressed_cells(counts)
        shown = [k for k in counts if k not in withheld and counts[k] > 0]
        assert all(not too_small(counts[k]) for k in shown)
        if withheld and shown:
            assert len(withheld) >= 2
            assert sum(counts[k] for k in withheld) >= MIN_GROUP_SIZE
