"""The core tables: organisations, people, cohorts, standards, assessments and their answers,
evidence and progress. Enumerations come from the domain so the same names are used everywhere."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accredit.data.base import FAST_JSON, Entity, UTCDateTime, enum_column
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.assessments.lifecycle import AssessmentStatus, assessment_reference

_enum = enum_column


class Region(Entity):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class Organisation(Entity):
    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(200))
    ods_code: Mapped[str] = mapped_column(String(16), unique=True)
    org_type: Mapped[OrgType] = mapped_column(_enum(OrgType, "org_type"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: Answers to the standard's profile questions (under-16s, clinical, T Level...); the
    #: organisation type comes from ``org_type``. Kept as data: a new standard may ask more.
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    region: Mapped[Region] = relationship(lazy="joined")
    parent: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")


class User(Entity):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped at sign-out and password change; a session carrying an older value is dead.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Two-factor sign-in (accredit.services.accounts.two_factor): on once enabled_at is set. The
    # secret must be read back to check codes, so it cannot be hashed: it is sealed under the secret
    # key (accredit.services.accounts.secret_box). The last accepted time step refuses a code, or an
    # older one, a second time.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    two_factor_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    # Flask-Login protocol, kept here so the model works without a wrapper class.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class Cohort(Entity):
    __tablename__ = "cohorts"

    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    standard_id: Mapped[str] = mapped_column(String(64))
    standard_version: Mapped[str] = mapped_column(String(32))
    deadline: Mapped[date | None] = mapped_column(Date)

    region: Mapped[Region | None] = relationship(lazy="joined")


class CohortMembership(Entity):
    __tablename__ = "cohort_memberships"
    __table_args__ = (UniqueConstraint("cohort_id", "organisation_id"),)

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )


class CohortReviewer(Entity):
    """An HEE reviewer assigned to a cohort: reviewers see only the cohorts they are given."""

    __tablename__ = "cohort_reviewers"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship(lazy="joined")


class CohortImport(Entity):
    """An uploaded CSV of organisations, parsed and checked row by row, waiting to be confirmed
    (nothing is imported until an HEE admin confirms the preview)."""

    __tablename__ = "cohort_imports"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    #: Every row as read, with its problems: [{"line": 2, "values": {...}, "errors": [...]}].
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Invitation(Entity):
    __tablename__ = "invitations"

    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When a background job (a cohort import's) emailed it, with a link made as it was sent;
    #: None for one not sent yet, or sent straight from a form.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


class AuditEvent(Entity):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_target", "action", "target", "created_at"),)

    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: Who acted, once their account was deleted with their organisation (no name or email).
    actor_label: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(254))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    detail: Mapped[str | None] = mapped_column(Text)


class StandardVersion(Entity):
    """A standard file as loaded; kept whole so any stored score can be reproduced."""

    __tablename__ = "standard_versions"
    __table_args__ = (UniqueConstraint("standard_id", "version"),)

    standard_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    effective: Mapped[date] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    criteria_count: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)


class Assessment(Entity):
    """One organisation's self-assessment for a cohort, pinned to a standard version."""

    __tablename__ = "assessments"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    standard_id: Mapped[str] = mapped_column(String(64))
    standard_version: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[AssessmentStatus] = mapped_column(
        _enum(AssessmentStatus, "assessment_status"), index=True
    )
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The assessment this one carried its answers forward from (the previous cycle).
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Bumped on every change, so a cached view or pack can tell it is stale.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # The dashboard finds each organisation's newest assessment in a cohort from this index alone.
    __table_args__ = (Index("ix_assessments_cohort_org", "cohort_id", "organisation_id", "id"),)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    # Loaded when asked for: the question pages, which run most, never need it.
    cohort: Mapped[Cohort] = relationship(lazy="select")

    @property
    def reference(self) -> str:
        """What the organisation quotes (``domain.lifecycle.assessment_reference``)."""
        return assessment_reference(
            self.standard_id, self.organisation.ods_code, self.created_at.year, self.id
        )


