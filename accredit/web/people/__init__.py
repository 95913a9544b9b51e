"""People: changing someone's role or access (organisation leads for their organisation, HEE
admins for everyone), and the list of HEE staff."""

from flask import Blueprint

bp = Blueprint("people", __name__)

from accredit.web.people import routes  # noqa: E402,F401
