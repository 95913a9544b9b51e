"""The evidence library: an organisation's documents, links and statements."""

from flask import Blueprint

bp = Blueprint("evidence", __name__)

from accredit.web.evidence import routes  # noqa: E402,F401
