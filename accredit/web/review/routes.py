"""The reviewer's pages. Each reads the request, calls one review service step and renders or
redirects; the scope decides which assessments a reviewer reaches (their cohorts only)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from accredit.data.queries.review import reviews as queries
from accredit.domain.assessments.lifecycle import TransitionRefused
from accredit.domain.review.review import Agreement
from accredit.forms.review.review import AcceptForm, JudgementForm, ReturnForm
from accredit.services.review import review as reviews
from accredit.web.access import current_scope, hee_only
from accredit.web.helpers import criterion_or_404, settings, signed_in_user, workspace_or_404
from accredit.web.keep_typed import keeps_typed, restore
from accredit.web.review.blueprint import bp


@bp.route("/reviews")
@hee_only
def queue() -> str:
    return render_template(
        "review/queue.html", assessments=queries.awaiting_review(current_scope())
    )


@bp.route("/assessments/<int:assessment_id>/review")
@hee_only
def overview(assessment_id: int) -> str:
    current = reviews.state(workspace_or_404(assessment_id))
    return render_template("review/overview.html", state=current, ws=current.ws)


@bp.route("/assessments/<int:assessment_id>/review/start", methods=["POST"])
@hee_only
def start(assessment_id: int) -> Response:
    ws = workspace_or_404(assessment_id)
    try:
        reviews.start(signed_in_user(), ws)
    except (TransitionRefused, reviews.ReviewError) as refused:
        flash(str(refused), "error")
    return redirect(url_for("review.overview", assessment_id=assessment_id))


@bp.route(
    "/assessments/<int:assessment_id>/review/criteria/<criterion_id>", methods=["GET", "POST"]
)
@keeps_typed("review.judge")
@hee_only
def judge(assessment_id: int, criterion_id: str) -> Any:
    current = reviews.state(workspace_or_404(assessment_id))
    criterion = criterion_or_404(current.ws, criterion_id)
    own = current.ws.result.criterion(criterion.id)
    if not own.applicable:
        abort(404)
    existing = current.judged.get(criterion.id)
    form = JudgementForm(
        data={
            "version": str(existing.version) if existing else "",
            "agreement": existing.agreement.value if existing else None,
            "comment": existing.comment if existing else "",
            "override_reason": (existing.override_reason or "") if existing else "",
        }
        if request.method == "GET"
        else None
    )
    form.judging(criterion.id, own.status)
    restore(form)  # what was typed before the form or the session expired, if anything
    clash = None
    if request.method == "POST" and not current.open:
        return _not_in_review(assessment_id)
    if form.validate_on_submit():
        try:
            reviews.judge(
                signed_in_user(),
                current.ws,
                criterion.id,
                Agreement(form.agreement.data),
                form.comment.data or "",
                form.opened_version(),
                form.chosen_reason(),
            )
        except reviews.StaleJudgement as stale:
            clash = stale.current
            form.version.data = str(clash.version) if clash else ""
            form.form_errors.append(str(stale))
        except reviews.ReviewError as refused:
            form.form_errors.append(str(refused))
        else:
            following = _next_to_judge(current, criterion.id)
            if following is None or form.returns_to_overview():
                return redirect(url_for("review.overview", assessment_id=assessment_id))
            return redirect(
                url_for("review.judge", assessment_id=assessment_id, criterion_id=following)
            )
    return render_template(
        "review/judge.html",
        state=current,
        ws=current.ws,
        criterion=criterion,
        own=own,
        form=form,
        clash=clash,
        following=_next_to_judge(current, criterion.id),
    ), (409 if clash else 400 if form.errors else 200)


def _next_to_judge(current: reviews.ReviewState, after: str) -> str | None:
    ids = [c.id for c in current.result.to_judge()]
    later = ids[ids.index(after) + 1 :] if after in ids else ids
    for cid in later:
        if cid not in current.judged:
            return cid
    return later[0] if later else None


def _not_in_review(assessment_id: int) -> Response:
    """Back to the review page, saying why: judging, returning and accepting happen only
    while a review round is under way."""
    flash("This assessment is not in review. Start the review once it has been submitted.", "error")
    return redirect(url_for("review.overview", assessment_id=assessment_id))


@bp.route("/assessments/<int:assessment_id>/review/return", methods=["GET", "POST"])
@keeps_typed("review.return_assessment")
@hee_only
def return_assessment(assessment_id: int) -> Any:
    current = reviews.state(workspace_or_404(assessment_id))
    if not current.open:
        return _not_in_review(assessment_id)
    form = ReturnForm()
    restore(form)
    error = None
    if form.validate_on_submit():
        try:
            reviews.return_for_changes(
                settings(), signed_in_user(), current.ws, form.note.data or ""
            )
        except (reviews.ReviewError, TransitionRefused) as refused:
            error = str(refused)
        else:
            flash(
                "Returned to the organisation for changes. Their leads have been emailed.",
                "success",
            )
            return redirect(url_for("review.overview", assessment_id=assessment_id))
    return render_template(
        "review/return.html", state=current, ws=current.ws, form=form, error=error
    ), (400 if error or form.errors else 200)


@bp.route("/assessments/<int:assessment_id>/review/accept", methods=["GET", "POST"])
@hee_only
def accept(assessment_id: int) -> Any:
    current = reviews.state(workspace_or_404(assessment_id))
    if not current.open:
        return _not_in_review(assessment_id)
    form = AcceptForm()
    form.set_levels([(lv.id, lv.name) for lv in current.levels_to_award()])
    error = None
    if form.validate_on_submit():
        try:
            reviews.accept(settings(), signed_in_user(), current.ws, form.level.data or "")
        except (reviews.ReviewError, TransitionRefused) as refused:
            error = str(refused)
        else:
            flash(
                "Accepted. The award is recorded and the organisation's leads have been emailed.",
                "success",
            )
            return redirect(url_for("review.overview", assessment_id=assessment_id))
    return render_template(
        "review/accept.html", state=current, ws=current.ws, form=form, error=error
    ), (400 if error or form.errors else 200)
