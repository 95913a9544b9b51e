"""The app a job is submitted from or runs in: the one place the jobs capability looks it up.

Jobs have two entry points: ``jobs.submit`` (from a request, or a command, inside the app's
context) and ``runner.run`` (a pool thread or an RQ work horse, inside the app's context).
Each reads the settings read at start-up, and the app itself (the thread pool runs jobs in
it; printing needs its Jinja environment and static folder), from here; a handler is handed
them in its ``JobRun`` and passes them on, so no service beyond this package looks them up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from accredit.config import Settings

if TYPE_CHECKING:
    from flask import Flask


def settings() -> Settings:
    found: Settings = current_app.extensions["accredit.settings"]
    return found


def app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]
