"""Background jobs: one interface, run by RQ when Redis is configured, else by a thread pool.

A page submits a job and then shows its row (status, progress, message) until it is done.
The ``jobs`` table is the truth for both backends, so nothing above ``backend_for`` knows or
asks which one runs the work, and pages never talk to RQ.

Handlers are plain functions registered by kind, in modules that ``BUILTIN_JOB_MODULES`` or
``ACCREDIT_JOB_MODULES`` name so that an RQ worker imports them too. A handler gets the job's
params and a ``Progress``, finds its own data through ``db.session`` and returns a JSON-able
dict; its writes are committed with the "done" status, or rolled back when it fails. Raise
``JobError`` for a failure the user should read; anything else is logged and shown as a plain
"try again".

Time bound: RQ stops a job itself after ``job_timeout_seconds``. A thread cannot be killed, so
reading a job (``refresh_status``) fails one running for longer, and its late finish is
dropped: every status change is guarded by the attempt that made it (see queries.jobs).
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from flask import current_app, has_app_context
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Job
from accredit.data.queries.operations import jobs as queries
from accredit.data.queries.operations.jobs import ACTIVE, DONE, FAILED, QUEUED, RUNNING
from accredit.data.queries.scope import Scope
from accredit.extensions import db

if TYPE_CHECKING:
    from flask import Flask
    from redis import Redis
    from rq import Queue

__all__ = [
    "ACTIVE",
    "BUILTIN_JOB_MODULES",
    "DONE",
    "FAILED",
    "GENERIC_ERROR",
    "QUEUED",
    "RUNNING",
    "TOO_LONG",
    "JobError",
    "Progress",
    "backend_for",
    "drain",
    "find",
    "refresh_status",
    "register",
    "retry",
    "run",
    "submit",
    "wait",
    "work",
]

log = logging.getLogger("accredit.jobs")

#: Modules that register the app's own job kinds; every process that submits or runs jobs
#: imports them (``ACCREDIT_JOB_MODULES`` adds more, such as the tests' handlers).
BUILTIN_JOB_MODULES: tuple[str, ...] = (
    "accredit.services.reports.packs",
    "accredit.services.cohorts.exports",
    "accredit.services.cohorts.exports_packs",
)

GENERIC_ERROR = "Something went wrong making this. Try again."
TOO_LONG = "This took too long and was stopped. Try again."
#: RQ stops its own jobs on time; a read only gives up on one this much later (worker lost).
RQ_GRACE_SECONDS = 90
#: RQ's copy of a result is never read (the row has it), so keep it briefly; keep failures
#: for a week for whoever looks at RQ's failed registry.
RQ_RESULT_TTL = 60
RQ_FAILURE_TTL = 7 * 24 * 3600


class JobError(Exception):
    """A failure a handler can explain; its message is shown to the user as it is."""


@dataclass(frozen=True, slots=True)
class Progress:
    """Called by a handler as ``progress(40, "Adding evidence")``.

    Each call commits in its own short session, so the waiting page sees it while the
    handler's own work stays uncommitted. It is advice, never a reason to fail: an error
    writing it is logged and the job goes on. (On SQLite a handler holding uncommitted
    writes blocks these for the busy timeout, so handlers write at the end.)
    """

    job_id: int
    attempt: int

    def __call__(self, percent: int, message: str = "") -> None:
        try:
            with Session(_engine()) as session:
                queries.set_progress(session, self.job_id, self.attempt, percent, message)
                session.commit()
        except SQLAlchemyError:
            log.warning("Could not record progress of job %s", self.job_id, exc_info=True)


Handler = Callable[[dict[str, Any], Progress], dict[str, Any]]
_handlers: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """Make ``handler`` run jobs of ``kind`` (at import of the module that defines it)."""
    if not kind or len(kind) > 32:
        raise ValueError(f"A job kind is 1 to 32 characters: {kind!r}")
    _handlers[kind] = handler


def load_job_modules(settings: Settings | None) -> None:
    """Import the modules that register job kinds (cheap after the first time)."""
    extra = settings.job_modules if settings is not None else ()
    for name in (*BUILTIN_JOB_MODULES, *extra):
        importlib.import_module(name)


# --- Submitting and reading ------------------------------------------------------------


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

    Needs an app context (for the settings, and the app the thread pool runs jobs in).
    """
    settings = settings or _settings()
    load_job_modules(settings)
    if kind not in _handlers:
        raise ValueError(f"No handler is registered for job kind {kind!r}")
    active = queries.active_job(kind, subject)
    if active is not None:
        active = refresh_status(active, settings)
        if active.status in ACTIVE:
            return active
    try:
        with db.transaction():
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
    return _enqueue(settings, job)


