"""Job kinds for the job tests, registered on import.

The test process imports this module directly; an ``accredit worker`` started by a test finds
it through ``ACCREDIT_JOB_MODULES=tests.support.job_handlers``.
"""

from __future__ import annotations

import time
from typing import Any

from accredit.services.jobs.handlers import Continue, JobError, JobRun, register


def echo(params: dict[str, Any], run: JobRun) -> dict[str, Any]:
    run.progress(50, "Halfway")
    return {"echo": params}


def fail(params: dict[str, Any], run: JobRun) -> dict[str, Any]:
    raise JobError(str(params.get("message", "The pack has no evidence yet.")))


def crash(params: dict[str, Any], run: JobRun) -> dict[str, Any]:
    raise RuntimeError("internal detail a user must never see")


def slow(params: dict[str, Any], run: JobRun) -> dict[str, Any]:
    run.progress(10, "Sleeping")
    time.sleep(float(params.get("seconds", 3)))
    return {"slept": params.get("seconds", 3)}


def flaky(params: dict[str, Any], run: JobRun) -> dict[str, Any]:
    """Fails while the marker file named in params does not exist (for retry)."""
    from pathlib import Path

    if not Path(params["marker"]).exists():
        raise JobError("Not ready yet.")
    return {"ok": True}


def write_then(params: dict[str, Any], run: JobRun) -> dict[str, Any]:
    """Writes an audit event, then fails when asked (the job unit's tests)."""
    from accredit.services.operations import audit

    audit.record("test.job-wrote", str(params["target"]), logged=False)
    if params.get("fail"):
        raise JobError("Failed after writing.")
    return {"wrote": True}


def stepping(params: dict[str, Any], run: JobRun) -> dict[str, Any]:
    """Counts to ``steps``, one step per run, keeping its count between runs."""
    done = (params.get("resume") or {}).get("done", [])
    run.progress(100 * len(done) // params["steps"], f"Step {len(done) + 1}")
    done = [*done, len(done) + 1]
    if len(done) < params["steps"]:
        raise Continue({"done": done})
    return {"done": done}


register("test-echo", echo)
register("test-stepping", stepping)
register("test-fail", fail)
register("test-crash", crash)
register("test-slow", slow)
register("test-flaky", flaky)
register("test-write-then", write_then)
