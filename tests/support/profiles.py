"""A complete organisation profile for tests: every profile field of the shipped standards
answered, so no criterion waits for the profile unless a test means it to."""

from __future__ import annotations

#: Adults only, in person, nothing clinical: the answers an empty profile used to stand for.
ANSWERED: dict[str, object] = {
    "offers_under_16": False,
    "offers_16_17": False,
    "offers_adults": True,
    "offers_in_person": True,
    "offers_virtual": False,
    "offers_clinical_placements": False,
    "offers_t_level": False,
    "regulated_activity": False,
}


def answered(**changes: object) -> dict[str, object]:
    """ANSWERED with some answers changed."""
    return ANSWERED | changes
