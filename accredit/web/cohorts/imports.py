"""Who is in a cohort (HEE admins): organisations from a CSV file (checked, previewed, then
confirmed) or one at a time, and the HEE reviewers assigned to it."""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from accredit.data.models import Cohort, CohortImport, Job
from accredit.data.queries.accounts.organisations import regions
from accredit.data.queries.cohorts import cohort_members as members
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.cohorts.cohort_csv import COLUMN_NAMES, MAX_BYTES, MAX_ROWS, CsvRefused
from accredit.domain.numbers import whole_number
from accredit.extensions import csrf
from accredit.forms.cohorts.cohort_import import (
    AddOrganisationForm,
    ConfirmImportForm,
    ImportForm,
    RemoveReviewerForm,
    ReviewerForm,
)
from accredit.forms.evidence.evidence import chosen_file
from accredit.services.cohorts import cohort_import, cohort_reviewers, import_invitations
from accredit.services.cohorts.cohort_import import (
    AlreadyImported,
    ImportRefused,
    OrganisationRefused,
)
from accredit.web.access import current_scope, hee_admin_only
from accredit.web.cohorts.blueprint import bp
from accredit.web.helpers import cohort_or_404, settings, signed_in_user
from accredit.web.job_status import job_status
from accredit.web.keep_typed import keeps_typed, restore
from accredit.web.large_body import read_large_body

log = logging.getLogger("accredit.cohorts")
#: Room for the CSRF token and multipart framing on top of a file at the limit.
FORM_ALLOWANCE = 64 * 1024
TOO_LARGE = f"The selected file must be {MAX_BYTES // (1024 * 1024)}MB or smaller"


def _done(cohort: Cohort) -> Response:
    return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))


def _read_upload_body() -> bool:
    return read_large_body(MAX_BYTES + FORM_ALLOWANCE, log, "a cohort CSV")


def _upload_page(form: ImportForm, cohort: Cohort, status: int = 200) -> tuple[str, int]:
    page = render_template(
        "cohorts/new-import.html",
        form=form,
        cohort=cohort,
        columns=COLUMN_NAMES,
        max_rows=MAX_ROWS,
        max_mb=MAX_BYTES // (1024 * 1024),
        types=list(OrgType),
        regions=regions(),
    )
    return page, status


@bp.route("/cohorts/<int:cohort_id>/imports/new", methods=["GET", "POST"])
@hee_admin_only
@csrf.exempt
def new_import(cohort_id: int) -> tuple[str, int] | Response:
    cohort = cohort_or_404(cohort_id)
    if not _read_upload_body():
        form = ImportForm(formdata=None)
        form.file.errors = [TOO_LARGE]
        return _upload_page(form, cohort, 413)
    form = ImportForm()
    upload = chosen_file(form.file)
    if form.validate_on_submit() and upload is not None:
        data = upload.stream.read(MAX_BYTES + 1)
        try:
            preview = cohort_import.upload(
                current_scope(), signed_in_user(), cohort, upload.filename or "", data
            )
        except (CsvRefused, ImportRefused) as refused:
            form.file.errors = [str(refused)]
        else:
            return redirect(
                url_for("cohorts.import_preview", cohort_id=cohort.id, import_id=preview.id)
            )
    return _upload_page(form, cohort)


def _preview_or_404(cohort: Cohort, import_id: int) -> CohortImport:
    preview = members.cohort_import(current_scope(), cohort.id, import_id)
    if preview is None:
        abort(404)
    return preview


@bp.route("/cohorts/<int:cohort_id>/imports/<int:import_id>", methods=["GET", "POST"])
@hee_admin_only
def import_preview(cohort_id: int, import_id: int) -> str | Response:
    cohort = cohort_or_404(cohort_id)
    preview = _preview_or_404(cohort, import_id)
    form = ConfirmImportForm()
    refusal = None
    if form.validate_on_submit():
        try:
            outcome = cohort_import.confirm(
                settings(), current_scope(), signed_in_user(), cohort, preview
            )
        except AlreadyImported as done:  # a second click: the first one imported it
            flash(str(done), "info")
            return _done(cohort)
        except ImportRefused as refused:
            refusal = str(refused)
        else:
            flash(outcome.sentence(), "success")
            if outcome.job_id is not None:
                return redirect(_invitations_page(cohort, preview))
            return _done(cohort)
    return render_template(
        "cohorts/import-preview.html",
        form=form,
        cohort=cohort,
        preview=preview,
        refusal=refusal,
        columns=COLUMN_NAMES,
    )


INVITATIONS = "/cohorts/<int:cohort_id>/imports/<int:import_id>/invitations"


def _invitations_page(cohort: Cohort, preview: CohortImport) -> str:
    return url_for("cohorts.import_invitations", cohort_id=cohort.id, import_id=preview.id)


