"""Evidence as answers cite it: links from an answer to library items, and the library choices a
question page offers.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from accredit.data.models import (
    Assessment,
    EvidenceLink,
)
from accredit.extensions import db


def links_to_item(item_id: int) -> Sequence[EvidenceLink]:
    return db.session.scalars(select(EvidenceLink).where(EvidenceLink.item_id == item_id)).all()


def evidence_links_for_key(assessment: Assessment, key: str) -> Sequence[EvidenceLink]:
    return db.session.scalars(
        select(EvidenceLink).where(
            EvidenceLink.assessment_id == assessment.id, EvidenceLink.key == key
        )
    ).all()


def live_evidence_ids(organisation_id: int) -> set[str]:
    """Ids (as answer values hold them) of the organisation's evidence that is not removed."""
    from accredit.data.models import EvidenceItem

    rows = db.session.scalars(
        select(EvidenceItem.id).where(
            EvidenceItem.organisation_id == organisation_id, EvidenceItem.removed_at.is_(None)
        )
    )
    return {str(item_id) for item_id in rows}


def library_choices(organisation_id: int) -> list[tuple[int, str]]:
    """(id, title) of the organisation's evidence that is not removed, newest first."""
    from accredit.data.models import EvidenceItem

    rows = db.session.execute(
        select(EvidenceItem.id, EvidenceItem.title)
        .where(EvidenceItem.organisation_id == organisation_id, EvidenceItem.removed_at.is_(None))
        .order_by(EvidenceItem.created_at.desc(), EvidenceItem.id.desc())
    )
    return [(item_id, title) for item_id, title in rows]


def evidence_titles(ids: list[int]) -> dict[int, str]:
    from accredit.data.models import EvidenceItem

    if not ids:
        return {}
    rows = db.session.execute(
        select(EvidenceItem.id, EvidenceItem.title).where(EvidenceItem.id.in_(ids))
    )
    return {item_id: title for item_id, title in rows}


def evidence_in_library(ids: list[int]) -> set[int]:
    """Which of these evidence items are still in their library (not removed)."""
    from accredit.data.models import EvidenceItem

    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(EvidenceItem.id).where(
                EvidenceItem.id.in_(ids), EvidenceItem.removed_at.is_(None)
            )
        )
    )
