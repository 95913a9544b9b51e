"""Probes for a load balancer or orchestrator: is the process up, and can it serve?"""

from flask import Blueprint

bp = Blueprint("health", __name__)

from accredit.web.health import routes  # noqa: E402,F401
