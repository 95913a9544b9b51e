"""The tables. Enumerations come from the domain so the same names are used everywhere."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accredit.data.base import Entity, UTCDateTime
from accredit.domain.organisations import OrgType, Role


def _enum(enum_cls: type, name: str) -> Enum:
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


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
    offers_under_16: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_clinical_placements: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_t_level: Mapped[bool] = mapped_column(Boolean, default=False)

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

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


class AuditEvent(Entity):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_target", "action", "target", "created_at"),)

    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
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
