"""The evidence library: adding files, links and statements, new versions, removal.

Every change is one transaction with its audit event. The checks on an uploaded file live in
``uploads``; this module decides what the library keeps.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from accredit.data.base import utcnow
from accredit.data.models import EvidenceFile, EvidenceItem, Organisation, User
from accredit.data.queries.evidence import evidence as queries
from accredit.data.queries.scope import scope_for
from accredit.data.transactions import commit_now, unit_of_work
from accredit.domain.accounts.organisations import ORG_ROLES
from accredit.domain.scoring.evidence import (
    DESCRIPTION_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    EvidenceKind,
    link_problem,
)
from accredit.extensions import db
from accredit.services.evidence.scanning import Scanner
from accredit.services.evidence.uploads import (
    StoredFile,
    UploadRefused,
    accept_upload,
    still_stored,
)
from accredit.services.operations import audit
from accredit.services.storage.storage import Storage

__all__ = [
    "EvidenceRefused",
    "NotAllowed",
    "UploadRefused",
    "add_file",
    "add_link",
    "add_statement",
    "new_version",
    "remove",
]

SAME_AS_CURRENT = "The selected file is the same as the current version"


class EvidenceRefused(Exception):
    """A link, statement or title that cannot be kept; the message is shown as it is, on the
    form field named by ``field``."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(Exception):
    """The actor may not change this organisation's evidence. The views never let this
    happen; it is the service's own guard, not a message for users."""


def _check_actor(actor: User, organisation_id: int) -> None:
    if actor.role not in ORG_ROLES or actor.organisation_id != organisation_id:
        raise NotAllowed(f"user {actor.id} may not change organisation {organisation_id}")


def _checked_details(title: str, description: str) -> tuple[str, str]:
    title, description = title.strip(), description.strip()
    if not title or len(title) > TITLE_MAX:
        raise EvidenceRefused(f"Enter a title of {TITLE_MAX} characters or fewer", "title")
    if len(description) > DESCRIPTION_MAX:
        raise EvidenceRefused(
            f"The description must be {DESCRIPTION_MAX:,} characters or fewer", "description"
        )
    return title, description


