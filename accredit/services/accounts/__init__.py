"""Accounts and people: signing in (throttle, two-factor, password reset), invitations, people
and their roles, organisations and their deletion.
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "accounts",
    "invitations",
    "organisation_removal",
    "organisations",
    "password_reset",
    "passwords",
    "people",
    "signing_in",
    "two_factor",
]
