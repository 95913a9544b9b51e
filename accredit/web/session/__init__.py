"""The signed-in session itself: keeping it alive from the timeout warning."""

from flask import Blueprint

bp = Blueprint("session", __name__)

from accredit.web.session import routes  # noqa: E402,F401
