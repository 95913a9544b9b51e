"""Small helpers shared by the views."""

from __future__ import annotations

from flask import current_app

from accredit.config import Settings


def settings() -> Settings:
    return current_app.extensions["accredit.settings"]