def _invitations_job_or_404(cohort_id: int, import_id: int) -> tuple[Cohort, CohortImport, Job]:
    cohort = cohort_or_404(cohort_id)
    preview = _preview_or_404(cohort, import_id)
    job = import_invitations.job_of(preview)
    if job is None:
        abort(404)
    return cohort, preview, job


@bp.route(INVITATIONS, endpoint="import_invitations")
@hee_admin_only
def invitations_progress(cohort_id: int, import_id: int) -> str:
    """How far the job emailing an import's invitations has got."""
    cohort, preview, job = _invitations_job_or_404(cohort_id, import_id)
    return render_template(
        "cohorts/import-invitations.html", cohort=cohort, preview=preview, job=job
    )


@bp.route(f"{INVITATIONS}/status")
@hee_admin_only
def import_invitations_status(cohort_id: int, import_id: int) -> Response:
    """For the waiting page's script: the same facts as the page, as JSON."""
    _, _, job = _invitations_job_or_404(cohort_id, import_id)
    return job_status(job, None, job.status, job.error)


@bp.route(f"{INVITATIONS}/retry", methods=["POST"])
@hee_admin_only
def retry_import_invitations(cohort_id: int, import_id: int) -> Response:
    """Send again what is still to go (the job skips those already emailed)."""
    cohort, preview, job = _invitations_job_or_404(cohort_id, import_id)
    if not ConfirmImportForm().validate_on_submit():
        abort(400)
    import_invitations.send_the_rest(job)
    return redirect(_invitations_page(cohort, preview))


def _organisation_form() -> AddOrganisationForm:
    form = AddOrganisationForm()
    form.org_type.choices = [SelectChoice("", "Select a type")] + [
        SelectChoice(t.value, t.label) for t in OrgType
    ]
    form.region.choices = [SelectChoice("", "Select a region")] + [
        SelectChoice(r.code, r.name) for r in regions()
    ]
    restore(form)  # what was typed before the form or the session expired, if anything
    return form


@bp.route("/cohorts/<int:cohort_id>/organisations/add", methods=["GET", "POST"])
@keeps_typed("cohorts.add_organisation")
@hee_admin_only
def add_organisation(cohort_id: int) -> str | Response:
    cohort = cohort_or_404(cohort_id)
    form = _organisation_form()
    if form.validate_on_submit():
        try:
            outcome = cohort_import.add_one(
                settings(), current_scope(), signed_in_user(), cohort, form.values()
            )
        except OrganisationRefused as refused:
            for problem in refused.problems:
                form.show_problem(problem.field, problem.message)
        except ImportRefused as refused:
            form.show_problem("ods_code", str(refused))
        else:
            flash(outcome.sentence(), "success")
            return _done(cohort)
    return render_template("cohorts/add-organisation.html", form=form, cohort=cohort)


def _reviewer_form(cohort: Cohort) -> ReviewerForm:
    form = ReviewerForm()
    form.reviewer.choices = [SelectChoice("", "Select a reviewer")] + [
        SelectChoice(str(r.id), f"{r.name} ({r.email})")
        for r in members.assignable_reviewers(cohort.id)
    ]
    return form


@bp.route("/cohorts/<int:cohort_id>/reviewers", methods=["GET", "POST"])
@hee_admin_only
def reviewers(cohort_id: int) -> str | Response:
    cohort = cohort_or_404(cohort_id)
    form = _reviewer_form(cohort)
    if form.validate_on_submit():
        chosen = form.reviewer.data or ""
        try:
            added = cohort_reviewers.assign(signed_in_user(), cohort, whole_number(chosen, 9) or 0)
        except cohort_reviewers.ReviewerRefused as refused:
            form.reviewer.errors = [str(refused)]
        else:
            flash(f"{added.name} can now see {cohort.name}", "success")
            return redirect(url_for("cohorts.reviewers", cohort_id=cohort.id))
    return render_template(
        "cohorts/reviewers.html",
        form=form,
        remove_form=RemoveReviewerForm(),
        cohort=cohort,
        assigned=members.cohort_reviewers(current_scope(), cohort.id),
    )


@bp.route("/cohorts/<int:cohort_id>/reviewers/<int:user_id>/remove", methods=["POST"])
@hee_admin_only
def remove_reviewer(cohort_id: int, user_id: int) -> Response:
    cohort = cohort_or_404(cohort_id)
    form = RemoveReviewerForm()
    if not form.validate_on_submit():
        abort(400)
    removed = cohort_reviewers.unassign(signed_in_user(), cohort, user_id)
    if removed is None:  # a second click, or someone else removed them first
        flash("That reviewer is not assigned to this cohort", "info")
    else:
        flash(f"{removed.name} can no longer see {cohort.name}", "success")
    return redirect(url_for("cohorts.reviewers", cohort_id=cohort.id))
