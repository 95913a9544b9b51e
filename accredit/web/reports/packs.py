"""Evidence pack pages: choose a scope, wait for the job (progress), download the PDF.

Organisation staff and HEE staff who may see the assessment can make and download its packs.
An unchanged assessment downloads the stored pack at once; a changed one makes a new pack in
the background (RQ or the in-process pool: the page cannot tell) while this page shows progress.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.wrappers import Response

from accredit.data.models import Assessment, Job, Pack
from accredit.data.queries.reports.packs import pack_of, packs_of
from accredit.forms.evidence.packs import CHOOSE_SCOPE, PackForm
from accredit.services.jobs import jobs
from accredit.services.reports import packs
from accredit.services.reports.packs import PackScope
from accredit.services.storage.stores import pack_storage_for
from accredit.web.access import current_scope, signed_in
from accredit.web.helpers import assessment_or_404, settings, signed_in_user, workspace_or_404
from accredit.web.job_status import job_status
from accredit.web.reports.blueprint import bp

BASE = "/assessments/<int:assessment_id>/pack"


def _job_or_404(assessment: Assessment, job_id: int) -> Job:
    job = jobs.find(current_scope(), job_id)
    if job is None or job.kind != packs.KIND or job.params.get("assessment_id") != assessment.id:
        abort(404)
    return job


def _download_url(pack: Pack) -> str:
    return url_for("reports.download_pack", assessment_id=pack.assessment_id, pack_id=pack.id)


@bp.route(BASE)
@signed_in
def pack(assessment_id: int) -> str:
    ws = workspace_or_404(assessment_id)
    fingerprint, states = packs.states(ws, pack_storage_for(settings()))
    return render_template(
        "reports/pack.html",
        ws=ws,
        assessment=ws.assessment,
        fingerprint=fingerprint,
        states=states,
        earlier=[p for p in packs_of(ws.assessment) if p.fingerprint != fingerprint],
        claimed=packs.claimed_level(ws),
    )


@bp.route(BASE, methods=["POST"])
@signed_in
def make_pack(assessment_id: int) -> Response:
    ws = workspace_or_404(assessment_id)
    form = PackForm(request.form)
    if not form.validate():
        flash(CHOOSE_SCOPE, "error")
        return redirect(url_for("reports.pack", assessment_id=assessment_id))
    outcome = packs.request(ws, form.chosen(), pack_storage_for(settings()), signed_in_user().id)
    if isinstance(outcome, Pack):
        return redirect(_download_url(outcome))
    return redirect(url_for("reports.pack_job", assessment_id=assessment_id, job_id=outcome.id))


@bp.route(f"{BASE}/jobs/<int:job_id>")
@signed_in
def pack_job(assessment_id: int, job_id: int) -> str:
    ws = workspace_or_404(assessment_id)
    job = _job_or_404(ws.assessment, job_id)
    status, error, made = _state(ws.assessment, job)
    return render_template(
        "reports/pack-job.html",
        ws=ws,
        assessment=ws.assessment,
        job=job,
        status=status,
        error=error,
        lost=error == LOST,
        download=_download_url(made) if made else None,
        scope=PackScope(job.params.get("scope", "all")),
    )


@bp.route(f"{BASE}/jobs/<int:job_id>/status")
@signed_in
def pack_job_status(assessment_id: int, job_id: int) -> Response:
    """For the progress page's script: the same facts as the page, as JSON. Asked every second
    while the pack is made, so it reads the assessment alone, not its answers."""
    assessment = assessment_or_404(assessment_id)
    job = _job_or_404(assessment, job_id)
    status, error, made = _state(assessment, job)
    return job_status(job, _download_url(made) if made else None, status, error)


@bp.route(f"{BASE}/jobs/<int:job_id>/retry", methods=["POST"])
@signed_in
def retry_pack_job(assessment_id: int, job_id: int) -> Response:
    assessment = assessment_or_404(assessment_id)
    job = jobs.retry(_job_or_404(assessment, job_id))
    return redirect(url_for("reports.pack_job", assessment_id=assessment_id, job_id=job.id))


def _made(assessment: Assessment, job: Job) -> Pack | None:
    if job.status != jobs.DONE or not job.result:
        return None
    pack_id = job.result.get("pack_id")
    return pack_of(assessment, pack_id) if isinstance(pack_id, int) else None


LOST = "This pack is no longer stored. Make it again."


def _state(assessment: Assessment, job: Job) -> tuple[str, str | None, Pack | None]:
    """(status, error, pack) as the pages show them: a done job whose pack has gone is shown
    as failed, so the page offers to make it again rather than waiting for ever."""
    made = _made(assessment, job)
    if job.status == jobs.DONE and made is None:
        return jobs.FAILED, LOST, None
    return job.status, job.error, made


@bp.route("/assessments/<int:assessment_id>/packs/<int:pack_id>/download")
@signed_in
def download_pack(assessment_id: int, pack_id: int) -> Response:
    ws = workspace_or_404(assessment_id)
    found = pack_of(ws.assessment, pack_id)
    if found is None:
        abort(404)
    try:
        stream = pack_storage_for(settings()).open(found.file_sha256)
    except FileNotFoundError:
        current_app.logger.warning("Pack %s is missing from storage", found.id)
        flash("That pack is no longer stored. Make it again below.", "error")
        return redirect(url_for("reports.pack", assessment_id=assessment_id))
    organisation = ws.assessment.organisation
    name = (
        f"evidence-pack-{organisation.ods_code}-{found.scope}-"
        f"{found.created_at:%Y-%m-%d}-{found.fingerprint[:8]}.pdf"
    )
    response = send_file(
        stream,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=name,
        etag=found.file_sha256,
        last_modified=found.created_at,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
