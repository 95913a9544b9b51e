"""Action plans, snapshots, evidence packs and background jobs: what the reports journey
keeps. Re-exported by ``accredit.data.models``, the one place models are imported from."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accredit.data.base import Entity, UTCDateTime

if TYPE_CHECKING:
    from accredit.data.models.core import User


class Action(Entity):
    """The action plan: a blocker turned into a task with an owner, a due date and a status."""

    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_id"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # domain.actions.ActionStatus
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Optimistic lock, as for answers: of two edits started from one version the second is
    #: refused rather than silently overwriting the first.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    owner: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[owner_id])


class Snapshot(Entity):
    """A canonical snapshot of an assessment and its SHA-256 fingerprint, kept when a pack is
    made and on submission, so a pack can be verified against what was stored."""

    __tablename__ = "snapshots"
    __table_args__ = (UniqueConstraint("assessment_id", "fingerprint"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Why it was first kept: "pack" or "submission".
    reason: Mapped[str] = mapped_column(String(16))
    submitted: Mapped[bool] = mapped_column(Boolean, default=False)


class Pack(Entity):
    """A generated evidence pack, cached by the fingerprint and scope it was made from."""

    __tablename__ = "packs"
    # Not unique: every file ever handed out stays verifiable, so a pack made again (its file
    # lost, or two jobs racing) adds a row; the newest with its file in storage is served.
    __table_args__ = (Index("ix_packs_cache", "assessment_id", "fingerprint", "scope"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(16))  # "all" or "level"
    level: Mapped[str | None] = mapped_column(String(32))
    #: SHA-256 of the PDF's bytes: where storage keeps it, and how an edited copy is caught.
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Job(Entity):
    """Background work (evidence packs, exports): queued, running, done or failed, with
    progress for the page that waits on it. Runs on RQ or an in-process pool alike."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_subject", "kind", "subject"),
        # At most one queued or running job per kind and subject, even when two requests ask
        # at the same moment (the second insert fails and gets the first job instead).
        Index(
            "uq_jobs_active_subject",
            "kind",
            "subject",
            unique=True,
            sqlite_where=text("status IN ('queued', 'running')"),
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )

    kind: Mapped[str] = mapped_column(String(32))
    #: What the job is about, for finding it again: "assessment:12:all".
    subject: Mapped[str] = mapped_column(String(120))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16))  # queued, running, done, failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
