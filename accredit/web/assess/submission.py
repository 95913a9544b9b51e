"""Check your answers (a section, or the whole assessment), the declaration, and submission."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from accredit.data.queries.assessments import assessments as queries
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import TransitionRefused
from accredit.forms.assessments.assessment import SubmitForm
from accredit.services.assessments import submission as submission_service
from accredit.services.assessments.assessments import AssessmentError, SubmissionBlocked
from accredit.services.assessments.resubmission import returned_but_unchanged
from accredit.web.access import allow, signed_in
from accredit.web.assess.blueprint import bp
from accredit.web.helpers import (
    may_edit,
    section_or_404,
    settings,
    signed_in_user,
    workspace_or_404,
)


@bp.route("/assessments/<int:assessment_id>/sections/<section_id>/check-answers")
@signed_in
def check_section(assessment_id: int, section_id: str) -> str:
    workspace = workspace_or_404(assessment_id)
    section = section_or_404(workspace, section_id)
    return render_template(
        "assess/check-answers.html",
        ws=workspace,
        assessment=workspace.assessment,
        sections=[section],
        whole=False,
        editable=may_edit(workspace.assessment),
    )


@bp.route("/assessments/<int:assessment_id>/check-answers")
@signed_in
def check_answers(assessment_id: int) -> str:
    workspace = workspace_or_404(assessment_id)
    return render_template(
        "assess/check-answers.html",
        ws=workspace,
        assessment=workspace.assessment,
        sections=list(workspace.standard.sections),
        whole=True,
        editable=may_edit(workspace.assessment),
    )


@bp.route("/assessments/<int:assessment_id>/submit", methods=["GET", "POST"])
@allow(Role.ORG_LEAD)
def submit(assessment_id: int) -> Any:
    workspace = workspace_or_404(assessment_id)
    unchanged = returned_but_unchanged(workspace)
    form = SubmitForm(request.form)
    error = unchanged_error = None
    if request.method == "POST" and unchanged and not form.unchanged.data:
        unchanged_error = (
            "Confirm that you want to submit the criteria HEE returned without changing them"
        )
    elif request.method == "POST":
        try:
            submission_service.submit(
                settings(), signed_in_user(), workspace, form.declaration.data
            )
        except SubmissionBlocked as blocked:
            error = (
                "Answer your organisation profile before you submit"
                if blocked.profile and not blocked.gaps
                else "Answer every required question before you submit"
            )
        except (AssessmentError, TransitionRefused) as refused:
            error = str(refused)
        else:
            return redirect(url_for("assess.submitted", assessment_id=assessment_id))
    return render_template(
        "assess/submit.html",
        ws=workspace,
        assessment=workspace.assessment,
        gaps=workspace.gaps,
        error=error,
        unchanged=unchanged,
        unchanged_error=unchanged_error,
        declared=form.declaration.data,
    ), (400 if error or unchanged_error else 200)


@bp.route("/assessments/<int:assessment_id>/submitted")
@signed_in
def submitted(assessment_id: int) -> Any:
    workspace = workspace_or_404(assessment_id)
    if workspace.assessment.submitted_at is None:
        flash("This assessment has not been submitted yet.", "info")
        return redirect(url_for("assess.task_list", assessment_id=assessment_id))
    return render_template(
        "assess/submitted.html",
        ws=workspace,
        assessment=workspace.assessment,
        history=queries.status_changes_of(workspace.assessment),
    )
