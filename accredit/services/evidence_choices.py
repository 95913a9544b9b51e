"""The evidence picker's options: the organisation's library, newest first."""

from __future__ import annotations

from accredit.data.queries.assessments import library_choices


def evidence_choices(organisation_id: int) -> list[tuple[str, str]]:
    return [(str(item_id), title) for item_id, title in library_choices(organisation_id)]
