"""Background jobs: the thread pool in-process, and RQ with a real worker when Redis answers."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time

import pytest

import tests.support.job_handlers  # noqa: F401  (registers the test-* kinds)
from accredit.data.models import Cohort, CohortMembership
from accredit.data.queries.operations.jobs import get_job, latest_job
from accredit.data.queries.scope import Scope
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.jobs import backends as job_backends
from accredit.services.jobs import jobs
from tests.support.rq import ROOT, accredit_command, burst, worker_env


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def _submit(kind: str, params: dict | None = None, subject: str = "test:1", org=None):
    return jobs.submit(
        kind,
        params or {},
        subject=subject,
        organisation_id=org.id if org is not None else None,
        requested_by_id=None,
    )


# --- Thread pool (no Redis configured) ---------------------------------------------------


def test_a_thread_job_runs_to_done_with_its_result(ctx, org):
    job = _submit("test-echo", {"n": 7}, org=org)
    assert job.status == jobs.QUEUED
    done = jobs.wait(job.id, 15)
    assert done.status == jobs.DONE
    assert done.result == {"echo": {"n": 7}}
    assert done.progress == 100
    assert done.attempts == 1
    assert done.error is None
    assert done.started_at is not None and done.finished_at is not None
    assert latest_job("test-echo", "test:1").id == job.id


def test_jobs_sharing_the_web_process_hand_the_gil_back_to_requests_often(ctx, org):
    # A pack drawn in a thread must not make each request thread wait 5 ms per I/O call.
    jobs.wait(_submit("test-echo", org=org).id, 15)
    assert sys.getswitchinterval() <= job_backends.SWITCH_INTERVAL == 0.001


def test_a_long_job_runs_in_steps_each_a_run_of_its_own_carrying_where_it_got_to(ctx):
    job = _submit("test-stepping", {"steps": 3})
    assert job_backends.drain(15)  # each step queues the next; drain waits for them all
    done = jobs.wait(job.id, 0)
    assert done.status == jobs.DONE and done.result == {"done": [1, 2, 3]}
    assert done.attempts == 3  # three runs, each claimed (and timed) on its own
    assert done.params["resume"] == {"done": [1, 2]}


def test_a_job_error_is_shown_as_it_is(ctx):
    job = _submit("test-fail", {"message": "Add some evidence first."})
    failed = jobs.wait(job.id, 15)
    assert failed.status == jobs.FAILED
    assert failed.error == "Add some evidence first."
    assert failed.finished_at is not None and failed.result is None


def test_a_crash_is_plain_english_for_the_user_and_logged_with_its_traceback(ctx, caplog):
    caplog.set_level(logging.ERROR, logger="accredit.jobs")
    job = _submit("test-crash")
    failed = jobs.wait(job.id, 15)
    assert failed.status == jobs.FAILED
    assert failed.error == jobs.GENERIC_ERROR
    assert "internal detail" not in failed.error
    logged = [r for r in caplog.records if "crashed" in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_an_unknown_kind_is_refused(ctx):
    with pytest.raises(ValueError, match="no-such-kind"):
        _submit("no-such-kind")


def test_retry_queues_a_failed_job_again_and_it_can_succeed(ctx, tmp_path):
    marker = tmp_path / "ready"
    job = _submit("test-flaky", {"marker": str(marker)})
    failed = jobs.wait(job.id, 15)
    assert failed.status == jobs.FAILED and failed.error == "Not ready yet."

    marker.touch()
    again = jobs.retry(failed)
    assert again.id == job.id
    assert again.status in (jobs.QUEUED, jobs.RUNNING, jobs.DONE)
    done = jobs.wait(job.id, 15)
    assert done.status == jobs.DONE and done.error is None and done.result == {"ok": True}
    assert done.attempts == 2


def test_retry_leaves_a_done_job_alone(ctx):
    done = jobs.wait(_submit("test-echo").id, 15)
    assert jobs.retry(done).status == jobs.DONE
    assert jobs.wait(done.id, 1).attempts == 1


def test_a_second_submit_returns_the_active_job(ctx):
    first = _submit("test-slow", {"seconds": 0.5}, subject="pack:1:all")
    second = _submit("test-slow", {"seconds": 0.5}, subject="pack:1:all")
    other = _submit("test-slow", {"seconds": 0.5}, subject="pack:2:all")
    assert second.id == first.id
    assert other.id != first.id
    assert jobs.wait(first.id, 15).status == jobs.DONE
    assert jobs.wait(other.id, 15).status == jobs.DONE
    # Once finished, a new submit makes a new job.
    third = _submit("test-slow", {"seconds": 0}, subject="pack:1:all")
    assert third.id != first.id
    assert jobs.wait(third.id, 15).status == jobs.DONE


def test_two_submits_racing_past_the_check_still_make_one_job(ctx, monkeypatch):
    from accredit.data.queries.operations import jobs as job_queries

    first = _submit("test-slow", {"seconds": 0.5}, subject="race:1")
    real = job_queries.active_job
    calls = []

    def misses_once(kind, subject):  # the second request looked before the first inserted
        calls.append(subject)
        return None if len(calls) == 1 else real(kind, subject)

    monkeypatch.setattr(job_queries, "active_job", misses_once)
    second = _submit("test-slow", {"seconds": 0.5}, subject="race:1")
    assert second.id == first.id and len(calls) == 2
    assert jobs.wait(first.id, 15).status == jobs.DONE


def test_a_thread_job_past_the_time_bound_fails_and_its_late_finish_is_dropped(
    ctx, settings, caplog
):
    caplog.set_level(logging.WARNING, logger="accredit.jobs")
    settings.job_timeout_seconds = 1
    job = _submit("test-slow", {"seconds": 2.5})
    deadline = time.monotonic() + 10
    while (current := jobs.wait(job.id, 0)).status == jobs.QUEUED:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert current.status == jobs.RUNNING
    while current.progress != 10:  # the handler's progress is visible while it runs
        assert time.monotonic() < deadline
        current = jobs.wait(job.id, 0)
    assert current.message == "Sleeping"

    time.sleep(1.2)
    stopped = jobs.refresh_status(current)
    assert stopped.status == jobs.FAILED
    assert stopped.error == jobs.TOO_LONG

    # The thread wakes up later and must not turn the row back into "done".
    while not any("result dropped" in r.getMessage() for r in caplog.records):
        assert time.monotonic() < deadline, "the slow job never finished"
        time.sleep(0.05)
    after = jobs.wait(job.id, 0)
    assert after.status == jobs.FAILED and after.error == jobs.TOO_LONG
    assert after.result is None and after.progress != 100


def test_scoped_lookup_hides_another_organisations_job(ctx, org, other_org):
    job = jobs.wait(_submit("test-echo", org=org).id, 15)
    own = Scope(user_id=1, role=Role.ORG_LEAD, organisation_id=org.id)
    other = Scope(user_id=2, role=Role.ORG_LEAD, organisation_id=other_org.id)
    hee = Scope(user_id=3, role=Role.HEE_ADMIN, organisation_id=None)
    mine, theirs = (
        Cohort(name=name, year=2026, standard_id="weqs", standard_version="2026.1")
        for name in ("Mine", "Theirs")
    )
    with unit_of_work():
        db.session.add_all([mine, theirs])
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=mine.id, organisation_id=org.id))
        db.session.add(CohortMembership(cohort_id=theirs.id, organisation_id=other_org.id))
    reviewer = Scope(3, Role.HEE_REVIEWER, None, frozenset({mine.id}))
    stranger = Scope(3, Role.HEE_REVIEWER, None, frozenset({theirs.id}))
    assert get_job(own, job.id).id == job.id
    assert get_job(other, job.id) is None
    assert get_job(hee, job.id).id == job.id
    assert get_job(reviewer, job.id).id == job.id
    assert get_job(stranger, job.id) is None
    assert jobs.find(other, job.id) is None
    assert jobs.find(own, job.id).status == jobs.DONE
    assert get_job(own, job.id + 1000) is None


def test_a_job_without_an_organisation_is_for_hee_admins_and_whoever_asked(ctx, org):
    job = jobs.wait(_submit("test-echo").id, 15)
    assert get_job(Scope(1, Role.ORG_LEAD, org.id), job.id) is None
    assert get_job(Scope(2, Role.HEE_ADMIN, None), job.id) is not None
    assert get_job(Scope(3, Role.HEE_REVIEWER, None), job.id) is None


def test_the_worker_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 1
    assert "ACCREDIT_REDIS_URL" in result.output


# --- RQ with a real worker process ------------------------------------------------------


def test_rq_worker_runs_jobs_to_done_or_failed(ctx, rq_settings, org):
    assert isinstance(job_backends.backend_for(rq_settings), job_backends.RQBackend)
    echo = _submit("test-echo", {"via": "rq"}, subject="rq:echo", org=org)
    fail = _submit("test-fail", {"message": "Nothing to pack."}, subject="rq:fail")
    crash = _submit("test-crash", subject="rq:crash")
    assert jobs.wait(echo.id, 0).status == jobs.QUEUED  # nothing runs it in this process

    burst(rq_settings)

    done = jobs.wait(echo.id, 5)
    assert done.status == jobs.DONE and done.progress == 100
    assert done.result == {"echo": {"via": "rq"}} and done.attempts == 1
    failed = jobs.wait(fail.id, 5)
    assert failed.status == jobs.FAILED and failed.error == "Nothing to pack."
    crashed = jobs.wait(crash.id, 5)
    assert crashed.status == jobs.FAILED and crashed.error == jobs.GENERIC_ERROR


def test_rq_runs_a_long_job_step_by_step(ctx, rq_settings):
    job = _submit("test-stepping", {"steps": 3}, subject="rq:steps")
    burst(rq_settings)  # the worker takes each next step from the queue in the same burst
    done = jobs.wait(job.id, 5)
    assert done.status == jobs.DONE and done.result == {"done": [1, 2, 3]}
    assert done.attempts == 3


def test_rq_retry_runs_the_job_again(ctx, rq_settings, tmp_path):
    marker = tmp_path / "ready"
    job = _submit("test-flaky", {"marker": str(marker)}, subject="rq:flaky")
    burst(rq_settings)
    assert jobs.wait(job.id, 5).status == jobs.FAILED
    marker.touch()
    assert jobs.retry(jobs.wait(job.id, 0)).status == jobs.QUEUED
    burst(rq_settings)
    done = jobs.wait(job.id, 5)
    assert done.status == jobs.DONE and done.attempts == 2


def test_rq_stops_a_job_past_its_time_bound_and_the_row_says_so(ctx, rq_settings):
    rq_settings.job_timeout_seconds = 2
    job = _submit("test-slow", {"seconds": 30}, subject="rq:slow")
    started = time.monotonic()
    burst(rq_settings)
    assert time.monotonic() - started < 25
    stopped = jobs.wait(job.id, 5)
    assert stopped.status == jobs.FAILED
    assert stopped.error == jobs.TOO_LONG
    assert stopped.finished_at is not None


def test_the_worker_replaces_itself_after_max_jobs(ctx, rq_settings, tmp_path):
    first = _submit("test-echo", {"n": 1}, subject="rq:recycle:1")
    second = _submit("test-echo", {"n": 2}, subject="rq:recycle:2")
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log_file:
        worker = subprocess.Popen(
            [accredit_command(), "worker"],
            cwd=ROOT,
            env=worker_env(rq_settings, ACCREDIT_WORKER_MAX_JOBS="1"),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 90
            while not all(jobs.wait(j.id, 0).status == jobs.DONE for j in (first, second)):
                assert worker.poll() is None, log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                time.sleep(0.2)
            # A job's row says "done" a moment before its worker logs that it is quitting: wait
            # for the second process to say so too, or the stop signal would beat it.
            while log_path.read_text().count("finished executing 1 jobs") < 2:
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                time.sleep(0.2)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)
    output = log_path.read_text()
    # Each process did one job, then exec'd a fresh one in its place (same pid).
    assert output.count("Recycling the worker after 1 jobs.") >= 1, output[-3000:]
    assert output.count("finished executing 1 jobs") >= 2, output[-3000:]
