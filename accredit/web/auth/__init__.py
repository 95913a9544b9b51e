"""Signing in and out, invitations and password reset."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from accredit.web.auth import routes, two_factor  # noqa: E402,F401
