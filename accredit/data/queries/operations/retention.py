"""Counting and deleting the short-lived records a purge removes, one kind at a time.

Each kind is one WHERE clause, so what the preview counts is exactly what the purge deletes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select

from accredit.data.models import (
    AuditEvent,
    CohortImport,
    EvidenceFile,
    EvidenceItem,
    FormStash,
    Invitation,
    Job,
)
from accredit.data.queries.operations.jobs import DONE, FAILED
from accredit.domain.operations.retention import (
    EXPORT_JOB_KINDS,
    RESET_REQUEST_ACTIONS,
    SIGN_IN_ATTEMPT_ACTIONS,
    Kind,
)
from accredit.extensions import db

_Table = type[Invitation] | type[AuditEvent] | type[FormStash] | type[Job] | type[CohortImport]


def _rows(kind: Kind, cutoff: datetime) -> tuple[_Table, ColumnElement[bool]]:
    if kind is Kind.INVITATIONS:
        # An invitation still waiting to be accepted expires in the future, so it never
        # matches: only used ones, and ones that lapsed unused, go.
        return Invitation, or_(
            and_(Invitation.used_at.is_not(None), Invitation.used_at < cutoff),
            and_(Invitation.used_at.is_(None), Invitation.expires_at < cutoff),
        )
    if kind is Kind.FORM_STASHES:
        return FormStash, FormStash.created_at < cutoff
    if kind is Kind.COHORT_IMPORTS:
        # Imported or abandoned alike: the cohort's memberships and invitations are what last.
        return CohortImport, CohortImport.created_at < cutoff
    if kind is Kind.COHORT_EXPORTS:
        # Only finished ones: an export still queued or being made is left to finish.
        return Job, _finished_exports(Job.finished_at < cutoff)
    if kind is Kind.RESET_REQUESTS:
        return AuditEvent, and_(
            AuditEvent.action.in_(RESET_REQUEST_ACTIONS), AuditEvent.created_at < cutoff
        )
    if kind is Kind.SIGN_IN_ATTEMPTS:
        return AuditEvent, and_(
            AuditEvent.action.in_(SIGN_IN_ATTEMPT_ACTIONS), AuditEvent.created_at < cutoff
        )
    shorter_lived = RESET_REQUEST_ACTIONS + SIGN_IN_ATTEMPT_ACTIONS
    return AuditEvent, and_(AuditEvent.action.not_in(shorter_lived), AuditEvent.created_at < cutoff)


def count_expired(kind: Kind, cutoff: datetime) -> int:
    table, where = _rows(kind, cutoff)
    return db.session.scalar(select(func.count(table.id)).where(where)) or 0


def delete_expired(kind: Kind, cutoff: datetime) -> int:
    """Delete in the caller's transaction; the number of rows deleted."""
    table, where = _rows(kind, cutoff)
    result = db.session.execute(
        delete(table).where(where).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def hashes_in_use(hashes: Iterable[str], *, besides_organisation: int | None = None) -> set[str]:
    """Which of these stored files (by SHA-256) some evidence version still refers to, of any
    organisation or of any but ``besides_organisation``. Not scoped on purpose: it decides
    whether bytes may leave storage, which depends on everyone's evidence."""
    wanted = sorted(set(hashes))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # keep each IN list a sensible size
        query = select(EvidenceFile.sha256).where(
            EvidenceFile.sha256.in_(wanted[start : start + 500])
        )
        if besides_organisation is not None:
            query = query.join(EvidenceItem, EvidenceItem.id == EvidenceFile.item_id).where(
                EvidenceItem.organisation_id != besides_organisation
            )
        found.update(db.session.scalars(query.distinct()))
    return found


def _finished_exports(*where: ColumnElement[bool]) -> ColumnElement[bool]:
    return and_(Job.kind.in_(EXPORT_JOB_KINDS), Job.status.in_((DONE, FAILED)), *where)


def _export_files(*where: ColumnElement[bool]) -> set[str]:
    query = select(Job.result).where(Job.kind.in_(EXPORT_JOB_KINDS), *where)
    results = db.session.scalars(query.where(Job.result.is_not(None)))
    return {str(r["sha256"]) for r in results if isinstance(r, dict) and r.get("sha256")}


def cohort_export_files(prefixes: Iterable[str]) -> set[str]:
    """The stored files of the exports whose subject starts with one of these prefixes (the
    exports of given cohorts)."""
    wanted = sorted(set(prefixes))
    if not wanted:
        return set()
    return _export_files(or_(*(Job.subject.startswith(p, autoescape=True) for p in wanted)))


def expired_export_files(cutoff: datetime) -> set[str]:
    """The stored files (by SHA-256) of the cohort exports a purge at ``cutoff`` deletes."""
    return _export_files(_finished_exports(Job.finished_at < cutoff))


def kept_export_files(cutoff: datetime) -> set[str]:
    """The stored files of every cohort export a purge at ``cutoff`` keeps."""
    young = or_(Job.status.not_in((DONE, FAILED)), Job.finished_at.is_(None))
    return _export_files(or_(young, Job.finished_at >= cutoff))


def export_files_in_use(hashes: Iterable[str]) -> set[str]:
    """Which of these stored export files a cohort export still kept refers to. Exports are
    few (per cohort, and they expire), so their results are read whole rather than through a
    JSON path each database spells its own way."""
    return _export_files() & set(hashes)
