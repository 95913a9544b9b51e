"""Working together: assigning sections and criteria, comments, a criterion's history, and
each person's assigned items."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from accredit.data.queries.accounts import organisations as org_queries
from accredit.data.queries.assessments import answers as answer_queries
from accredit.data.queries.assessments import collaboration as collaboration_queries
from accredit.domain.accounts.organisations import ORG_ROLES, Role
from accredit.forms.assessments.collaboration import AssignForm, CommentForm
from accredit.services.assessments import collaboration
from accredit.services.assessments.collaboration import CollaborationError
from accredit.web.access import allow, current_scope, signed_in
from accredit.web.assess.blueprint import bp
from accredit.web.assess.questions import comment_refused
from accredit.web.helpers import criterion_or_404, section_or_404, signed_in_user, workspace_or_404
from accredit.web.keep_typed import keeps_typed


@bp.route("/assessments/<int:assessment_id>/sections/<section_id>/assign", methods=["GET", "POST"])
@allow(Role.ORG_LEAD)
def assign_section(assessment_id: int, section_id: str) -> Any:
    workspace = workspace_or_404(assessment_id)
    section = section_or_404(workspace, section_id)
    back = url_for("assess.task_list", assessment_id=assessment_id)
    return _assign(workspace, f"section:{section.id}", section.title, back)


@bp.route(
    "/assessments/<int:assessment_id>/criteria/<criterion_id>/assign", methods=["GET", "POST"]
)
@allow(Role.ORG_LEAD)
def assign_criterion(assessment_id: int, criterion_id: str) -> Any:
    workspace = workspace_or_404(assessment_id)
    criterion = criterion_or_404(workspace, criterion_id)
    back = url_for("assess.question", assessment_id=assessment_id, criterion_id=criterion.id)
    return _assign(
        workspace, f"criterion:{criterion.id}", f"{criterion.id} {criterion.title}", back
    )


def _assign(workspace: Any, target: str, title: str, back: str) -> Any:
    members = org_queries.organisation_members(
        current_scope(), workspace.assessment.organisation_id
    )
    current = collaboration_queries.assignment(workspace.assessment, target)
    error = None
    if request.method == "POST":
        try:
            collaboration.assign(
                signed_in_user(),
                workspace.assessment,
                target,
                AssignForm(request.form).chosen(),
                members,
            )
        except CollaborationError as problem:
            error = str(problem)
        else:
            flash(f"{title}: assignment saved.", "success")
            return redirect(back)
    return render_template(
        "assess/assign.html",
        assessment=workspace.assessment,
        title=title,
        members=members,
        current=current,
        error=error,
        back=back,
    ), (400 if error else 200)


@bp.route("/assessments/<int:assessment_id>/criteria/<criterion_id>/comments", methods=["POST"])
@keeps_typed("assess.question")
@signed_in
def comment(assessment_id: int, criterion_id: str) -> Any:
    workspace = workspace_or_404(assessment_id)
    criterion = criterion_or_404(workspace, criterion_id)
    body = CommentForm(request.form).text()
    try:
        collaboration.add_comment(signed_in_user(), workspace.assessment, criterion.id, body)
    except CollaborationError as problem:
        return comment_refused(workspace, criterion.id, body, str(problem))
    flash("Your comment has been added.", "success")
    return redirect(
        url_for("assess.question", assessment_id=assessment_id, criterion_id=criterion.id)
        + "#comments"
    )


@bp.route("/assessments/<int:assessment_id>/criteria/<criterion_id>/history")
@signed_in
def history(assessment_id: int, criterion_id: str) -> str:
    workspace = workspace_or_404(assessment_id)
    criterion = criterion_or_404(workspace, criterion_id)
    return render_template(
        "assess/history.html",
        ws=workspace,
        assessment=workspace.assessment,
        criterion=criterion,
        changes=answer_queries.criterion_history(workspace.assessment, criterion.id),
    )


@bp.route("/my-assigned-items")
@allow(*ORG_ROLES)
def my_items() -> str:
    items = collaboration.assigned_items(current_scope(), signed_in_user())
    return render_template("assess/my-items.html", items=items)
