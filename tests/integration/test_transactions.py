"""The one transaction rule (accredit.data.transactions), shown end to end.

A request commits once, after its view returns a success; an exception or an error status
rolls back everything it wrote; a refused change inside a service is rolled back at once;
``commit_now`` keeps what something outside the database needed; a job's failure rolls its
writes back but records the failed status.
"""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

import tests.support.job_handlers  # noqa: F401  (registers the test-* kinds)
from accredit.data.models import AuditEvent
from accredit.data.transactions import commit_now, unit_of_work
from accredit.extensions import db
from accredit.services.jobs import jobs
from accredit.services.operations import audit
from accredit.web.access import public


class Refused(Exception):
    pass


def _write(target: str) -> None:
    """A service's write, joining whatever unit it is called in."""
    with unit_of_work():
        audit.record("test.wrote", target, logged=False)


def _refused_write(target: str) -> None:
    with unit_of_work():
        audit.record("test.wrote", target, logged=False)
        raise Refused


def _committed(target: str) -> int:
    """Events for ``target`` as another connection sees them: only what was committed."""
    assert db.engine is not None
    with Session(db.engine) as session:
        return session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.target == target))


def _views(app) -> None:
    def ok():
        _write("ok-1")
        _write("ok-2")
        return "saved"

    def raises():
        _write("raises")
        raise RuntimeError("after the service wrote")

    def error_status():
        _write("error-status")
        abort(404)

    def refused():
        _write("before-refusal")
        try:
            _refused_write("refused")
        except Refused:
            _write("after-refusal")
        return "refused, page shown again"

    def committed_then_raises():
        with commit_now():  # as before sending a mail or queuing a job
            audit.record("test.wrote", "committed-now", logged=False)
        _write("after-commit-now")
        raise RuntimeError("the mail server is down")

    for view in (ok, raises, error_status, refused, committed_then_raises):
        app.add_url_rule(f"/test-units/{view.__name__}", view.__name__, public(view))


@pytest.fixture
def units(app):
    _views(app)
    return app.test_client()


def test_a_successful_request_commits_once(units, app):
    commits: list[object] = []

    def count(connection: object) -> None:
        commits.append(connection)

    event.listen(db.engine, "commit", count)
    try:
        assert units.get("/test-units/ok").status_code == 200
    finally:
        event.remove(db.engine, "commit", count)
    assert len(commits) == 1
    assert _committed("ok-1") == 1 and _committed("ok-2") == 1


def test_a_view_that_raises_after_a_service_wrote_leaves_nothing(units, app):
    assert units.get("/test-units/raises").status_code == 500
    assert _committed("raises") == 0


def test_an_error_status_rolls_the_request_back(units, app):
    assert units.get("/test-units/error_status").status_code == 404
    assert _committed("error-status") == 0


def test_a_refused_change_is_rolled_back_with_the_unit_before_it(units, app):
    assert units.get("/test-units/refused").status_code == 200
    assert _committed("refused") == 0
    assert _committed("before-refusal") == 0  # one request, one unit: all of it or none
    assert _committed("after-refusal") == 1


def test_commit_now_keeps_what_came_before_a_failure_outside_the_database(units, app):
    assert units.get("/test-units/committed_then_raises").status_code == 500
    assert _committed("committed-now") == 1
    assert _committed("after-commit-now") == 0


def test_outside_a_request_the_services_unit_is_the_outermost_and_commits(app):
    with app.app_context():
        _write("command")
        assert _committed("command") == 1
        with unit_of_work():
            _write("inner")
            assert _committed("inner") == 0  # joined: flushed, not committed
        assert _committed("inner") == 1


def _run_job(app, **params) -> object:
    with app.app_context():
        job = jobs.submit(
            "test-write-then",
            params,
            subject=f"test:{params['target']}",
            organisation_id=None,
            requested_by_id=None,
        )
        return jobs.wait(job.id, 15)


def test_a_jobs_writes_commit_with_its_done_status(app):
    done = _run_job(app, target="job-ok")
    assert done.status == jobs.DONE and done.result == {"wrote": True}
    assert _committed("job-ok") == 1


def test_a_jobs_failure_rolls_back_its_writes_but_records_the_failure(app):
    failed = _run_job(app, target="job-failed", fail=True)
    assert failed.status == jobs.FAILED and failed.error == "Failed after writing."
    assert _committed("job-failed") == 0
