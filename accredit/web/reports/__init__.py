"""Readiness reports, the action plan and evidence packs."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from accredit.web.reports import actions, packs, routes, verify  # noqa: E402,F401
