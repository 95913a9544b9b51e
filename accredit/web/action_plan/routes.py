"""Action plan pages: make an action from a blocker, edit it, remove it, export the plan."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from accredit.data.models import Action
from accredit.data.queries.assessments import actions as queries
from accredit.domain.assessments.actions import ActionStatus
from accredit.forms.assessments.actions import ActionForm, NewActionForm
from accredit.services.assessments import actions
from accredit.services.assessments.actions import ActionRefused
from accredit.services.assessments.workspace import Workspace
from accredit.services.reports import report
from accredit.web.access import org_staff, signed_in
from accredit.web.action_plan.blueprint import bp
from accredit.web.helpers import signed_in_user, workspace_or_404
from accredit.web.keep_typed import keeps_typed, restore

PLAN = "/assessments/<int:assessment_id>/action-plan"
BASE = f"{PLAN}/actions"


def _action_or_404(ws: Workspace, action_id: int) -> Action:
    action = queries.action_of(ws.assessment, action_id)
    if action is None:
        abort(404)
    return action


def _own_organisation(ws: Workspace) -> None:
    """Scope already keeps other organisations out; this keeps HEE staff read-only."""
    if current_user.organisation_id != ws.assessment.organisation_id:
        abort(403)


@bp.route(BASE, methods=["POST"])
@org_staff
def create_action(assessment_id: int) -> Response:
    ws = workspace_or_404(assessment_id)
    _own_organisation(ws)
    try:
        action = actions.create(signed_in_user(), ws, NewActionForm(request.form).criterion())
    except ActionRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("reports.report", assessment_id=assessment_id))
    return redirect(
        url_for("action_plan.edit_action", assessment_id=assessment_id, action_id=action.id)
    )


@bp.route(f"{BASE}/<int:action_id>", methods=["GET", "POST"])
@keeps_typed("action_plan.edit_action")
@org_staff
def edit_action(assessment_id: int, action_id: int) -> str | Response:
    ws = workspace_or_404(assessment_id)
    _own_organisation(ws)
    action = _action_or_404(ws, action_id)
    form = ActionForm(
        data={
            "version": str(action.version),
            "description": action.description,
            "owner_id": str(action.owner_id or ""),
            "due_date": action.due_date,
            "status": action.status,
        }
    )
    form.set_owners(
        [(p.id, p.name) for p in queries.possible_owners(ws.assessment.organisation_id)]
    )
    restore(form)  # what was typed before the form or the session expired, if anything
    if form.validate_on_submit():
        try:
            actions.update(
                signed_in_user(),
                action,
                ws.assessment,
                version=form.edited_version(),
                description=form.description.data or "",
                owner_id=form.chosen_owner(),
                due_date=form.due_date.data,
                status=ActionStatus(form.status.data),
            )
        except ActionRefused as refused:
            if refused.field is not None:
                getattr(form, refused.field).errors.append(str(refused))
            else:
                # Stale: show what is saved now, keeping the newer version for the next try.
                flash(str(refused), "error")
                return redirect(
                    url_for(
                        "action_plan.edit_action", assessment_id=assessment_id, action_id=action_id
                    )
                )
        else:
            flash(f"Action for {action.criterion_id} saved", "success")
            return redirect(
                url_for("reports.report", assessment_id=assessment_id, _anchor="action-plan")
            )
    return render_template(
        "action_plan/edit-action.html",
        form=form,
        action=action,
        criterion=ws.standard.criterion(action.criterion_id),
        assessment=ws.assessment,
    )


@bp.route(f"{BASE}/<int:action_id>/remove", methods=["POST"])
@org_staff
def remove_action(assessment_id: int, action_id: int) -> Response:
    ws = workspace_or_404(assessment_id)
    _own_organisation(ws)
    action = _action_or_404(ws, action_id)
    actions.delete(signed_in_user(), action, ws.assessment)
    flash(f"Action for {action.criterion_id} removed", "success")
    return redirect(url_for("reports.report", assessment_id=assessment_id, _anchor="action-plan"))


@bp.route(f"{PLAN}/export")
@signed_in
def export(assessment_id: int) -> Response:
    ws = workspace_or_404(assessment_id)
    lines = report.build(ws).actions
    body = actions.to_csv(lines)
    # ODS codes are letters and digits only, so the name needs no escaping.
    name = f"action-plan-{ws.assessment.organisation.ods_code}-{assessment_id}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
