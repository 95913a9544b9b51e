"""NHS-styled error pages, one template per status, and the expired-form page."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from accredit.data.transactions import discard
from accredit.web.keep_typed import keep_typed_answers

log = logging.getLogger("accredit.errors")
PAGES = {400, 403, 404, 405, 410, 413, 429, 500}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def expired_form(error: CSRFError) -> Any:
        log.info("Refused a form: %s", error.description)
        kept = keep_typed_answers()
        if kept is not None:
            return kept
        return render_template("errors/expired-form.html", reason=error.description), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        template = f"errors/{code}.html" if code in PAGES else "errors/generic.html"
        return render_template(template, error=error), code

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        # Before rendering: a failed statement leaves PostgreSQL's transaction unusable.
        discard()
        log.exception("Unhandled error", exc_info=error)
        return render_template("errors/500.html"), 500
