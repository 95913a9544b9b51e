"""Evidence library queries. Each takes the caller's scope and finds nothing outside it.

Removed items stay in the database (their versions are history) but no query here returns
them: once removed, an item is gone from every page and its files cannot be downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select

from accredit.data.models import Assessment, EvidenceFile, EvidenceItem, EvidenceLink
from accredit.data.queries.scope import Scope
from accredit.extensions import db


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """An item with its current file (None for links and statements)."""

    item: EvidenceItem
    file: EvidenceFile | None


@dataclass(frozen=True, slots=True)
class EvidenceUse:
    """One place an item is attached: the answer key and the assessment it belongs to."""

    link: EvidenceLink
    assessment: Assessment


def _current_file_join() -> ColumnElement[bool]:
    return and_(
        EvidenceFile.item_id == EvidenceItem.id,
        EvidenceFile.version == EvidenceItem.current_version,
    )


def library(scope: Scope, organisation_id: int) -> list[LibraryEntry]:
    """The organisation's items, newest first, each with its current file in the same query."""
    if not scope.allows(organisation_id):
        return []
    rows = db.session.execute(
        select(EvidenceItem, EvidenceFile)
        .outerjoin(EvidenceFile, _current_file_join())
        .where(EvidenceItem.organisation_id == organisation_id, EvidenceItem.removed_at.is_(None))
        .order_by(EvidenceItem.created_at.desc(), EvidenceItem.id.desc())
    )
    return [LibraryEntry(item, file) for item, file in rows]


def get_item(scope: Scope, organisation_id: int, item_id: int) -> EvidenceItem | None:
    """The item when it belongs to this organisation, the scope sees it and it is not removed.

    The organisation in the URL must be the item's own: another organisation's item id under
    your own organisation's URL is as unknown as under theirs.
    """
    if not scope.allows(organisation_id):
        return None
    return db.session.scalar(
        select(EvidenceItem).where(
            EvidenceItem.id == item_id,
            EvidenceItem.organisation_id == organisation_id,
            EvidenceItem.removed_at.is_(None),
        )
    )


def item_files(scope: Scope, item: EvidenceItem) -> Sequence[EvidenceFile]:
    """Every uploaded version of a file item, newest first."""
    if not scope.allows(item.organisation_id):
        return []
    return db.session.scalars(
        select(EvidenceFile)
        .where(EvidenceFile.item_id == item.id)
        .order_by(EvidenceFile.version.desc())
    ).all()


def item_file(scope: Scope, item: EvidenceItem, version: int) -> EvidenceFile | None:
    if not scope.allows(item.organisation_id):
        return None
    return db.session.scalar(
        select(EvidenceFile).where(EvidenceFile.item_id == item.id, EvidenceFile.version == version)
    )


def item_links(scope: Scope, item: EvidenceItem) -> Sequence[EvidenceLink]:
    """The answer links to an item (what removal has to detach)."""
    if not scope.allows(item.organisation_id):
        return []
    return db.session.scalars(
        select(EvidenceLink).where(EvidenceLink.item_id == item.id).order_by(EvidenceLink.id)
    ).all()


def item_uses(scope: Scope, item: EvidenceItem) -> list[EvidenceUse]:
    """Where an item is used, with each assessment (and its cohort) loaded in one query."""
    if not scope.allows(item.organisation_id):
        return []
    rows = db.session.execute(
        select(EvidenceLink, Assessment)
        .join(Assessment, Assessment.id == EvidenceLink.assessment_id)
        .where(
            EvidenceLink.item_id == item.id,
            Assessment.organisation_id == item.organisation_id,
            # A reviewer sees the uses in the cohorts they review, not the others.
            scope.cohorts_clause(Assessment.cohort_id),
        )
        .order_by(Assessment.id.desc(), EvidenceLink.key)
    )
    return [EvidenceUse(link, assessment) for link, assessment in rows]


def cited_entries(assessment: Assessment, item_ids: Sequence[int]) -> list[LibraryEntry]:
    """The items an assessment's answers cite (its own organisation's, not removed), each with
    its current file, in the order of ``item_ids``. The caller fetched the assessment through
    its scope."""
    if not item_ids:
        return []
    rows = db.session.execute(
        select(EvidenceItem, EvidenceFile)
        .outerjoin(EvidenceFile, _current_file_join())
        .where(
            EvidenceItem.id.in_(list(item_ids)),
            EvidenceItem.organisation_id == assessment.organisation_id,
            EvidenceItem.removed_at.is_(None),
        )
    )
    found = {item.id: LibraryEntry(item, file) for item, file in rows}
    return [found[i] for i in item_ids if i in found]
