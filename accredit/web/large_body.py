"""Reading a request body bigger than the app's own limit (an evidence file, a cohort CSV).

Such a view is exempt from the app-wide CSRF hook only because that hook would parse the body
first, under the app's plain limit, and answer a large file with a bare 413 page. The token is
checked here instead, before anything else reads the form, so the exemption opens nothing.
"""

from __future__ import annotations

import logging

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from accredit.extensions import csrf


def read_large_body(limit: int, log: logging.Logger, what: str) -> bool:
    """Parse the request under ``limit`` bytes; False when it is larger (logged as ``what``),
    so the view answers on its own form rather than with a bare 413 page."""
    request.max_content_length = limit
    if request.method != "POST":
        return True
    try:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        _ = request.files
    except RequestEntityTooLarge:
        log.info("Refused %s of %s bytes", what, request.content_length)
        return False
    return True
