"""An assessment's current snapshot and fingerprint, and keeping snapshots (when a pack is made
and on submission) so a pack can be verified later."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from accredit.data.models import Snapshot
from accredit.data.queries.assessments.actions import actions_of
from accredit.data.queries.evidence.evidence import LibraryEntry, cited_entries
from accredit.data.queries.reports.packs import comments_of, snapshot_of
from accredit.domain.review.fingerprint import (
    EvidenceRef,
    cited_evidence,
    fingerprint,
    snapshot,
    text_sha256,
)
from accredit.domain.scoring.questionnaire import applies
from accredit.extensions import db
from accredit.services.assessments.workspace import Workspace
from accredit.services.review.review_overrides import overrides


@dataclass(frozen=True, slots=True)
class Current:
    data: dict[str, Any]
    fingerprint: str
    #: Cited evidence with its current file, in the order first cited.
    evidence: list[LibraryEntry]
    #: Evidence item id -> the answer keys citing it.
    cited: dict[int, list[str]]


def _ref(entry: LibraryEntry) -> EvidenceRef:
    item, file = entry.item, entry.file
    if file is not None:
        digest, version = file.sha256, file.version
    else:
        digest, version = text_sha256(item.url or item.statement or ""), item.current_version
    return EvidenceRef(item.id, item.kind, item.title, digest, version)


def current(ws: Workspace) -> Current:
    """The snapshot of what applies now: answers to criteria that apply, their statuses, and
    the evidence they cite (removed evidence drops out, as it does from every page)."""
    asked = {c.id for c in ws.result.criteria if applies(c)}
    answers = {k: v for k, v in ws.answers.items() if k.split("/", 1)[0] in asked}
    cited = cited_evidence(ws.standard, answers)
    entries = cited_entries(ws.assessment, list(cited))
    # Reviewer overrides the pack prints; the key only when there are some, so an assessment
    # never overridden keeps the fingerprint it had.
    overridden = [line.snapshot() for line in overrides(ws)]
    data = snapshot(
        organisation_id=ws.assessment.organisation_id,
        ods_code=ws.assessment.organisation.ods_code,
        assessment_id=ws.assessment.id,
        standard=ws.standard,
        answers=answers,
        statuses={c.id: c.status.value for c in ws.result.criteria if c.id in asked},
        evidence=[_ref(entry) for entry in entries],
        comments=[
            {"criterion": c.criterion_id, "author": c.author_id, "body": c.body}
            for c in comments_of(ws.assessment)
            if c.criterion_id in asked
        ],
        actions=[
            {
                "criterion": a.criterion_id,
                "description": a.description,
                "owner": a.owner_id,
                "due": a.due_date.isoformat() if a.due_date else None,
                "status": a.status,
            }
            for a in actions_of(ws.assessment)
        ],
        context={
            "status": ws.assessment.status.value,
            "organisation": ws.assessment.organisation.name,
            "cohort": ws.assessment.cohort.name,
            "profile": ws.profile,
            "previous": ws.assessment.previous_id,
            **({"overrides": overridden} if overridden else {}),
        },
    )
    present = {entry.item.id for entry in entries}
    return Current(
        data, fingerprint(data), entries, {k: v for k, v in cited.items() if k in present}
    )


def keep(ws: Workspace, reason: str, found: Current | None = None) -> Snapshot:
    """Store the current snapshot unless it is already kept; joins the caller's transaction.
    A snapshot kept on submission is marked so, whichever reason first stored it."""
    found = found or current(ws)
    kept = snapshot_of(ws.assessment.id, found.fingerprint)
    if kept is None:
        try:
            with db.session.begin_nested():  # another job may store the same one meanwhile
                kept = Snapshot(
                    assessment_id=ws.assessment.id,
                    fingerprint=found.fingerprint,
                    data=found.data,
                    reason=reason,
                    submitted=reason == "submission",
                )
                db.session.add(kept)
        except IntegrityError:
            kept = snapshot_of(ws.assessment.id, found.fingerprint)
            if kept is None:
                raise
    if reason == "submission" and not kept.submitted:
        kept.submitted = True
        db.session.flush()
    return kept
