"""The signed-in person's own account: two-factor authentication (HEE staff)."""

from accredit.web.account import two_factor  # noqa: F401
from accredit.web.account.blueprint import bp

__all__ = ["bp"]
