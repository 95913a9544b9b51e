"""Readiness reports, the action plan and evidence packs."""

from accredit.web.reports import actions, packs, routes, verify  # noqa: F401
from accredit.web.reports.blueprint import bp

__all__ = ["bp"]
