"""One question page per criterion, built from the standard: show, validate, save, merge.

Nothing typed is lost: invalid answers, a conflict with a colleague's save, an expired form or
an ended session all show the page again with what was entered.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from accredit.data.queries.assessments import assessments as queries
from accredit.domain.accounts.organisations import ORG_ROLES
from accredit.domain.scoring.merge import Stored
from accredit.domain.scoring.questionnaire import asked, next_criterion
from accredit.domain.scoring.scoring import visible_keys
from accredit.forms.questions import CriterionPage, build_page, fill, read, required_problems
from accredit.services.assessments.assessments import AssessmentError, save_criterion
from accredit.services.assessments.workspace import Workspace
from accredit.services.review import review as review_service
from accredit.web.access import allow, signed_in
from accredit.web.assess import bp
from accredit.web.helpers import (
    criterion_or_404,
    may_edit,
    settings,
    signed_in_user,
    workspace_or_404,
)
from accredit.web.keep_typed import keeps_typed, kept_fields

#: Form fields that are not answers.
CONTROL_FIELDS = {"csrf_token", "base", "action", "scripted"}


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(settings().secret_key, salt="answers-base")


def _base_token(workspace: Workspace, page: CriterionPage) -> str:
    versions = workspace.versions
    return str(
        _signer().dumps(
            {
                k: [versions[k].version, versions[k].value]
                for k in page.answer_keys()
                if k in versions
            }
        )
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
            for item_id, title in queries.library_choices(workspace.assessment.organisation_id)
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
    base = _base_token(workspace, page)
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
            comments=queries.comments_on(workspace.assessment, criterion.id),
            feedback=review_service.feedback(workspace).get(criterion.id),
            assigned=queries.first_assignment(
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
    base = _base_token(workspace, page)
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
    token = request.form.get("base", "")
    expected = {*CONTROL_FIELDS, *form._fields}
    unknown = [name for name in request.form if name not in expected]
    try:
        raw_base = _signer().loads(token)
    except BadSignature:
        raw_base = None
    if raw_base is None or unknown:
        message = (
            "The form sent something this page does not ask for, so nothing was saved. "
            "Check your answers and save again."
        )
        return _reshow(workspace, criterion_id, _base_token(workspace, page), message)
    base = {k: Stored(int(v[0]), v[1]) for k, v in raw_base.items()}
    reading = read(page, form)
    merged = {k: v for k, v in workspace.answers.items()}
    for key, value in reading.values.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    shown = set(visible_keys(workspace.standard, workspace.profile, merged))
    # A hidden question's inputs are disabled, so no browser sends them: an answer to one that
    # this save does not reveal either was made up, and is refused.
    sneaked = [
        pq.question.text
        for pq in page.questions
        if not pq.shown
        and pq.question.key not in shown
        and (reading.values.get(pq.question.key) is not None or pq.question.key in reading.problems)
    ]
    if sneaked:
        notice = (
            f"You answered a question that does not apply given your other answers "
            f"(“{sneaked[0]}”), so nothing was saved. Check your answers and save again."
        )
        return _reshow(workspace, criterion_id, _base_token(workspace, page), notice)
    keep = {k for k in page.answer_keys() if k in shown or k == page.evidence_key}
    posted = {k: v for k, v in reading.values.items() if k in keep}
    errors = {k: m for k, m in reading.problems.items() if k in shown}
    action = request.form.get("action")
    # "later" and "evidence" both keep what is there without asking for the rest: "evidence"
    # then opens the library and comes back here, so nothing typed is lost on the way.
    finishing = action not in ("later", "evidence")
    # Questions this save reveals were hidden when the page was drawn: without our script (it
    # adds "scripted") nobody saw them, so they are never an error; the page comes back to ask.
    revealed: set[str] = set()
    if request.form.get("scripted") != "yes":
        revealed = {
            pq.question.key for pq in page.questions if not pq.shown and pq.question.key in shown
        }
    if finishing:
        for key, message in required_problems(page, posted, shown - revealed).items():
            errors.setdefault(key, message)
    if errors:
        again = _page(workspace, criterion_id, merged)
        return render_question(
            workspace, again, again.form_class(request.form), errors, token, status=400
        )
    try:
        outcome = save_criterion(signed_in_user(), workspace, criterion_id, posted, base)
    except AssessmentError as error:
        return _reshow(workspace, criterion_id, _base_token(workspace, page), str(error))
    if not outcome.saved:
        assert outcome.workspace is not None
        latest = outcome.workspace
        again = _page(latest, criterion_id, merged)
        return render_question(
            latest,
            again,
            again.form_class(request.form),
            {},
            _base_token(latest, again),
            conflicts=outcome.conflicts,
            status=409,
        )
    assert outcome.workspace is not None
    saved = outcome.workspace
    if finishing and any(posted.get(key) is None for key in revealed):
        flash("Your answers have been saved. More questions now apply.", "success")
        return redirect(
            url_for("assess.question", assessment_id=saved.assessment.id, criterion_id=criterion_id)
        )
    if action == "evidence":
        flash(
            "Your answers have been saved. Add the evidence, then link it on the question.",
            "success",
        )
        back = url_for(
            "assess.question", assessment_id=saved.assessment.id, criterion_id=criterion_id
        )
        return redirect(
            url_for("evidence.new", organisation_id=saved.assessment.organisation_id, back=back)
        )
    if not finishing:
        flash("Your answers have been saved. You can come back to them at any time.", "success")
        return redirect(url_for("assess.task_list", assessment_id=saved.assessment.id))
    following = next_criterion(saved.standard, saved.result, criterion_id)
    if following is not None:
        return redirect(
            url_for("assess.question", assessment_id=saved.assessment.id, criterion_id=following.id)
        )
    section_id = saved.standard.criterion(criterion_id).section_id
    return redirect(
        url_for("assess.check_section", assessment_id=saved.assessment.id, section_id=section_id)
    )


def _reshow(workspace: Workspace, criterion_id: str, base: str, notice: str) -> Any:
    """The page again, with what was posted and why nothing was saved."""
    page = _page(workspace, criterion_id, workspace.answers)
    form = page.form_class(request.form)
    return render_question(workspace, page, form, {}, base, status=400, notice=notice)