def retry(job: Job, *, settings: Settings | None = None) -> Job:
    """Queue a failed job again (its attempts are kept); other jobs are returned as they are.

    When another job for the same kind and subject is already active, that one is returned.
    """
    settings = settings or _settings()
    load_job_modules(settings)
    active = queries.active_job(job.kind, job.subject)
    if active is not None and active.id != job.id:
        return active
    try:
        with db.transaction():
            requeued = queries.requeue(db.session, job.id)
    except IntegrityError:
        # Another job for the same thing was queued meanwhile: that one is the answer.
        return queries.active_job(job.kind, job.subject) or job
    current = queries.reload_job(job.id)
    assert current is not None
    return _enqueue(settings, current) if requeued else current


def refresh_status(job: Job, settings: Settings | None = None) -> Job:
    """The job as it is now, failed first when it has run past the time bound."""
    settings = settings or _settings()
    if job.status == RUNNING and job.started_at is not None:
        bound = settings.job_timeout_seconds + (RQ_GRACE_SECONDS if settings.redis_url else 0)
        cutoff = utcnow() - timedelta(seconds=bound)
        if job.started_at < cutoff:
            with Session(_engine()) as session:
                stopped = queries.stop_overdue(session, job.id, cutoff, TOO_LONG)
                session.commit()
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


# --- Running ---------------------------------------------------------------------------


def run(job_id: int) -> None:
    """What a worker executes: run the job's handler and record how it ended.

    Needs no request; an app context only for ``ACCREDIT_JOB_MODULES``. A job that is not
    queued any more (already taken, or failed meanwhile) is left alone.
    """
    load_job_modules(_settings() if has_app_context() else None)
    session = db.session
    try:
        attempt = queries.claim(session, job_id)
        session.commit()
        if attempt is None:
            log.info("Job %s is not queued any more; nothing to do", job_id)
            return
        _perform(session, job_id, attempt)
    finally:
        db.remove()


def _perform(session: Session, job_id: int, attempt: int) -> None:
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None
    kind = job.kind
    try:
        handler = _handlers.get(kind)
        if handler is None:
            raise LookupError(f"No handler is registered for job kind {kind!r}")
        result = handler(dict(job.params), Progress(job_id, attempt))
        if queries.finish(session, job_id, attempt, result=result, message="Done"):
            session.commit()
            log.info("Job %s (%s) done", job_id, kind)
        else:
            session.rollback()
            log.warning("Job %s (%s) finished after it was stopped; result dropped", job_id, kind)
    except Exception as error:
        session.rollback()
        timed_out = _is_rq_timeout(error)
        if isinstance(error, JobError):
            message = str(error) or GENERIC_ERROR
            log.info("Job %s (%s) failed: %s", job_id, kind, message)
        elif timed_out:
            message = TOO_LONG
            log.warning("Job %s (%s) was stopped by RQ's time bound", job_id, kind)
        else:
            message = GENERIC_ERROR
            log.exception("Job %s (%s) crashed", job_id, kind)
        queries.finish(session, job_id, attempt, error=message)
        session.commit()
        if timed_out:
            raise  # RQ's failed registry should say so too


def _is_rq_timeout(error: BaseException) -> bool:
    from rq.timeouts import BaseTimeoutException

    return isinstance(error, BaseTimeoutException)


def _fail_lost_job(job_id: int, error: str) -> None:
    """Fail a job its runner lost (a killed work horse, an RQ failure outside ``run``)."""
    with Session(_engine()) as session:
        if queries.fail_unfinished(session, job_id, error):
            log.warning("Job %s was lost by its worker and is failed: %s", job_id, error)
        session.commit()


# --- Backends --------------------------------------------------------------------------


class Backend(Protocol):
    def enqueue(self, job: Job) -> None: ...


@dataclass(frozen=True)
class ThreadBackend:
    """In-process pool for a single machine without Redis; jobs run in the app's context."""

    app: Flask
    threads: int

    def enqueue(self, job: Job) -> None:
        future = _executor(self.threads).submit(_run_in_app, self.app, job.id)
        with _pool_lock:
            _pending.add(future)
        future.add_done_callback(_forget)


@dataclass(frozen=True)
class RQBackend:
    settings: Settings

    def enqueue(self, job: Job) -> None:
        from rq import Callback

        rq_queue(self.settings).enqueue_call(
            func=run,
            args=(job.id,),
            # Readable in RQ's registries; one per attempt, and unique per queue.
            job_id=re.sub(r"[^\w-]", "_", f"{self.settings.job_queue}-{job.id}-{job.attempts}"),
            description=f"{job.kind} {job.subject}",
            timeout=self.settings.job_timeout_seconds,
            result_ttl=RQ_RESULT_TTL,
            failure_ttl=RQ_FAILURE_TTL,
            on_failure=Callback(on_rq_failure),
        )


