"""``/healthz`` (the process answers) and ``/readyz`` (its database, queue and storage do).

Both are public and cheap: no sign-in, no session, no cookie, no template. ``/healthz`` does
not touch the database, so a database outage does not get every process restarted.
"""

from __future__ import annotations

from flask import Response, jsonify

from accredit.services.operations.health import readiness
from accredit.web.access import public
from accredit.web.health.blueprint import bp
from accredit.web.helpers import settings


@bp.route("/healthz")
@public
def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain")


@bp.route("/readyz")
@public
def readyz() -> tuple[Response, int]:
    outcome = readiness(settings())
    body: dict[str, object] = {
        "status": "ready" if outcome.ready else "unavailable",
        "checks": outcome.checks,
    }
    if not outcome.ready:
        body["failing"] = outcome.failing
    return jsonify(body), 200 if outcome.ready else 503
