"""Cohorts: the groups of organisations HEE supports towards accreditation."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__)

from accredit.web.cohorts import dashboard, exports, imports, routes, what_if  # noqa: E402,F401
