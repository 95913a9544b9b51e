"""The peer benchmark's read: every organisation's current section scores on one standard
version, for the service to tally into peer groups (``services/reports/benchmark.py``).

An organisation's current assessment is its newest; only those on the standard id and version
asked for, with a stored score summary, count. Each section's score is read out of the JSON
summary in SQL (as on the dashboard). This reads across organisations on purpose: what leaves
the service is medians of groups large enough to show, never a single organisation's figure.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from accredit.data.models import Assessment, Organisation, ScoreSummary
from accredit.domain.accounts.organisations import OrgType
from accredit.extensions import db

PeerRow = tuple[int, OrgType, int, tuple[float | None, ...]]


def current_section_scores(
    standard_id: str, standard_version: str, section_ids: Sequence[str]
) -> list[PeerRow]:
    """(organisation id, type, region id, each section's percent or None) per organisation."""
    newest = (
        select(
            Assessment.organisation_id.label("organisation_id"),
            func.max(Assessment.id).label("id"),
        )
        .group_by(Assessment.organisation_id)
        .subquery("newest")
    )
    query = (
        select(
            Organisation.id,
            Organisation.org_type,
            Organisation.region_id,
            *(ScoreSummary.section_percents[s].as_float() for s in section_ids),
        )
        .select_from(Organisation)
        .join(newest, newest.c.organisation_id == Organisation.id)
        .join(Assessment, Assessment.id == newest.c.id)
        .join(ScoreSummary, ScoreSummary.assessment_id == Assessment.id)
        .where(
            Assessment.standard_id == standard_id,
            Assessment.standard_version == standard_version,
        )
    )
    return [
        (org_id, org_type, region_id, tuple(scores))
        for org_id, org_type, region_id, *scores in db.session.execute(query)
    ]
