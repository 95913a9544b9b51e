"""One question page per criterion, built from the standard: show, validate, save, merge.

Nothing typed is lost: invalid answers, a conflict with a colleague's save, an expired form or
an ended session all show the page again with what was entered.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from accredit.data.queries.assessments import collaboration as collaboration_queries
from accredit.data.queries.assessments import evidence_links as link_queries
from accredit.domain.accounts.organisations import ORG_ROLES
from accredit.domain.scoring import runner
from accredit.domain.scoring.questionnaire import asked
from accredit.domain.scoring.scoring import visible_keys
from accredit.forms.assessments.questions import CriterionPage, build_page, fill, read
from accredit.services.assessments.assessments import AssessmentError, save_criterion
from accredit.services.assessments.workspace import Workspace
from accredit.services.review import review as review_service
from accredit.web.access import allow, signed_in
from accredit.web.assess import answer_base
from accredit.web.assess.blueprint import bp
from accredit.web.helpers import (
    criterion_or_404,
    may_edit,
    signed_in_user,
    workspace_or_404,
)
from accredit.web.keep_typed import keeps_typed, kept_fields

NOT_ASKED = (
    "The form sent something this page does not ask for, so nothing was saved. "
    "Check your answers and save again."
)


def _page(
    workspace: Workspace, criterion_id: str, answers: dict[str, object], *, to_show: bool = True
) -> CriterionPage:
    """The page's questions and form. Reading a post needs no evidence choices (the service
    checks evidence ids); showing the page does."""
    criterion = criterion_or_404(workspace, criterion_id)
    shown = set(visible_keys(workspace.standard, workspace.profile, answers))
    if not to_show:
        return build_page(criterion, shown)
    choices = g.get("evidence_choices")
    if choices is None:  # once per request, however many times the page is built
        choices = g.evidence_choices = [
            (str(item_id), title)
            for item_id, title in link_queries.library_choices(workspace.assessment.organisation_id)
        ]
    return build_page(criterion, shown, choices)


def _asked_or_404(assessment_id: int, criterion_id: str) -> tuple[Workspace, Any]:
    workspace = workspace_or_404(assessment_id)
    criterion = criterion_or_404(workspace, criterion_id)
    if not asked(criterion, workspace.profile):
        page = render_template("assess/not-applicable.html", ws=workspace, criterion=criterion)
        abort(Response(page, 404, mimetype="text/html"))
    return workspace, criterion


@bp.route("/assessments/<int:assessment_id>/criteria/<criterion_id>", methods=["POST"])
@keeps_typed("assess.question")
@allow(*ORG_ROLES)
def save(assessment_id: int, criterion_id: str) -> Any:
    workspace, criterion = _asked_or_404(assessment_id, criterion_id)
    if not may_edit(workspace.assessment):
        return render_question(
            workspace,
            _page(workspace, criterion.id, workspace.answers),
            None,
            {},
            "",
            status=409,
            notice=f"This assessment is {workspace.assessment.status.label.lower()}, so answers "
            "cannot be changed now.",
        )
    return _save(workspace, criterion.id)


@bp.route("/assessments/<int:assessment_id>/criteria/<criterion_id>")
@signed_in
def question(assessment_id: int, criterion_id: str) -> Any:
    workspace, criterion = _asked_or_404(assessment_id, criterion_id)
    page = _page(workspace, criterion.id, workspace.answers)
    data = fill(page, workspace.answers)
    base = answer_base.token(workspace, page)
    kept = kept_fields()  # what was typed here before the form or session expired
    if kept is None or "base" not in kept:  # nothing kept, or only a comment
        form = page.form_class(data=data)
        comment = kept.get("body", "") if kept is not None else ""
        return render_question(workspace, page, form, {}, base, comment=comment)
    # The base the page was first opened with, so a colleague's save meanwhile is noticed.
    return render_question(workspace, page, page.form_class(kept), {}, kept.get("base") or base)


def render_question(
    workspace: Workspace,
    page: CriterionPage,
    form: Any,
    errors: dict[str, str],
    base: str,
    conflicts: tuple = (),
    status: int = 200,
    notice: str | None = None,
    comment: str = "",
    comment_error: str | None = None,
) -> tuple[str, int]:
    criterion = page.criterion
    names = {pq.question.key: pq.name for pq in page.questions}
    if page.evidence_key:
        names[page.evidence_key] = "evidence"
    texts = {pq.question.key: pq.question.text for pq in page.questions}
    # Several questions share a page, so the summary says which one each message is about.
    summary = [
        {
            "text": f"{message}: {texts[key]}" if key in texts else message,
            "href": "#" + _anchor(names.get(key, ""), page),
        }
        for key, message in errors.items()
    ]
    if comment_error:
        summary.append({"text": comment_error, "href": "#comment-body"})
    return (
        render_template(
            "assess/question.html",
            ws=workspace,
            assessment=workspace.assessment,
            criterion=criterion,
            section=workspace.standard.section(criterion.section_id),
            page=page,
            form=form,
            errors=errors,
            summary=summary,
            base=base,
            conflicts=conflicts,
            outcome=workspace.result.criterion(criterion.id),
            editable=may_edit(workspace.assessment),
            carried=[k for k in page.answer_keys() if k in workspace.carried_forward],
            comments=collaboration_queries.comments_on(workspace.assessment, criterion.id),
            feedback=review_service.feedback(workspace).get(criterion.id),
            assigned=collaboration_queries.first_assignment(
                workspace.assessment,
                [f"criterion:{criterion.id}", f"section:{criterion.section_id}"],
            ),
            notice=notice,
            comment=comment,
            comment_error=comment_error,
        ),
        status,
    )


def comment_refused(workspace: Workspace, criterion_id: str, body: str, problem: str) -> Any:
    """The question page again with the comment as typed and why it was not added."""
    page = _page(workspace, criterion_id, workspace.answers)
    form = page.form_class(data=fill(page, workspace.answers))
    base = answer_base.token(workspace, page)
    return render_question(
        workspace, page, form, {}, base, status=400, comment=body, comment_error=problem
    )


def _anchor(name: str, page: CriterionPage) -> str:
    for pq in page.questions:
        if pq.name == name:
            if pq.component == "date":
                return f"{name}-day"
            return name  # the first radio or checkbox has the group's id
    return name or "main-content"


def _save(workspace: Workspace, criterion_id: str) -> Any:
    page = _page(workspace, criterion_id, workspace.answers, to_show=False)
    form = page.form_class(request.form)
    signed = form.base.data or ""
    base = answer_base.read(signed)
    if base is None or not form.asks_only_for(request.form):
        return _reshow(workspace, criterion_id, NOT_ASKED)
    posted = read(page, form)
    outcome = runner.post(
        workspace.standard, workspace.profile, page.layout, posted, workspace.answers
    )
    if outcome.refused is not None:
        return _reshow(workspace, criterion_id, _refusal(outcome.refused))
    if outcome.errors:
        again = _page(workspace, criterion_id, outcome.merged)
        form = again.form_class(request.form)
        return render_question(workspace, again, form, outcome.errors, signed, status=400)
    try:
        saved = save_criterion(signed_in_user(), workspace, criterion_id, outcome.answers, base)
    except AssessmentError as error:
        return _reshow(workspace, criterion_id, str(error))
    latest = saved.workspace
    assert latest is not None
    if not saved.saved:
        again = _page(latest, criterion_id, outcome.merged)
        form = again.form_class(request.form)
        token = answer_base.token(latest, again)
        return render_question(
            latest, again, form, {}, token, conflicts=saved.conflicts, status=409
        )
    return _go(latest, runner.next_page(latest.standard, latest.result, criterion_id, outcome))


def _refusal(question_text: str) -> str:
    return (
        f"You answered a question that does not apply given your other answers "
        f"(“{question_text}”), so nothing was saved. Check your answers and save again."
    )


#: What a save says on the page it goes to (continuing to the next question says nothing).
SAVED = {
    runner.Step.ASK_AGAIN: "Your answers have been saved. More questions now apply.",
    runner.Step.EVIDENCE: "Your answers have been saved. Add the evidence, then link it on "
    "the question.",
    runner.Step.TASK_LIST: "Your answers have been saved. You can come back to them at any time.",
}


def _go(workspace: Workspace, following: runner.Next) -> Response:
    """Follow the runner's next step."""
    assessment = workspace.assessment
    if following.step in SAVED:
        flash(SAVED[following.step], "success")
    step, target = following.step, following.target
    if step is runner.Step.TASK_LIST:
        return redirect(url_for("assess.task_list", assessment_id=assessment.id))
    if step is runner.Step.CHECK_SECTION:
        return redirect(
            url_for("assess.check_section", assessment_id=assessment.id, section_id=target)
        )
    page = url_for("assess.question", assessment_id=assessment.id, criterion_id=target)
    if step is runner.Step.EVIDENCE:
        organisation_id = assessment.organisation_id
        return redirect(url_for("evidence.new", organisation_id=organisation_id, back=page))
    return redirect(page)  # the next criterion, or this one again


def _reshow(workspace: Workspace, criterion_id: str, notice: str) -> Any:
    """The page again, with what was posted and why nothing was saved (with the base of the
    answers as they stand, so saving again saves over them)."""
    page = _page(workspace, criterion_id, workspace.answers)
    form = page.form_class(request.form)
    base = answer_base.token(workspace, page)
    return render_question(workspace, page, form, {}, base, status=400, notice=notice)
