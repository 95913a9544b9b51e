"""Readiness reports and evidence packs."""

from accredit.web.reports import packs, routes  # noqa: F401
from accredit.web.reports.blueprint import bp

__all__ = ["bp"]
