"""Cohorts: the groups of organisations HEE supports towards accreditation."""

from accredit.web.cohorts import dashboard, exports, imports, routes, what_if  # noqa: F401
from accredit.web.cohorts.blueprint import bp

__all__ = ["bp"]
