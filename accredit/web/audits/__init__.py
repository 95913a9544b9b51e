"""Random audits: HEE admins draw accredited organisations for audit and record what it found."""

from flask import Blueprint

bp = Blueprint("audits", __name__)

from accredit.web.audits import routes  # noqa: E402,F401
