"""What a background job's handler takes from the app it runs in: the settings read at
start-up, and the app itself (for its Jinja environment and static folder when printing).

The job runner (``jobs.run``) calls a handler with ``(params, progress)`` inside the app's
context and hands it nothing more. Until the runner hands these over itself, this is the one
place a service looks them up; everything a handler calls is given them as arguments.
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
