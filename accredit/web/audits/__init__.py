"""Random audits: HEE admins draw accredited organisations for audit and record what it found."""

from accredit.web.audits import routes  # noqa: F401
from accredit.web.audits.blueprint import bp

__all__ = ["bp"]
