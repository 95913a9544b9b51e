"""Tables for what happens after submission: HEE review, awards, random audits, and each
organisation's annual activity return. Re-exported by ``accredit.data.models``."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from accredit.data.base import FAST_JSON, Entity, UTCDateTime, enum_column
from accredit.domain.cohorts.activity_totals import SUMMED
from accredit.domain.review.awards import AuditOutcome, AwardStatus
from accredit.domain.review.awards import last_valid_day as _last_valid_day
from accredit.domain.review.review import Agreement, Outcome

if TYPE_CHECKING:
    from accredit.data.models.core import Organisation, User


class Review(Entity):
    """One round of HEE review of a submitted assessment. A returned assessment that is
    resubmitted gets a new round, so every earlier judgement is kept."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("assessment_id", "round"),)

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    #: 1 for the first submission, 2 after the first resubmission, and so on.
    round: Mapped[int] = mapped_column(Integer)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The level the organisation's own answers reach, as submitted.
    self_level: Mapped[str | None] = mapped_column(String(32))
    #: The level under the reviewer's judgements, when the review was decided.
    reviewed_level: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "review_outcome"))
    level_awarded: Mapped[str | None] = mapped_column(String(32))
    #: A note to the organisation on the whole review (reasons per criterion are separate).
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reviewer: Mapped[User | None] = relationship("User", lazy="joined", foreign_keys=[reviewer_id])


class CriterionReview(Entity):
    """A reviewer's agreement with one criterion's self-assessed status, and the comment the
    organisation sees beside its answers. Cohort and section are copied in so the moderation
    figures are one GROUP BY."""

    __tablename__ = "criterion_reviews"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id"),
        # Covers the moderation figures' GROUP BY: a cohort's judgements read in group order
        # from the index alone, the decided rounds checked by their review id.
        Index(
            "ix_criterion_reviews_cohort",
            "cohort_id",
            "section_id",
            "criterion_id",
            "agreement",
            "review_id",
        ),
        Index("ix_criterion_reviews_assessment", "assessment_id", "criterion_id"),
    )

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(64))
    section_id: Mapped[str] = mapped_column(String(64))
    #: The organisation's own status for the criterion when it was judged.
    self_status: Mapped[str] = mapped_column(String(32))
    agreement: Mapped[Agreement] = mapped_column(enum_column(Agreement, "agreement"))
    comment: Mapped[str] = mapped_column(Text, default="")
    #: Why the reviewer counts the criterion as met when the standard's rules do not (an
    #: override); None for every other judgement.
    override_reason: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Optimistic lock: two reviewers judging the same criterion at once never overwrite.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    reviewer: Mapped[User | None] = relationship("User", lazy="joined", foreign_keys=[reviewer_id])


class Award(Entity):
    """An accreditation: a level, for a period, on a standard version, tied to the fingerprint
    of the snapshot it was awarded on (printed on the certificate, checked by the verify page)."""

    __tablename__ = "awards"
    __table_args__ = (Index("ix_awards_status_expiry", "status", "expires_on"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), index=True
    )
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"))
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), index=True
    )
    level: Mapped[str] = mapped_column(String(32))
    level_name: Mapped[str] = mapped_column(String(64))
    awarded_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    standard_id: Mapped[str] = mapped_column(String(64))
    standard_version: Mapped[str] = mapped_column(String(32))
    standard_title: Mapped[str] = mapped_column(String(200))
    #: The snapshot fingerprint of the assessment as accepted.
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[AwardStatus] = mapped_column(enum_column(AwardStatus, "award_status"))
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship("Organisation", lazy="joined")

    @property
    def last_valid_day(self) -> date:
        """What every page, email and the certificate print as "Valid until" (``expires_on``
        is the first day the award no longer stands: see ``domain.awards``)."""
        return _last_valid_day(self.expires_on)


class AuditDraw(Entity):
    """A random draw of accredited organisations for audit, kept whole so it can be
    reproduced and explained: the seed, the parameters, the population drawn from, the result."""

    __tablename__ = "audit_draws"

    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: None draws from every organisation holding a current award.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    seed: Mapped[str] = mapped_column(String(64))
    share_percent: Mapped[float] = mapped_column(Float)
    #: "" (no strata), "region" or "org_type".
    stratify_by: Mapped[str] = mapped_column(String(16), default="")
    #: [[award id, stratum], ...] in the order the draw read them.
    population: Mapped[list[Any]] = mapped_column(JSON)
    #: Award ids drawn, in draw order.
    selected: Mapped[list[int]] = mapped_column(JSON)


class AwardAudit(Entity):
    """An organisation drawn for audit, and what the audit found."""

    __tablename__ = "award_audits"
    __table_args__ = (UniqueConstraint("draw_id", "award_id"),)

    draw_id: Mapped[int] = mapped_column(ForeignKey("audit_draws.id", ondelete="CASCADE"))
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[AuditOutcome | None] = mapped_column(enum_column(AuditOutcome, "audit_outcome"))
    new_level: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ActivityReturn(Entity):
    """An organisation's annual activity return for a financial year (April to March):
    collected, not scored. One per organisation and year; a draft until submitted."""

    __tablename__ = "activity_returns"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    #: The calendar year the financial year starts in: 2025 is April 2025 to March 2026.
    year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16))  # draft, submitted
    #: Field name -> whole number (or None when left blank); the fields are in
    #: ``accredit.domain.assessments.activity_return``.
    figures: Mapped[dict[str, Any]] = mapped_column(FAST_JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Optimistic lock: of two colleagues saving from the same version the second is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    # The figures the dashboard adds up across a cohort (``domain.activity_totals.SUMMED``),
    # copied out of ``figures`` whenever it is set: summing columns is several times quicker
    # than reading each out of the JSON (SQLite parses it again for every key).
    work_experience_placements: Mapped[int | None] = mapped_column(Integer)
    work_related_learning_participants: Mapped[int | None] = mapped_column(Integer)
    employability_participants: Mapped[int | None] = mapped_column(Integer)
    placement_days: Mapped[int | None] = mapped_column(Integer)
    employability_cost: Mapped[int | None] = mapped_column(Integer)

    @validates("figures")
    def _copy_summed(self, _key: str, figures: dict[str, Any]) -> dict[str, Any]:
        for name in SUMMED:
            value = (figures or {}).get(name)
            setattr(self, name, value if isinstance(value, int) else None)
        return figures
