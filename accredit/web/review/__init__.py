"""HEE review of submitted self-assessments: judge each criterion, return or accept."""

from flask import Blueprint

bp = Blueprint("review", __name__)

from accredit.web.review import routes  # noqa: E402,F401
