"""The public register: find an accredited organisation, without signing in."""

from accredit.web.register import routes  # noqa: F401
from accredit.web.register.blueprint import bp

__all__ = ["bp"]
