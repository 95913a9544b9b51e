"""The one transaction rule: the outermost unit of work commits, and nothing else does.

A *unit of work* is everything one caller means to happen together:

- a **request** is one unit: ``install`` opens it before the view and, after the view
  returns, commits it once when the response is a success (below 400) and rolls it back when
  the view raised or answered with an error status;
- a **background job** run is one unit (``accredit.services.jobs.runner``): the
  handler's writes commit with the "done" status, or roll back when it fails;
- a **command** (or a test, or a seed) that calls a service outside a request gets the
  service's own ``unit_of_work`` as the outermost one, so it commits there.

Services mark their writes with ``with unit_of_work():``. Inside a request, a job or another
unit the block only *joins*: it flushes at its end (so a unique or stale-version clash
surfaces inside the service, where it becomes a refusal) and never commits. When the block
raises, a refused or failed change, the whole unit is rolled back at once: a refused save
loses nothing, and leaves nothing half-written behind for the request to commit later.

What must commit on its own, for good reasons, is named here and nowhere else:

- ``commit_now``: the unit so far is committed at the end of the block, because what follows
  happens outside the database and must find the rows there (a job enqueued for a worker
  that reads its row, a mail that links to an invitation, a stored file checked against its
  committed row, files deleted only once their rows are gone), or because the write must
  survive the refusal that follows it (a sign-in attempt counted before the slow check, an
  audit event of a refused upload).
- ``own_session``: a short session beside the unit, committed alone, for writes that must be
  seen while the unit is still open (a job's progress, failing an overdue or lost job).
- ``discard``: roll back what this session holds, after a failure, or to take a fresh look
  that sees commits made meanwhile.

``tests/meta/test_transactions.py`` fails any ``.commit()`` or ``.rollback()`` elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accredit.extensions import db

#: How many units are open on a session (its ``info`` travels with it, not with the thread).
_DEPTH = "accredit.units"


def _depth(session: Session) -> int:
    depth: int = session.info.get(_DEPTH, 0)
    return depth


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Writes that belong together: committed when this is the outermost unit, flushed into
    the enclosing one otherwise; an exception rolls the whole unit back and propagates."""
    session = db.session
    outermost = _depth(session) == 0
    session.info[_DEPTH] = _depth(session) + 1
    try:
        yield session
        if outermost:
            session.commit()
        else:
            session.flush()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info[_DEPTH] = _depth(session) - 1


@contextmanager
def commit_now() -> Iterator[Session]:
    """Like ``unit_of_work``, but commit at the end of the block even inside a request or a
    job: for writes that something outside the database, done next, depends on (see the
    module's docstring). Everything the unit wrote before is committed with them."""
    with unit_of_work() as session:
        yield session
    session.commit()


@contextmanager
def own_session() -> Iterator[Session]:
    """A short session of its own, committed when the block succeeds, whatever the caller's
    unit does: for writes a waiting page must see before the unit ends. On SQLite it waits
    for a write lock the caller's unit holds, so call it before the unit writes, or after
    ``commit_now``."""
    with Session(engine()) as session:
        yield session
        session.commit()


def discard() -> None:
    """Roll back what the session holds uncommitted: after a failure (a database error leaves
    the transaction unusable on PostgreSQL), or for a fresh look at commits made meanwhile."""
    db.session.rollback()


def engine() -> Engine:
    if db.engine is None:
        raise RuntimeError("Database is not configured: call init_app first")
    return db.engine


def install(app: Any) -> None:
    """Make every request of ``app`` one unit of work (registered before any other hook)."""

    @app.before_request
    def _open_request_unit() -> None:
        db.session.info[_DEPTH] = 1

    @app.after_request
    def _end_request_unit(response: Any) -> Any:
        session = db.session
        if session.info.pop(_DEPTH, 0):
            if response.status_code < 400:
                session.commit()
            else:
                # Closing rolls the transaction back, and leaves what was loaded readable
                # (detached, not expired) for anything that still holds it.
                session.close()
        return response

    @app.teardown_request
    def _abandon_request_unit(exc: BaseException | None) -> None:
        # Only when the view raised past every error handler: after_request never ran.
        session = db.session
        if session.info.pop(_DEPTH, 0):
            session.rollback()
