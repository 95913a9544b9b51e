"""Signing in and out, invitations and password reset."""

from accredit.web.auth import routes, two_factor  # noqa: F401
from accredit.web.auth.blueprint import bp

__all__ = ["bp"]
