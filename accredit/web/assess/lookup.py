"""Finding the assessment (and criterion) a URL names, through the signed-in user's scope."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from accredit.data.models import Assessment, User
from accredit.data.queries.assessments.assessments import get_assessment
from accredit.domain.scoring.standard import Criterion
from accredit.services.assessments.workspace import Workspace, load
from accredit.web.access import current_scope


def workspace_or_404(assessment_id: int) -> Workspace:
    assessment = get_assessment(current_scope(), assessment_id)
    if assessment is None:
        abort(404)
    return load(assessment)


def criterion_or_404(workspace: Workspace, criterion_id: str) -> Criterion:
    try:
        return workspace.standard.criterion(criterion_id)
    except KeyError:
        abort(404)


def user() -> User:
    return current_user._get_current_object()


def may_edit(assessment: Assessment) -> bool:
    """Organisation staff change answers while the assessment is a draft or returned."""
    return not current_user.role.is_hee and assessment.status.editable
