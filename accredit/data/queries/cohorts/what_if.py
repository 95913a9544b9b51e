"""What the what-if simulation reads: each organisation's current assessment in a cohort (its
newest there, as the dashboard and exports count it) and the evidence still in each library.
The answers are read as the answers export reads them (`exports.answer_texts`). Reads only;
every query takes the signed-in user's scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, func, select

from accredit.data.models import (
    Assessment,
    CohortMembership,
    EvidenceItem,
    Organisation,
    ScoreSummary,
    StandardVersion,
)
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import OrgType
from accredit.extensions import db


class CurrentAssessment(NamedTuple):
    assessment_id: int
    organisation_id: int
    name: str
    ods_code: str
    org_type: OrgType
    profile: dict[str, Any] | None
    standard_id: str
    standard_version: str
    content_hash: str
    #: The stored score summary's level and the text it was scored against (None: no summary).
    summary_level: str | None
    summary_hash: str | None


class VersionRow(NamedTuple):
    """A loaded version of a standard, without its text."""

    standard_id: str
    version: str
    title: str
    status: str
    effective: Any


def current_assessments(scope: Scope, cohort_id: int) -> list[CurrentAssessment]:
    """The cohort's organisations that have an assessment there, each with its newest one and
    its stored summary's level, by name."""
    newest = (
        select(
            Assessment.organisation_id.label("organisation_id"),
            func.max(Assessment.id).label("assessment_id"),
        )
        .where(
            Assessment.cohort_id == cohort_id,
            scope.cohorts_clause(Assessment.cohort_id),
            scope.organisations_clause(Assessment.organisation_id),
        )
        .group_by(Assessment.organisation_id)
        .subquery("newest")
    )
    statement = (
        select(
            Assessment.id,
            Organisation.id,
            Organisation.name,
            Organisation.ods_code,
            Organisation.org_type,
            Organisation.profile,
            Assessment.standard_id,
            Assessment.standard_version,
            Assessment.content_hash,
            ScoreSummary.level_reached,
            ScoreSummary.content_hash,
        )
        .select_from(CohortMembership)
        .join(Organisation, Organisation.id == CohortMembership.organisation_id)
        .join(newest, newest.c.organisation_id == Organisation.id)
        .join(Assessment, Assessment.id == newest.c.assessment_id)
        .outerjoin(ScoreSummary, ScoreSummary.assessment_id == Assessment.id)
        .where(
            CohortMembership.cohort_id == cohort_id,
            scope.cohorts_clause(CohortMembership.cohort_id),
            scope.organisations_clause(CohortMembership.organisation_id),
        )
        .order_by(Organisation.name, Organisation.ods_code)
    )
    return [CurrentAssessment(*row) for row in db.session.execute(statement)]


def live_evidence(scope: Scope, cohort_id: int) -> dict[int, set[str]]:
    """Organisation id -> ids (as answers hold them) of its evidence that is not removed, for
    every organisation in the cohort."""
    statement = (
        select(EvidenceItem.organisation_id, EvidenceItem.id)
        .join(
            CohortMembership,
            and_(
                CohortMembership.organisation_id == EvidenceItem.organisation_id,
                CohortMembership.cohort_id == cohort_id,
            ),
        )
        .where(
            EvidenceItem.removed_at.is_(None),
            scope.cohorts_clause(CohortMembership.cohort_id),
            scope.organisations_clause(EvidenceItem.organisation_id),
        )
    )
    found: dict[int, set[str]] = defaultdict(set)
    for organisation_id, item_id in db.session.execute(statement):
        found[organisation_id].add(str(item_id))
    return found


def versions_of(standard_id: str) -> Sequence[VersionRow]:
    """Every loaded version of a standard (standards are public data: no scope needed)."""
    rows = db.session.execute(
        select(
            StandardVersion.standard_id,
            StandardVersion.version,
            StandardVersion.title,
            StandardVersion.status,
            StandardVersion.effective,
        ).where(StandardVersion.standard_id == standard_id)
    )
    return [VersionRow(*row) for row in rows]
