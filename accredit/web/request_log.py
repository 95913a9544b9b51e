"""A request id for every request, and one access line in the log when it ends.

The id is the thread that joins a user's report ("Reference: ...", shown on error pages) to
the log lines written while their request ran. A proxy or load balancer may already have
given the request one: we keep it when it is a short safe token, so one id follows the
request through every hop, and make our own otherwise.
"""

from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Flask, Response, g, has_request_context, request

from accredit.logs import redact_path

log = logging.getLogger("accredit.access")
HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
#: Probes from a load balancer every few seconds would drown the log at INFO.
QUIET_ENDPOINTS = frozenset({"health.healthz", "health.readyz"})


def current_request_id() -> str:
    """This request's id, made on first use: an error raised before our hooks ran still has
    one to show."""
    if "request_id" not in g:
        offered = request.headers.get(HEADER, "")
        g.request_id = offered if _SAFE_ID.match(offered) else secrets.token_hex(8)
    return str(g.request_id)


def register_request_log(app: Flask) -> None:
    @app.before_request
    def start_request() -> None:
        g.request_started = time.perf_counter()
        # A fresh id even if ``g`` outlived its request (a streamed response not yet closed
        # keeps its context, and the next request may find it).
        g.pop("request_id", None)
        current_request_id()

    @app.after_request
    def access_line(response: Response) -> Response:
        request_id = current_request_id()
        response.headers[HEADER] = request_id
        started = g.get("request_started")
        duration = (time.perf_counter() - started) * 1000 if started is not None else None
        # The route rule (/invitations/<token>), not the raw path, so tokens never reach the
        # log; the path is kept, redacted, for URLs no rule matched.
        route = request.url_rule.rule if request.url_rule is not None else None
        log.log(
            logging.DEBUG if request.endpoint in QUIET_ENDPOINTS else logging.INFO,
            "%s %s %s",
            request.method,
            route or redact_path(request.path),
            response.status_code,
            extra={
                "method": request.method,
                "route": route,
                "path": redact_path(request.path),
                "status": response.status_code,
                "duration_ms": round(duration, 1) if duration is not None else None,
            },
        )
        return response


def request_reference() -> dict[str, object]:
    """The request id, for error pages to show as a reference a user can quote."""
    return {"request_id": current_request_id() if has_request_context() else None}