def backend_for(settings: Settings, app: Flask | None = None) -> Backend:
    """The one place the backend is chosen: RQ when Redis is configured, else threads."""
    if settings.redis_url:
        return RQBackend(settings)
    return ThreadBackend(app or current_app._get_current_object(), settings.job_threads)  # type: ignore[attr-defined]


def _enqueue(settings: Settings, job: Job) -> Job:
    try:
        backend_for(settings).enqueue(job)
    except Exception:
        log.exception("Could not queue job %s (%s)", job.id, job.kind)
        _fail_lost_job(job.id, GENERIC_ERROR)
        return queries.reload_job(job.id) or job
    return job


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_pending: set[Future[None]] = set()


def _forget(future: Future[None]) -> None:
    with _pool_lock:
        _pending.discard(future)


def drain(timeout: float = 60.0) -> bool:
    """Wait for this process's pool to finish what it was given (a clean shutdown, and tests
    that must not leave a job running into the next one). False if some are still running."""
    with _pool_lock:
        pending = list(_pending)
    _done, running = wait_futures(pending, timeout=timeout)
    return not running


def _executor(threads: int) -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="accredit-job")
        return _pool


def _run_in_app(app: Flask, job_id: int) -> None:
    try:
        with app.app_context():
            run(job_id)
    except Exception:
        log.exception("Job %s could not be run", job_id)
        try:
            _fail_lost_job(job_id, GENERIC_ERROR)
        except SQLAlchemyError:
            log.exception("Job %s could not be marked failed", job_id)


# --- RQ --------------------------------------------------------------------------------


def redis_connection(settings: Settings) -> Redis:
    from redis import Redis

    if not settings.redis_url:
        raise RuntimeError("Background jobs on RQ need ACCREDIT_REDIS_URL")
    return Redis.from_url(settings.redis_url)


def rq_queue(settings: Settings) -> Queue:
    from rq import Queue

    return Queue(name=settings.job_queue, connection=redis_connection(settings))


def on_rq_failure(rq_job: Any, connection: Any, exc_type: Any, exc_value: Any, tb: Any) -> None:
    """RQ failure callback: whatever failed outside ``run``'s own handling fails the row."""
    error = TOO_LONG if exc_value is not None and _is_rq_timeout(exc_value) else GENERIC_ERROR
    _fail_lost_job(int(rq_job.args[0]), error)


def _horse_killed(rq_job: Any, retpid: int, ret_val: int, rusage: Any) -> None:
    """The work horse died (killed past the time bound, out of memory): fail the row."""
    started = rq_job.started_at
    overdue = started is not None and rq_job.timeout not in (None, -1)
    if overdue:
        started = started if started.tzinfo else started.replace(tzinfo=UTC)
        overdue = (utcnow() - started).total_seconds() >= rq_job.timeout
    _fail_lost_job(int(rq_job.args[0]), TOO_LONG if overdue else GENERIC_ERROR)
    db.remove()


def _forget_parent_connections() -> None:
    # A forked work horse must not use (or close) the worker's database connections.
    if db.engine is not None:
        db.engine.dispose(close=False)


_fork_hook_installed = False


def work(settings: Settings, *, burst: bool = False) -> bool:
    """Run an RQ worker on the job queue until it stops.

    True when it stopped after ``worker_max_jobs`` jobs: the caller then replaces the process
    with a fresh one, so memory a job held is returned. ``burst`` works through what is
    queued and returns False.
    """
    global _fork_hook_installed
    from rq import Worker

    class CountingWorker(Worker):
        executed = 0

        def execute_job(self, job: Any, queue: Any) -> None:
            super().execute_job(job, queue)
            self.executed += 1

    load_job_modules(settings)
    if not _fork_hook_installed:
        os.register_at_fork(after_in_child=_forget_parent_connections)
        _fork_hook_installed = True
    db.remove()
    _engine().dispose()
    max_jobs = None if burst else settings.worker_max_jobs
    worker = CountingWorker(
        [rq_queue(settings)],
        connection=redis_connection(settings),
        work_horse_killed_handler=_horse_killed,
    )
    worker.work(burst=burst, max_jobs=max_jobs, logging_level=settings.log_level)
    stopped_on_request = bool(getattr(worker, "_stop_requested", False))
    return max_jobs is not None and worker.executed >= max_jobs and not stopped_on_request


# --- Helpers ---------------------------------------------------------------------------


def _settings() -> Settings:
    settings: Settings = current_app.extensions["accredit.settings"]
    return settings


def _engine() -> Engine:
    if db.engine is None:
        raise RuntimeError("Database is not configured: call init_app first")
    return db.engine
