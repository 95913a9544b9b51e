"""The signed-in person's own account: two-factor authentication (HEE staff)."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from accredit.web.account import two_factor  # noqa: E402,F401
