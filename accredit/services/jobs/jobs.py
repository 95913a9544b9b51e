"""Background jobs as pages see them: submit one, retry it, find it, wait for it.

A page submits a job and then shows its row (status, progress, message) until it is done.
The ``jobs`` table is the truth whichever backend runs the work (``job_backends``), so pages
never talk to RQ. What a job runs is registered in ``job_handlers``; how one run commits is
``job_runner``'s unit of work; the RQ worker is ``worker``.

Time bound: RQ stops a job itself after ``job_timeout_seconds``. A thread cannot be killed, so
reading a job (``refresh_status``) fails one running for longer, and its late finish is
dropped: every status change is guarded by the attempt that made it (see queries.jobs).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Job
from accredit.data.queries.operations import jobs as queries
from accredit.data.queries.operations.jobs import ACTIVE, DONE, FAILED, QUEUED, RUNNING
from accredit.data.queries.scope import Scope
from accredit.data.transactions import commit_now, own_session
from accredit.extensions import db
from accredit.services.jobs import running_app
from accredit.services.jobs.backends import enqueue
from accredit.services.jobs.handlers import (
    GENERIC_ERROR,
    TOO_LONG,
    handler_for,
    load_job_modules,
)

__all__ = [
    "ACTIVE",
    "DONE",
    "FAILED",
    "GENERIC_ERROR",
    "QUEUED",
    "RUNNING",
    "TOO_LONG",
    "find",
    "refresh_status",
    "retry",
    "submit",
    "wait",
]

log = logging.getLogger("accredit.jobs")

#: RQ stops its own jobs on time; a read only gives up on one this much later (worker lost).
RQ_GRACE_SECONDS = 90


def submit(
    kind: str,
    params: dict[str, Any],
    *,
    subject: str,
    organisation_id: int | None,
    requested_by_id: int | None,
    settings: Settings | None = None,
) -> Job:
    """Queue a job, or return the one already queued or running for this kind and subject.

    Needs an app context (for the settings, and the app the thread pool runs jobs in). The
    row is committed before it is queued, with whatever the request wrote before it: the
    worker reads it from the database, and may do so at once.
    """
    settings = settings or running_app.settings()
    load_job_modules(settings)
    if handler_for(kind) is None:
        raise ValueError(f"No handler is registered for job kind {kind!r}")
    active = queries.active_job(kind, subject)
    if active is not None:
        active = refresh_status(active, settings)
        if active.status in ACTIVE:
            return active
    try:
        with commit_now():
            job = Job(
                kind=kind,
                subject=subject,
                params=params,
                organisation_id=organisation_id,
                requested_by_id=requested_by_id,
                status=QUEUED,
                progress=0,
                message="",
                attempts=0,
            )
            db.session.add(job)
    except IntegrityError:
        # Someone asked for the same thing at the same moment: theirs is the one.
        winner = queries.active_job(kind, subject)
        if winner is None:
            raise
        return winner
    return enqueue(settings, job)


def retry(job: Job, *, settings: Settings | None = None) -> Job:
    """Queue a failed job again (its attempts are kept); other jobs are returned as they are.

    When another job for the same kind and subject is already active, that one is returned.
    """
    settings = settings or running_app.settings()
    load_job_modules(settings)
    active = queries.active_job(job.kind, job.subject)
    if active is not None and active.id != job.id:
        return active
    try:
        with commit_now():  # committed before it is queued again, as in ``submit``
            requeued = queries.requeue(db.session, job.id)
    except IntegrityError:
        # Another job for the same thing was queued meanwhile: that one is the answer.
        return queries.active_job(job.kind, job.subject) or job
    current = queries.reload_job(job.id)
    assert current is not None
    return enqueue(settings, current) if requeued else current


def refresh_status(job: Job, settings: Settings | None = None) -> Job:
    """The job as it is now, failed first when it has run past the time bound."""
    settings = settings or running_app.settings()
    if job.status == RUNNING and job.started_at is not None:
        bound = settings.job_timeout_seconds + (RQ_GRACE_SECONDS if settings.redis_url else 0)
        cutoff = utcnow() - timedelta(seconds=bound)
        if job.started_at < cutoff:
            with own_session() as session:  # the page reading it may be any request
                stopped = queries.stop_overdue(session, job.id, cutoff, TOO_LONG)
            if stopped:
                log.warning("Job %s (%s) ran past %ss and was failed", job.id, job.kind, bound)
    return queries.reload_job(job.id) or job


def find(scope: Scope, job_id: int, settings: Settings | None = None) -> Job | None:
    """The job for a status page: None outside the scope, and refreshed against the bound."""
    job = queries.get_job(scope, job_id)
    return refresh_status(job, settings) if job is not None else None


def wait(job_id: int, timeout: float = 30.0, *, settings: Settings | None = None) -> Job:
    """Poll until the job is done or failed, or ``timeout`` seconds pass (tests, CLI)."""
    deadline = time.monotonic() + timeout
    while True:
        job = queries.reload_job(job_id)
        if job is None:
            raise LookupError(f"No job {job_id}")
        job = refresh_status(job, settings)
        if job.status in (DONE, FAILED) or time.monotonic() >= deadline:
            return job
        time.sleep(0.05)
