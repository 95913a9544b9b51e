"""Running one job: the job's own unit of work, and how it ended written on its row.

The claim commits first (the job is then "running" for every page). The handler's writes and
the "done" status are then one unit of work: both commit, or, when the handler fails, both
roll back and the failure is recorded in a unit of its own. A job stopped meanwhile (past the
time bound) keeps its failure: every status change is guarded by the attempt that made it
(see queries.jobs), and a late finish is dropped.
"""

from __future__ import annotations

import logging

from accredit.data.models import Job
from accredit.data.queries.operations import jobs as queries
from accredit.data.transactions import own_session, unit_of_work
from accredit.extensions import db
from accredit.services.jobs import running_app
from accredit.services.jobs.handlers import (
    GENERIC_ERROR,
    TOO_LONG,
    Continue,
    JobError,
    JobRun,
    Progress,
    handler_for,
    load_job_modules,
)

log = logging.getLogger("accredit.jobs")


class _Stopped(Exception):
    """The job was failed meanwhile (past its time bound): its result must not be kept."""


#: Steps one job may take (``handlers.Continue``) before it is failed as going nowhere.
MAX_STEPS = 500


def run(job_id: int) -> bool:
    """What a worker executes: run the job's handler and record how it ended; True when the
    handler asked for another step (the job is queued again: the caller enqueues it).

    Runs in the app's context (a pool thread, or an RQ work horse under ``accredit worker``),
    whose settings and app it hands the handler. A job that is not queued any more (already
    taken, or failed meanwhile) is left alone.
    """
    load_job_modules(running_app.settings())
    try:
        with unit_of_work() as session:
            attempt = queries.claim(session, job_id)
        if attempt is None:
            log.info("Job %s is not queued any more; nothing to do", job_id)
            return False
        return _perform(job_id, attempt)
    finally:
        db.remove()


def _perform(job_id: int, attempt: int) -> bool:
    job = db.session.get(Job, job_id, populate_existing=True)
    assert job is not None
    kind = job.kind
    try:
        with unit_of_work() as session:  # the job's unit: its writes commit with "done"
            handler = handler_for(kind)
            if handler is None:
                raise LookupError(f"No handler is registered for job kind {kind!r}")
            context = JobRun(Progress(job_id, attempt), running_app.settings(), running_app.app())
            try:
                result = handler(dict(job.params), context)
            except Continue as step:
                if attempt >= MAX_STEPS:
                    raise LookupError(f"Job {job_id} took more than {MAX_STEPS} steps") from None
                params = {**job.params, "resume": step.state}
                if not queries.continue_later(session, job_id, attempt, params, job.message):
                    raise _Stopped from None
                log.info("Job %s (%s) continues in step %s", job_id, kind, attempt + 1)
                return True
            if not queries.finish(session, job_id, attempt, result=result, message="Done"):
                raise _Stopped
        log.info("Job %s (%s) done", job_id, kind)
    except _Stopped:
        log.warning("Job %s (%s) finished after it was stopped; result dropped", job_id, kind)
    except Exception as error:  # the unit rolled the handler's writes back
        timed_out = is_rq_timeout(error)
        if isinstance(error, JobError):
            message = str(error) or GENERIC_ERROR
            log.info("Job %s (%s) failed: %s", job_id, kind, message)
        elif timed_out:
            message = TOO_LONG
            log.warning("Job %s (%s) was stopped by RQ's time bound", job_id, kind)
        else:
            message = GENERIC_ERROR
            log.exception("Job %s (%s) crashed", job_id, kind)
        with unit_of_work() as session:
            queries.finish(session, job_id, attempt, error=message)
        if timed_out:
            raise  # RQ's failed registry should say so too
    return False


def is_rq_timeout(error: BaseException) -> bool:
    from rq.timeouts import BaseTimeoutException

    return isinstance(error, BaseTimeoutException)


def fail_lost_job(job_id: int, error: str) -> None:
    """Fail a job its runner lost (a killed work horse, an RQ failure outside ``run``, a job
    that could not be queued), in a session of its own whatever the caller holds."""
    with own_session() as session:
        if queries.fail_unfinished(session, job_id, error):
            log.warning("Job %s was lost by its worker and is failed: %s", job_id, error)
