"""Background job rows: finding them, and the guarded status changes a worker makes.

Every change of status is one conditional UPDATE on (id, status, attempt) so that two
writers can never both win: a job stopped for taking too long stays stopped when its thread
finishes late, and a late finish of an earlier attempt never touches a retried one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import null, select, update
from sqlalchemy.orm import Session

from accredit.data.base import utcnow
from accredit.data.models import Job
from accredit.data.queries.scope import Scope
from accredit.extensions import db

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
ACTIVE = (QUEUED, RUNNING)
#: Job.message is a String(200).
MESSAGE_MAX = 200


def get_job(scope: Scope, job_id: int) -> Job | None:
    """The job when the scope may see it: its own organisation's, or any for HEE staff.

    A job without an organisation (a cohort export, say) is for HEE admins and whoever asked.
    """
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None:
        return None
    if scope.sees_all:
        return job
    if job.organisation_id is None:
        # A cohort-wide job (an export): HEE staff see the ones they asked for.
        return job if scope.is_hee and job.requested_by_id == scope.user_id else None
    if not scope.allows(job.organisation_id):
        return None
    return job


def reload_job(job_id: int) -> Job | None:
    """The row as the database has it now (other processes change job rows)."""
    return db.session.get(Job, job_id, populate_existing=True)


def active_job(kind: str, subject: str) -> Job | None:
    """The latest queued or running job for this kind and subject."""
    return db.session.scalar(
        select(Job)
        .where(Job.kind == kind, Job.subject == subject, Job.status.in_(ACTIVE))
        .order_by(Job.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )


def latest_job(kind: str, subject: str) -> Job | None:
    """The most recent job for this kind and subject, whatever its status."""
    return db.session.scalar(
        select(Job)
        .where(Job.kind == kind, Job.subject == subject)
        .order_by(Job.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )


def _changed(session: Session, statement: Any) -> bool:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claim(session: Session, job_id: int) -> int | None:
    """Mark a queued job running; its new attempt number, or None when it was not queued. Its
    progress stays as it was: a new or retried job is at 0, a long job's next step goes on from
    where the last one got to."""
    changed = _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status == QUEUED)
        .values(status=RUNNING, attempts=Job.attempts + 1, started_at=utcnow()),
    )
    if not changed:
        return None
    return session.scalar(select(Job.attempts).where(Job.id == job_id))


def set_progress(session: Session, job_id: int, attempt: int, percent: int, message: str) -> bool:
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status == RUNNING, Job.attempts == attempt)
        .values(progress=max(0, min(100, percent)), message=message[:MESSAGE_MAX]),
    )


def finish(
    session: Session,
    job_id: int,
    attempt: int,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    message: str = "",
) -> bool:
    """Done (no error) or failed, only when this attempt is still the one running."""
    values: dict[str, Any] = {
        "status": FAILED if error is not None else DONE,
        "error": error,
        "finished_at": utcnow(),
        "message": message[:MESSAGE_MAX],
    }
    if error is None:
        values.update(result=result, progress=100)
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status == RUNNING, Job.attempts == attempt)
        .values(**values),
    )


def stop_overdue(session: Session, job_id: int, started_before: datetime, error: str) -> bool:
    """Fail a job still running since before ``started_before``."""
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status == RUNNING, Job.started_at < started_before)
        .values(status=FAILED, error=error, finished_at=utcnow()),
    )


def fail_unfinished(session: Session, job_id: int, error: str) -> bool:
    """Fail a job that is queued or running, whichever attempt (a worker lost it)."""
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status.in_(ACTIVE))
        .values(status=FAILED, error=error, finished_at=utcnow()),
    )


def continue_later(
    session: Session, job_id: int, attempt: int, params: dict[str, Any], message: str
) -> bool:
    """Queue a running job again for its next step, with its params (and where it got to)."""
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status == RUNNING, Job.attempts == attempt)
        .values(status=QUEUED, params=params, started_at=None, message=message[:MESSAGE_MAX]),
    )


def requeue(session: Session, job_id: int) -> bool:
    """Put a failed job back in the queue, keeping its attempt count."""
    return _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status == FAILED)
        .values(
            status=QUEUED,
            error=None,
            result=null(),
            progress=0,
            message="",
            started_at=None,
            finished_at=None,
        ),
    )
