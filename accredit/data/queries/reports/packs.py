"""Snapshots and evidence packs: the cache of packs by fingerprint, and what the verify page
looks up. Verification is for HEE staff, who see every organisation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from accredit.data.models import Assessment, Comment, Pack, Snapshot
from accredit.extensions import db


def snapshot_of(assessment_id: int, fingerprint: str) -> Snapshot | None:
    return db.session.scalar(
        select(Snapshot).where(
            Snapshot.assessment_id == assessment_id, Snapshot.fingerprint == fingerprint
        )
    )


def cached_packs(assessment_id: int, fingerprint: str, scope: str) -> Sequence[Pack]:
    """Packs made from this content and scope, newest first (usually one)."""
    return db.session.scalars(
        select(Pack)
        .where(
            Pack.assessment_id == assessment_id,
            Pack.fingerprint == fingerprint,
            Pack.scope == scope,
        )
        .order_by(Pack.id.desc())
    ).all()


def snapshots_with_fingerprint(fingerprint: str) -> Sequence[tuple[Snapshot, Assessment]]:
    rows = db.session.execute(
        select(Snapshot, Assessment)
        .join(Assessment, Assessment.id == Snapshot.assessment_id)
        .where(Snapshot.fingerprint == fingerprint)
        .order_by(Snapshot.created_at)
    )
    return [(snapshot, assessment) for snapshot, assessment in rows]


def packs_with_file(file_sha256: str) -> Sequence[Pack]:
    return db.session.scalars(
        select(Pack).where(Pack.file_sha256 == file_sha256).order_by(Pack.created_at)
    ).all()


def packs_with_fingerprint(fingerprint: str) -> Sequence[Pack]:
    return db.session.scalars(
        select(Pack).where(Pack.fingerprint == fingerprint).order_by(Pack.created_at)
    ).all()


def comments_of(assessment: Assessment) -> Sequence[Comment]:
    """Every comment on the assessment, oldest first (the pack prints them per criterion)."""
    return db.session.scalars(
        select(Comment)
        .where(Comment.assessment_id == assessment.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()


def pack_of(assessment: Assessment, pack_id: int) -> Pack | None:
    """A pack of an assessment the caller fetched through its scope."""
    return db.session.scalar(
        select(Pack).where(Pack.assessment_id == assessment.id, Pack.id == pack_id)
    )


def packs_of(assessment: Assessment) -> Sequence[Pack]:
    """Newest first."""
    return db.session.scalars(
        select(Pack)
        .where(Pack.assessment_id == assessment.id)
        .order_by(Pack.created_at.desc(), Pack.id.desc())
    ).all()
