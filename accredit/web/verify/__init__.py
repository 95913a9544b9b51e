"""Verifying a pack or a fingerprint (HEE staff): is it one the service made?"""

from accredit.web.verify import routes  # noqa: F401
from accredit.web.verify.blueprint import bp

__all__ = ["bp"]
