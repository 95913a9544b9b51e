"""Statistical disclosure control for figures about groups of organisations. Pure Python.

A figure about fewer than ``MIN_GROUP_SIZE`` organisations is not shown (primary
suppression), nor is any figure from which a suppressed one could be worked out (secondary
suppression), so no organisation's own figures can be read off a comparison or a total.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

MIN_GROUP_SIZE = 5

K = TypeVar("K", bound=Hashable)


def too_small(organisations: int) -> bool:
    """Whether a figure about this many organisations must be suppressed."""
    return organisations < MIN_GROUP_SIZE


def suppressed_cells(counts: Mapping[K, int]) -> frozenset[K]:
    """The cells of a breakdown to withhold, given how many organisations each is about, when
    the breakdown's total is shown beside it (the cells add up to it).

    Primary: every cell about 1 to ``MIN_GROUP_SIZE - 1`` organisations. Secondary: a single
    withheld cell could be worked out as the total minus the shown cells, and two withheld
    cells about fewer than ``MIN_GROUP_SIZE`` organisations between them would give those few
    organisations' combined figure the same way; so the smallest shown cells are withheld too,
    one at a time, until the withheld cells are at least two and about at least
    ``MIN_GROUP_SIZE`` organisations together (or every cell is withheld). Cells about no
    organisation hold nothing to protect or to subtract, and are left alone. Ties are broken by
    the order of ``counts``, so the result is deterministic.
    """
    cells = [(key, count) for key, count in counts.items() if count > 0]
    withheld = {key for key, count in cells if too_small(count)}
    if not withheld:
        return frozenset()
    shown = sorted(
        ((count, index, key) for index, (key, count) in enumerate(cells) if key not in withheld),
        key=lambda item: (item[0], item[1]),
    )

    def protected() -> bool:
        together = sum(count for key, count in cells if key in withheld)
        return len(withheld) >= 2 and not too_small(together)

    while shown and not protected():
        withheld.add(shown.pop(0)[2])
    return frozenset(withheld)
