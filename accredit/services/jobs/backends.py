"""Where a queued job goes to run: RQ when Redis is configured, else this process's threads.

The ``jobs`` table is the truth for both backends, so nothing above ``backend_for`` knows or
asks which one runs the work, and pages never talk to RQ.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from accredit.config import Settings
from accredit.data.models import Job
from accredit.data.queries.operations import jobs as queries
from accredit.services.jobs import running_app
from accredit.services.jobs.handlers import GENERIC_ERROR, TOO_LONG
from accredit.services.jobs.runner import fail_lost_job, is_rq_timeout, run

if TYPE_CHECKING:
    from flask import Flask
    from redis import Redis
    from rq import Queue

log = logging.getLogger("accredit.jobs")

#: RQ's copy of a result is never read (the row has it), so keep it briefly; keep failures
#: for a week for whoever looks at RQ's failed registry.
RQ_RESULT_TTL = 60
RQ_FAILURE_TTL = 7 * 24 * 3600


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
            func=run_step,
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
    return ThreadBackend(app or running_app.app(), settings.job_threads)


def run_step(job_id: int) -> None:
    """Run a job (RQ's entry point, and the pool's), queueing its next step when it asks for
    one (``handlers.Continue``)."""
    if run(job_id):
        job = queries.reload_job(job_id)
        assert job is not None
        enqueue(running_app.settings(), job)


def enqueue(settings: Settings, job: Job) -> Job:
    """Hand a committed job row to its backend; a job that cannot be queued is failed."""
    try:
        backend_for(settings).enqueue(job)
    except Exception:
        log.exception("Could not queue job %s (%s)", job.id, job.kind)
        fail_lost_job(job.id, GENERIC_ERROR)
        return queries.reload_job(job.id) or job
    return job


# --- The thread pool -------------------------------------------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
#: How long a thread may hold the GIL while another waits for it, once jobs share this process
#: with requests. A pack being drawn keeps a thread busy for seconds; at Python's default 5 ms
#: a request thread waits up to that long each time it takes the GIL back after a database
#: call or a socket write, and a 10 ms page took 100 to 300 ms while a pack was being made
#: in the same worker. At 1 ms it took 10 to 40 ms, and the pack no longer.
SWITCH_INTERVAL = 0.001
_pending: set[Future[None]] = set()


def _forget(future: Future[None]) -> None:
    with _pool_lock:
        _pending.discard(future)


def drain(timeout: float = 60.0) -> bool:
    """Wait for this process's pool to finish what it was given, later steps of its jobs
    included (a clean shutdown, and tests that must not leave a job running into the next
    one). False if some are still running."""
    deadline = time.monotonic() + timeout
    while True:
        with _pool_lock:
            pending = list(_pending)
        if not pending:
            return True
        _done, running = wait_futures(pending, timeout=max(0.0, deadline - time.monotonic()))
        if running:
            return False


def _executor(threads: int) -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
            _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="accredit-job")
        return _pool


def _run_in_app(app: Flask, job_id: int) -> None:
    try:
        with app.app_context():
            run_step(job_id)
    except Exception:
        log.exception("Job %s could not be run", job_id)
        try:
            fail_lost_job(job_id, GENERIC_ERROR)
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
    error = TOO_LONG if exc_value is not None and is_rq_timeout(exc_value) else GENERIC_ERROR
    fail_lost_job(int(rq_job.args[0]), error)
