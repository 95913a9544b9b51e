"""Probes for a load balancer or orchestrator: is the process up, and can it serve?"""

from accredit.web.health import routes  # noqa: F401
from accredit.web.health.blueprint import bp

__all__ = ["bp"]
