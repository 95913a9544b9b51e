"""Evidence library pages. Every lookup goes through the signed-in user's scope: others get 404.

Organisation staff add, replace and remove their own organisation's evidence; HEE staff can
read and download it. The two upload pages read their own request body (see
``accredit.web.large_body``) so that a file over the limit is answered on the form, not with
a bare 413 page.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from accredit.data.models import EvidenceItem, Organisation
from accredit.data.queries.evidence import evidence as queries
from accredit.domain.accounts.organisations import ORG_ROLES
from accredit.domain.scoring.evidence import EvidenceKind
from accredit.extensions import csrf
from accredit.forms.evidence.evidence import (
    NewEvidenceForm,
    NewVersionForm,
    RemoveForm,
    chosen_file,
)
from accredit.services.evidence import evidence
from accredit.services.evidence.filetypes import ACCEPTED, safe_filename
from accredit.services.evidence.scanning import NO_SCANNER, SCANNER_EXTENSION, Scanner
from accredit.services.evidence.uploads import too_large_message
from accredit.services.storage.stores import storage_for
from accredit.web.access import current_scope, org_staff, signed_in
from accredit.web.evidence.blueprint import bp
from accredit.web.helpers import evidence_item_or_404, organisation_or_404, settings, signed_in_user
from accredit.web.keep_typed import keeps_typed, restore
from accredit.web.large_body import read_large_body
from accredit.web.safe_redirect import is_safe_next

log = logging.getLogger("accredit.evidence")
BASE = "/organisations/<int:organisation_id>/evidence"
# Room for the other fields of an upload form (title, description, a statement) on top of
# the file itself, so a file exactly at the limit is still accepted.
FORM_ALLOWANCE = 256 * 1024


def _can_edit() -> bool:
    # The scope already limits organisation staff to their own organisation.
    return current_user.role in ORG_ROLES


def _max_bytes() -> int:
    return settings().max_upload_mb * 1024 * 1024


def _scanner() -> Scanner:
    scanner: Scanner = current_app.extensions.get(SCANNER_EXTENSION, NO_SCANNER)
    return scanner


def _read_upload_body() -> bool:
    return read_large_body(_max_bytes() + FORM_ALLOWANCE, log, "an upload")


@bp.route(BASE)
@signed_in
def index(organisation_id: int) -> str:
    organisation = organisation_or_404(organisation_id)
    return render_template(
        "evidence/index.html",
        organisation=organisation,
        entries=queries.library(current_scope(), organisation.id),
        can_edit=_can_edit(),
    )


@bp.route(f"{BASE}/new", methods=["GET", "POST"])
@keeps_typed("evidence.new")
@org_staff
@csrf.exempt
def new(organisation_id: int) -> tuple[str, int] | str | Response:
    organisation = organisation_or_404(organisation_id)
    if not _read_upload_body():
        form = NewEvidenceForm(formdata=None, kind=EvidenceKind.FILE.value)
        form.file.errors = [too_large_message(_max_bytes())]
        return _new_page(form, organisation), 413
    form = NewEvidenceForm()
    if request.method == "GET" and not restore(form):
        form.kind.data = request.args.get("kind", "")
    form.kind.data = form.chosen_kind().value
    if form.validate_on_submit():
        try:
            item = _add(form, organisation)
        except evidence.UploadRefused as refusal:
            form.file.errors = [str(refusal)]
        except evidence.EvidenceRefused as refusal:
            getattr(form, refusal.field).errors = [str(refusal)]
        else:
            back = _question_to_return_to()
            if back:
                flash(f"{item.title} has been added. Select it below to link it here.", "success")
                return redirect(back)
            flash(f"{item.title} has been added to the evidence library.", "success")
            return redirect(url_for(".show", organisation_id=organisation.id, item_id=item.id))
    return _new_page(form, organisation)


def _new_page(form: NewEvidenceForm, organisation: Organisation) -> str:
    return render_template(
        "evidence/new.html",
        form=form,
        organisation=organisation,
        kind=form.chosen_kind().value,
        back=_question_to_return_to(),
    )


def _question_to_return_to() -> str | None:
    """The question page a lead came from with "Save and add evidence", if that is where
    ``back`` points; anything else is ignored, so the parameter cannot send anyone off-site."""
    back = request.args.get("back")
    if not is_safe_next(back):
        return None
    assert back is not None
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(urlsplit(back).path)
    except HTTPException:
        return None
    return back if endpoint == "assess.question" else None


def _add(form: NewEvidenceForm, organisation: Organisation) -> EvidenceItem:
    actor, title = signed_in_user(), form.title.data or ""
    description, effective_date = form.description.data or "", form.effective_date.data
    kind = form.chosen_kind()
    if kind is EvidenceKind.LINK:
        return evidence.add_link(
            actor=actor,
            organisation=organisation,
            title=title,
            description=description,
            effective_date=effective_date,
            url=form.url.data or "",
        )
    if kind is EvidenceKind.STATEMENT:
        return evidence.add_statement(
            actor=actor,
            organisation=organisation,
            title=title,
            description=description,
            effective_date=effective_date,
            text=form.statement.data or "",
        )
    upload = chosen_file(form.file)
    assert upload is not None  # the form's own check
    return evidence.add_file(
        actor=actor,
        organisation=organisation,
        title=title,
        description=description,
        effective_date=effective_date,
        filename=upload.filename or "",
        data=upload.read(),
        storage=storage_for(settings()),
        scanner=_scanner(),
        max_bytes=_max_bytes(),
    )


@bp.route(f"{BASE}/<int:item_id>")
@signed_in
def show(organisation_id: int, item_id: int) -> str:
    organisation, item = evidence_item_or_404(organisation_id, item_id)
    scope = current_scope()
    return render_template(
        "evidence/show.html",
        organisation=organisation,
        item=item,
        files=queries.item_files(scope, item) if item.kind == EvidenceKind.FILE else [],
        uses=queries.item_uses(scope, item),
        can_edit=_can_edit(),
    )


@bp.route(f"{BASE}/<int:item_id>/new-version", methods=["GET", "POST"])
@keeps_typed("evidence.new_version")
@org_staff
@csrf.exempt
def new_version(organisation_id: int, item_id: int) -> tuple[str, int] | str | Response:
    organisation, item = evidence_item_or_404(organisation_id, item_id)
    if item.kind != EvidenceKind.FILE:
        abort(404)
    page = {"organisation": organisation, "item": item}
    if not _read_upload_body():
        form = NewVersionForm(formdata=None, effective_date=item.effective_date)
        form.file.errors = [too_large_message(_max_bytes())]
        return render_template("evidence/new-version.html", form=form, **page), 413
    form = NewVersionForm(effective_date=item.effective_date)
    restore(form)  # what was typed before the form or the session expired, if anything
    if form.validate_on_submit():
        upload = chosen_file(form.file)
        assert upload is not None  # the form's own check
        try:
            row = evidence.new_version(
                item,
                actor=signed_in_user(),
                effective_date=form.effective_date.data,
                filename=upload.filename or "",
                data=upload.read(),
                storage=storage_for(settings()),
                scanner=_scanner(),
                max_bytes=_max_bytes(),
            )
        except (evidence.UploadRefused, evidence.EvidenceRefused) as refusal:
            form.file.errors = [str(refusal)]
        else:
            flash(f"Version {row.version} of {item.title} has been uploaded.", "success")
            return redirect(url_for(".show", organisation_id=organisation.id, item_id=item.id))
    return render_template("evidence/new-version.html", form=form, **page)


@bp.route(f"{BASE}/<int:item_id>/remove", methods=["GET", "POST"])
@org_staff
def remove(organisation_id: int, item_id: int) -> str | Response:
    organisation, item = evidence_item_or_404(organisation_id, item_id)
    form = RemoveForm()
    if form.validate_on_submit():
        evidence.remove(item, actor=signed_in_user())
        flash(f"{item.title} has been removed from the evidence library.", "success")
        return redirect(url_for(".index", organisation_id=organisation.id))
    return render_template(
        "evidence/remove.html",
        form=form,
        organisation=organisation,
        item=item,
        uses=queries.item_uses(current_scope(), item),
    )


@bp.route(f"{BASE}/<int:item_id>/versions/<int:version>/download")
@signed_in
def download(organisation_id: int, item_id: int, version: int) -> Response:
    _, item = evidence_item_or_404(organisation_id, item_id)
    row = queries.item_file(current_scope(), item, version)
    if row is None:
        abort(404)
    try:
        stream = storage_for(settings()).open(row.sha256)
    except FileNotFoundError:
        log.error(
            "Evidence file %s (item %s v%s) is missing from storage", row.sha256, item.id, version
        )
        abort(404)
    response = send_file(
        stream,
        mimetype=row.media_type,
        as_attachment=True,
        download_name=safe_filename(row.filename, ACCEPTED.get(row.media_type)),
        etag=row.sha256,
        last_modified=row.created_at,
        max_age=0,
    )
    # Never rendered by the browser, whatever the bytes look like: an attachment, not sniffed,
    # and sandboxed should anything try to show it in place.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
