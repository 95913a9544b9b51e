"""The audit trail viewer: HEE admins filter, read and export who changed what, and when."""

from flask import Blueprint

bp = Blueprint("audit_trail", __name__)

from accredit.web.audit_trail import routes  # noqa: E402,F401