def _add_item(
    actor: User,
    organisation: Organisation,
    kind: EvidenceKind,
    details: tuple[str, str, date | None],
    audit_after: dict[str, Any],
    **fields: Any,
) -> EvidenceItem:
    """Insert the item and its audit event; the caller holds the transaction."""
    title, description = _checked_details(details[0], details[1])
    item = EvidenceItem(
        organisation_id=organisation.id,
        kind=kind.value,
        title=title,
        description=description,
        effective_date=details[2],
        uploaded_by_id=actor.id,
        uploaded_by=actor,
        current_version=1 if kind is EvidenceKind.FILE else 0,
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    audit.record(
        "evidence-added",
        f"evidence:{item.id}",
        actor=actor,
        after={"kind": kind.value, "title": title, **audit_after},
    )
    return item


def _file_row(item: EvidenceItem, version: int, actor: User, stored: StoredFile) -> EvidenceFile:
    row = EvidenceFile(
        item_id=item.id,
        version=version,
        sha256=stored.sha256,
        filename=stored.name,
        media_type=stored.filetype.media_type,
        size=stored.size,
        uploaded_by_id=actor.id,
        uploaded_by=actor,
    )
    db.session.add(row)
    return row


def _file_audit(stored: StoredFile, version: int) -> dict[str, Any]:
    return {
        "version": version,
        "sha256": stored.sha256,
        "filename": stored.name,
        "media_type": stored.filetype.media_type,
        "size": stored.size,
    }


def add_file(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    description: str,
    effective_date: date | None,
    filename: str,
    data: bytes,
    storage: Storage,
    scanner: Scanner,
    max_bytes: int,
) -> EvidenceItem:
    """A new file item at version 1. Raises UploadRefused for a file we will not keep."""
    _check_actor(actor, organisation.id)
    _checked_details(title, description)  # before any work on the file
    stored = accept_upload(
        filename,
        data,
        actor=actor,
        target=f"organisation:{organisation.id}",
        storage=storage,
        scanner=scanner,
        max_bytes=max_bytes,
    )
    with commit_now():
        details = (title, description, effective_date)
        item = _add_item(actor, organisation, EvidenceKind.FILE, details, _file_audit(stored, 1))
        _file_row(item, 1, actor, stored)
    still_stored(storage, stored.sha256, data)
    return item


def add_link(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    description: str,
    effective_date: date | None,
    url: str,
) -> EvidenceItem:
    _check_actor(actor, organisation.id)
    problem = link_problem(url)
    if problem:
        raise EvidenceRefused(problem, "url")
    url = url.strip()
    with unit_of_work():
        details = (title, description, effective_date)
        return _add_item(actor, organisation, EvidenceKind.LINK, details, {"url": url}, url=url)


def add_statement(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    description: str,
    effective_date: date | None,
    text: str,
) -> EvidenceItem:
    _check_actor(actor, organisation.id)
    text = text.strip()
    if not text:
        raise EvidenceRefused("Enter the statement", "statement")
    if len(text) > STATEMENT_MAX:
        raise EvidenceRefused(
            f"The statement must be {STATEMENT_MAX:,} characters or fewer", "statement"
        )
    with unit_of_work():
        details = (title, description, effective_date)
        after = {"characters": len(text)}
        return _add_item(
            actor, organisation, EvidenceKind.STATEMENT, details, after, statement=text
        )


def new_version(
    item: EvidenceItem,
    *,
    actor: User,
    effective_date: date | None,
    filename: str,
    data: bytes,
    storage: Storage,
    scanner: Scanner,
    max_bytes: int,
) -> EvidenceFile:
    """The item's next version; earlier versions stay and can still be downloaded."""
    _check_actor(actor, item.organisation_id)
    if item.kind != EvidenceKind.FILE or item.removed_at is not None:
        raise EvidenceRefused("Only a file in the library can have a new version", "file")
    target = f"evidence:{item.id}"
    stored = accept_upload(
        filename,
        data,
        actor=actor,
        target=target,
        storage=storage,
        scanner=scanner,
        max_bytes=max_bytes,
    )
    scope = scope_for(actor.id, actor.role, actor.organisation_id)
    current = queries.item_file(scope, item, item.current_version)
    if current is not None and current.sha256 == stored.sha256:
        raise UploadRefused(SAME_AS_CURRENT)
    with commit_now():
        before = {"version": item.current_version, "effective_date": _iso(item.effective_date)}
        # Incremented in SQL rather than from the value read above: of two uploads at once,
        # each gets its own version or one fails on the unique key; neither overwrites.
        item.current_version = EvidenceItem.current_version + 1
        item.effective_date = effective_date
        db.session.flush()
        version = item.current_version  # reloaded after the flush
        row = _file_row(item, version, actor, stored)
        audit.record(
            "evidence-version-added",
            target,
            actor=actor,
            before=before,
            after={**_file_audit(stored, version), "effective_date": _iso(effective_date)},
        )
    still_stored(storage, stored.sha256, data)
    return row


def remove(item: EvidenceItem, *, actor: User) -> None:
    """Hide the item and detach it from every answer, in one transaction.

    The rows and stored files are kept: a submitted assessment may have been judged on them,
    and the audit trail points at them.
    """
    _check_actor(actor, item.organisation_id)
    if item.removed_at is not None:
        return
    # Imported here: answers belong to the assessments service, which may itself use the
    # library, and removal is the one place the library reaches into answers.
    from accredit.services.assessments.assessments import detach_evidence

    with unit_of_work():
        item.removed_at = utcnow()
        audit.record(
            "evidence-removed",
            f"evidence:{item.id}",
            actor=actor,
            before={"kind": item.kind, "title": item.title},
        )
        db.session.flush()
        detach_evidence(item, actor)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
