"""The JSON a waiting page's script polls while a background job runs (a pack, an export)."""

from __future__ import annotations

from flask import jsonify
from werkzeug.wrappers import Response

from accredit.data.models import Job


def job_status(job: Job, download: str | None, status: str, error: str | None) -> Response:
    """The same facts as the waiting page itself. Never cached: the page asks again and again,
    and a stale answer would leave it waiting for ever."""
    response = jsonify(
        status=status,
        progress=job.progress,
        message=job.message,
        error=error,
        download=download,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
