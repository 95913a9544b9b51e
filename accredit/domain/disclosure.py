"""Statistical disclosure control for figures about groups of organisations. Pure Python.

A figure about fewer than ``MIN_GROUP_SIZE`` organisations is not shown (primary
suppression), nor is any figure from which a suppressed one could be worked out (secondary
suppression), so no organisation's own figures can be read off a comparison or a total.
"""

from __future__ import annotations

MIN_GROUP_SIZE = 5


def too_small(organisations: int) -> bool:
    """Whether a figure about this many organisations must be suppressed."""
    return organisations < MIN_GROUP_SIZE
