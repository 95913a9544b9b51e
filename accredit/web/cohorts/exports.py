"""Cohort exports for HEE staff: CSV straight away, Excel and the ZIP of evidence packs made in
the background while a page shows their progress, then offers the download.

Reviewers reach only the cohorts assigned to them (404 for any other), organisation users
none (403 from the decorator). A job's page shows only an export job of this cohort that the
user may see: HEE admins see every one, others their own.
"""

from __future__ import annotations

from flask import Response as FlaskResponse
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    stream_with_context,
    url_for,
)
from werkzeug.wrappers import Response

from accredit.data.models import Cohort, Job
from accredit.services.cohorts import exports
from accredit.services.cohorts.exports_csv import CSV_MEDIA_TYPE
from accredit.services.jobs import jobs
from accredit.web.access import current_scope, hee_only
from accredit.web.cohorts.blueprint import bp
from accredit.web.helpers import cohort_or_404, settings, signed_in_user
from accredit.web.job_status import job_status

BASE = "/cohorts/<int:cohort_id>"
TABLE = "<any(organisations, answers, activity, moderation):table>"
JOB = f"{BASE}/exports/<int:export_job_id>"


def _job_or_404(cohort: Cohort, job_id: int) -> Job:
    job = jobs.find(current_scope(), job_id)
    if job is None or not exports.job_of_cohort(job, cohort.id):
        abort(404)
    return job


def _job_page(cohort: Cohort, job: Job) -> Response:
    return redirect(url_for("cohorts.export_job", cohort_id=cohort.id, export_job_id=job.id))


def _download_url(cohort: Cohort, job: Job) -> str | None:
    if job.status != jobs.DONE or "sha256" not in (job.result or {}):
        return None
    return url_for("cohorts.export_download", cohort_id=cohort.id, export_job_id=job.id)


@bp.route(f"{BASE}/exports", endpoint="exports")
@hee_only
def exports_page(cohort_id: int) -> str:
    cohort = cohort_or_404(cohort_id)
    return render_template(
        "cohorts/exports.html",
        cohort=cohort,
        recent=exports.recent_jobs(cohort.id, signed_in_user().id),
        label=exports.label,
        kept_days=settings().retain_exports_days,
    )


@bp.route(f"{BASE}/exports/{TABLE}.csv")
@hee_only
def export_csv(cohort_id: int, table: str) -> FlaskResponse:
    cohort = cohort_or_404(cohort_id)
    name, chunks = exports.csv_download(current_scope(), cohort, table, signed_in_user())
    response = FlaskResponse(stream_with_context(chunks), mimetype=CSV_MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route(f"{BASE}/exports/{TABLE}.xlsx", methods=["POST"])
@hee_only
def export_xlsx(cohort_id: int, table: str) -> Response:
    cohort = cohort_or_404(cohort_id)
    return _job_page(cohort, exports.request_xlsx(cohort, table, signed_in_user()))


@bp.route(f"{BASE}/exports/packs.zip", methods=["POST"])
@hee_only
def export_packs(cohort_id: int) -> Response:
    cohort = cohort_or_404(cohort_id)
    return _job_page(cohort, exports.request_packs(cohort, signed_in_user()))


@bp.route(JOB)
@hee_only
def export_job(cohort_id: int, export_job_id: int) -> str:
    cohort = cohort_or_404(cohort_id)
    job = _job_or_404(cohort, export_job_id)
    return render_template(
        "cohorts/export-job.html",
        cohort=cohort,
        job=job,
        what=exports.label(job),
        download=_download_url(cohort, job),
    )


@bp.route(f"{JOB}/status")
@hee_only
def export_job_status(cohort_id: int, export_job_id: int) -> Response:
    """For the waiting page's script: the same facts as the page, as JSON."""
    cohort = cohort_or_404(cohort_id)
    job = _job_or_404(cohort, export_job_id)
    return job_status(job, _download_url(cohort, job), job.status, job.error)


@bp.route(f"{JOB}/download")
@hee_only
def export_download(cohort_id: int, export_job_id: int) -> Response:
    cohort = cohort_or_404(cohort_id)
    job = _job_or_404(cohort, export_job_id)
    result = job.result or {}
    if job.status != jobs.DONE or "sha256" not in result:
        return _job_page(cohort, job)
    try:
        stream = exports.export_storage_for(settings()).open(str(result["sha256"]))
    except (FileNotFoundError, ValueError):
        current_app.logger.warning("Export of job %s is missing from storage", job.id)
        flash("That export is no longer stored. Make it again below.", "error")
        return redirect(url_for("cohorts.exports", cohort_id=cohort.id))
    response = send_file(
        stream,
        mimetype=str(result.get("media_type", "application/octet-stream")),
        as_attachment=True,
        download_name=str(result.get("filename", "export")),
        etag=str(result["sha256"]),
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
