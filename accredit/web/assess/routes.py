"""Starting an assessment and its task list home."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from accredit.data.queries.assessments import assessments as queries
from accredit.data.queries.assessments import collaboration as collaboration_queries
from accredit.domain.accounts.organisations import Role
from accredit.domain.scoring.questionnaire import asked_criteria, unanswered_profile
from accredit.forms.assessments.assessment import StartForm
from accredit.services.assessments import assessments, next_cycle
from accredit.services.assessments.assessments import AssessmentError, ProfileIncomplete
from accredit.services.assessments.resubmission import return_note
from accredit.services.assessments.workspace import organisation_profile
from accredit.services.operations.standards import latest_published
from accredit.services.review import review as review_service
from accredit.web.access import allow, current_scope, signed_in
from accredit.web.assess.blueprint import bp
from accredit.web.helpers import (
    may_edit,
    organisation_or_404,
    section_or_404,
    signed_in_user,
    workspace_or_404,
)

START = "/organisations/<int:organisation_id>/assessment/start"


@bp.route(START)
@signed_in
def start(organisation_id: int) -> str | Response:
    organisation = organisation_or_404(organisation_id)
    latest = queries.latest_assessment(organisation.id)
    if latest is not None and latest.status.value != "accepted":
        return redirect(url_for("assess.task_list", assessment_id=latest.id))
    cohort = queries.current_cohort(organisation.id)
    pinned = latest_published(cohort.standard_id, cohort.standard_version) if cohort else None
    standard = pinned[0] if pinned else None
    return render_template(
        "assess/start.html",
        organisation=organisation,
        cohort=cohort,
        standard=standard,
        profile_needed=standard is not None
        and bool(unanswered_profile(standard, organisation_profile(organisation, standard))),
        previous=latest,
        history=queries.assessments_for(current_scope(), organisation.id),
    )


@bp.route(START, methods=["POST"])
@allow(Role.ORG_LEAD)
def begin(organisation_id: int) -> Response:
    organisation = organisation_or_404(organisation_id)
    previous = queries.latest_assessment(organisation.id)
    carry = previous if StartForm(request.form).carry_forward.data else None
    try:
        assessment = assessments.start(signed_in_user(), organisation, carry_from=carry)
    except ProfileIncomplete as error:
        flash(str(error), "info")
        return redirect(url_for("assess.profile", organisation_id=organisation.id))
    except AssessmentError as error:
        flash(str(error), "error")
        return redirect(url_for("assess.start", organisation_id=organisation.id))
    return redirect(url_for("assess.task_list", assessment_id=assessment.id))


@bp.route("/assessments/<int:assessment_id>")
@signed_in
def task_list(assessment_id: int) -> str:
    workspace = workspace_or_404(assessment_id)
    assessment = workspace.assessment
    return render_template(
        "assess/task-list.html",
        ws=workspace,
        assessment=assessment,
        editable=may_edit(assessment),
        assignments={a.target: a for a in collaboration_queries.assignments_of(assessment)},
        changes=next_cycle.changes_for(workspace),
        carried=len(workspace.carried_forward),
        feedback=review_service.feedback(workspace),
        return_note=return_note(workspace),
    )


@bp.route("/assessments/<int:assessment_id>/sections/<section_id>")
@signed_in
def section_start(assessment_id: int, section_id: str) -> Response:
    """A section's first question page that applies (or its answers once it is read-only)."""
    workspace = workspace_or_404(assessment_id)
    section = section_or_404(workspace, section_id)
    asked = asked_criteria(workspace.standard, workspace.result, section)
    if not asked or not may_edit(workspace.assessment):
        return redirect(
            url_for("assess.check_section", assessment_id=assessment_id, section_id=section.id)
        )
    return redirect(
        url_for("assess.question", assessment_id=assessment_id, criterion_id=asked[0].id)
    )
