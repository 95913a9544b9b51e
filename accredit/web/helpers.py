"""What most views start with: the settings, the signed-in user, and the record a URL names.

Each ``*_or_404`` looks its record up through the signed-in user's scope, so a view cannot
forget it: another organisation's id, a cohort the user is not assigned to, or a record that
does not exist all answer the same 404, and a user learns nothing about what they may not see.
"""

from __future__ import annotations

from flask import abort, current_app
from flask_login import current_user

from accredit.config import Settings
from accredit.data.models import Assessment, Cohort, EvidenceItem, Organisation, User
from accredit.data.queries.accounts.organisations import get_organisation
from accredit.data.queries.assessments.assessments import get_assessment
from accredit.data.queries.cohorts.cohorts import get_cohort
from accredit.data.queries.evidence.evidence import get_item
from accredit.domain.scoring.standard import Criterion, Section
from accredit.services.assessments.workspace import Workspace, load
from accredit.web.access import current_scope


def settings() -> Settings:
    return current_app.extensions["accredit.settings"]


def signed_in_user() -> User:
    """The signed-in user as the model itself, not Flask-Login's proxy: services store it,
    compare it and pass it on, which a proxy does not survive."""
    return current_user._get_current_object()


def organisation_or_404(organisation_id: int) -> Organisation:
    organisation = get_organisation(current_scope(), organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def cohort_or_404(cohort_id: int) -> Cohort:
    cohort = get_cohort(current_scope(), cohort_id)
    if cohort is None:
        abort(404)
    return cohort


def assessment_or_404(assessment_id: int) -> Assessment:
    """The assessment alone, in the user's scope, for a page that needs nothing more (a job's
    status, polled every second while a pack is made)."""
    assessment = get_assessment(current_scope(), assessment_id)
    if assessment is None:
        abort(404)
    return assessment


def workspace_or_404(assessment_id: int) -> Workspace:
    """The assessment with its standard, answers and result, as every assessment page needs."""
    return load(assessment_or_404(assessment_id))


def section_or_404(workspace: Workspace, section_id: str) -> Section:
    try:
        return workspace.standard.section(section_id)
    except KeyError:
        abort(404)


def criterion_or_404(workspace: Workspace, criterion_id: str) -> Criterion:
    try:
        return workspace.standard.criterion(criterion_id)
    except KeyError:
        abort(404)


def evidence_item_or_404(organisation_id: int, item_id: int) -> tuple[Organisation, EvidenceItem]:
    """The organisation and its evidence item: another organisation's item id under this
    organisation's URL is as unknown as under theirs."""
    organisation = organisation_or_404(organisation_id)
    item = get_item(current_scope(), organisation.id, item_id)
    if item is None:
        abort(404)
    return organisation, item


def may_edit(assessment: Assessment) -> bool:
    """Organisation staff change answers while the assessment is a draft or returned."""
    return not current_user.role.is_hee and assessment.status.editable
