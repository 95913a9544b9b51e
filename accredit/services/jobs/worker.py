"""The RQ worker (``accredit worker``): runs queued jobs in forked work horses."""

from __future__ import annotations

import os
from datetime import UTC
from typing import Any

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.transactions import engine
from accredit.extensions import db
from accredit.services.jobs.backends import redis_connection, rq_queue
from accredit.services.jobs.handlers import GENERIC_ERROR, TOO_LONG, load_job_modules
from accredit.services.jobs.runner import fail_lost_job


def _horse_killed(rq_job: Any, retpid: int, ret_val: int, rusage: Any) -> None:
    """The work horse died (killed past the time bound, out of memory): fail the row."""
    started = rq_job.started_at
    overdue = started is not None and rq_job.timeout not in (None, -1)
    if overdue:
        started = started if started.tzinfo else started.replace(tzinfo=UTC)
        overdue = (utcnow() - started).total_seconds() >= rq_job.timeout
    fail_lost_job(int(rq_job.args[0]), TOO_LONG if overdue else GENERIC_ERROR)
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
    from accredit.services.reports import packs

    packs.prepare()  # once here, not in every work horse forked for a pack
    if not _fork_hook_installed:
        os.register_at_fork(after_in_child=_forget_parent_connections)
        _fork_hook_installed = True
    db.remove()
    engine().dispose()
    max_jobs = None if burst else settings.worker_max_jobs
    worker = CountingWorker(
        [rq_queue(settings)],
        connection=redis_connection(settings),
        work_horse_killed_handler=_horse_killed,
    )
    worker.work(burst=burst, max_jobs=max_jobs, logging_level=settings.log_level)
    stopped_on_request = bool(getattr(worker, "_stop_requested", False))
    return max_jobs is not None and worker.executed >= max_jobs and not stopped_on_request
