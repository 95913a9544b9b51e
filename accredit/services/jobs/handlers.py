"""What a background job runs: handlers registered by kind, the progress they report and the
failures they may explain.

Handlers are plain functions registered by kind, in modules that ``BUILTIN_JOB_MODULES`` or
``ACCREDIT_JOB_MODULES`` name so that an RQ worker imports them too. A handler gets the job's
params and a ``JobRun`` (its progress, the settings and the app it runs in), finds its own data
through ``db.session`` and returns a JSON-able dict (``runner`` decides what is committed).
Raise ``JobError`` for a failure the user should read; anything else is logged and shown as a
plain "try again".
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from accredit.config import Settings
from accredit.data.queries.operations import jobs as queries
from accredit.data.transactions import own_session

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger("accredit.jobs")

#: Modules that register the app's own job kinds; every process that submits or runs jobs
#: imports them (``ACCREDIT_JOB_MODULES`` adds more, such as the tests' handlers).
BUILTIN_JOB_MODULES: tuple[str, ...] = (
    "accredit.services.reports.packs",
    "accredit.services.cohorts.exports",
    "accredit.services.cohorts.exports_packs",
    "accredit.services.cohorts.import_invitations",
)

GENERIC_ERROR = "Something went wrong making this. Try again."
TOO_LONG = "This took too long and was stopped. Try again."


class Continue(Exception):
    """A handler has done one step of a long job and asks to be run again, so no single run
    comes near the job time bound. ``state`` (JSON-able) is kept in the job's params under
    ``resume`` and handed to the next step; the job stays "running" for its pages."""

    def __init__(self, state: dict[str, Any]) -> None:
        super().__init__("continues in another step")
        self.state = state


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
            with own_session() as session:
                queries.set_progress(session, self.job_id, self.attempt, percent, message)
        except SQLAlchemyError:
            log.warning("Could not record progress of job %s", self.job_id, exc_info=True)


class ReportsProgress(Protocol):
    def __call__(self, percent: int, message: str = "") -> None: ...


@dataclass(frozen=True, slots=True)
class JobRun:
    """What the runner hands a handler beside its params: where to report progress, the
    settings read at start-up, and the app it runs in (printing needs its templates)."""

    progress: ReportsProgress
    settings: Settings
    app: Flask


Handler = Callable[[dict[str, Any], JobRun], dict[str, Any]]
_handlers: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """Make ``handler`` run jobs of ``kind`` (at import of the module that defines it)."""
    if not kind or len(kind) > 32:
        raise ValueError(f"A job kind is 1 to 32 characters: {kind!r}")
    _handlers[kind] = handler


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)


def load_job_modules(settings: Settings | None) -> None:
    """Import the modules that register job kinds (cheap after the first time)."""
    extra = settings.job_modules if settings is not None else ()
    for name in (*BUILTIN_JOB_MODULES, *extra):
        importlib.import_module(name)