class Answer(Entity):
    """The current answer to one question ("<criterion>/<question>") of an assessment."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "key"),)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    #: Optimistic lock: a save names the version it started from and is refused if it moved.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Every UPDATE checks and bumps `version`, so of two saves started from the same version the
    # second finds no row to update and is refused (StaleDataError), on SQLite and PostgreSQL.
    __mapper_args__ = {"version_id_col": version}
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Copied from the previous cycle and not yet confirmed by anyone.
    carried_forward: Mapped[bool] = mapped_column(Boolean, default=False)


class AnswerChange(Entity):
    """History: every change to an answer, who made it and what it was before."""

    __tablename__ = "answer_changes"
    __table_args__ = (Index("ix_answer_changes_criterion", "assessment_id", "criterion_id"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(100))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    actor: Mapped[User | None] = relationship(lazy="joined")


class ScoreSummary(Entity):
    """The scoring engine's verdict, stored on every save so dashboards never rescore."""

    __tablename__ = "score_summaries"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    level_reached: Mapped[str | None] = mapped_column(String(32), index=True)
    next_level: Mapped[str | None] = mapped_column(String(32))
    next_level_percent: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float] = mapped_column(Float)
    #: Level id -> weighted readiness percentage, and section id -> percentage (or null).
    level_percents: Mapped[dict[str, float]] = mapped_column(FAST_JSON)
    section_percents: Mapped[dict[str, float | None]] = mapped_column(FAST_JSON)
    blockers: Mapped[int] = mapped_column(Integer)
    completion: Mapped[float] = mapped_column(Float, index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Criterion id -> [status, evidence items cited], for exports that must not rescore.
    criteria: Mapped[dict[str, list[Any]] | None] = mapped_column(JSON)


class ProgressPoint(Entity):
    """A weekly copy of an assessment's stored summary, so a cohort's trajectory (and each
    organisation's own) can be drawn without rescoring. One per assessment and week."""

    __tablename__ = "progress_points"
    __table_args__ = (
        UniqueConstraint("assessment_id", "week"),
        Index("ix_progress_points_cohort_week", "cohort_id", "week"),
    )

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    #: The Monday of the week the point stands for.
    week: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    level_reached: Mapped[str | None] = mapped_column(String(32))
    percent: Mapped[float] = mapped_column(Float)
    completion: Mapped[float] = mapped_column(Float)
    level_percents: Mapped[dict[str, float]] = mapped_column(JSON)
    section_percents: Mapped[dict[str, float | None]] = mapped_column(JSON)


class StatusChange(Entity):
    """Lifecycle history: submissions, returns and acceptances, kept across resubmissions."""

    __tablename__ = "status_changes"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    before: Mapped[str | None] = mapped_column(String(32))
    after: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(lazy="joined")


class Assignment(Entity):
    """A section ("section:<id>") or criterion ("criterion:<id>") given to a colleague."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("assessment_id", "target"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(100))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    assignee: Mapped[User] = relationship(lazy="joined", foreign_keys=[assignee_id])


class Comment(Entity):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_criterion", "assessment_id", "criterion_id"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)

    author: Mapped[User | None] = relationship(lazy="joined")


class EvidenceItem(Entity):
    """An item in an organisation's evidence library: a file (with versions), a link or a
    written statement. One item can support many criteria."""

    __tablename__ = "evidence_items"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # file, link, statement
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    effective_date: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(2000))
    statement: Mapped[str | None] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    uploaded_by: Mapped[User | None] = relationship(lazy="joined")


class EvidenceFile(Entity):
    """One uploaded version of a file item; the bytes live in storage under their SHA-256."""

    __tablename__ = "evidence_files"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    uploaded_by: Mapped[User | None] = relationship(lazy="joined")


class EvidenceLink(Entity):
    """An evidence item attached to an answer key of an assessment ("<criterion>/evidence" or
    an evidence question). Derived from the answers in the same transaction, for lookups."""

    __tablename__ = "evidence_links"
    __table_args__ = (UniqueConstraint("assessment_id", "key", "item_id"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    item_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True
    )


class FormStash(Entity):
    """What someone typed into a form when their session had ended, kept until they sign in
    again and see it back on the page (nothing typed is lost)."""

    __tablename__ = "form_stashes"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ProgressWeek(Entity):
    """A cohort's figures for one week, added up from its progress points when the weekly
    snapshot is taken, so the dashboard's trajectory reads a row a week instead of every point."""

    __tablename__ = "progress_weeks"
    __table_args__ = (UniqueConstraint("cohort_id", "week"),)

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    week: Mapped[date] = mapped_column(Date)
    assessments: Mapped[int] = mapped_column(Integer)
    submitted: Mapped[int] = mapped_column(Integer)
    completion_sum: Mapped[float] = mapped_column(Float)
    percent_sum: Mapped[float] = mapped_column(Float)
    #: Level id reached (or "" for none yet) -> how many assessments, each at its highest level.
    at_level: Mapped[dict[str, int]] = mapped_column(JSON)
