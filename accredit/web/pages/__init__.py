"""Start page, home and the public information pages."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from accredit.web.pages import routes  # noqa: E402,F401
