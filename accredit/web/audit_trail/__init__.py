"""The audit trail viewer: HEE admins filter, read and export who changed what, and when."""

from accredit.web.audit_trail import routes  # noqa: F401
from accredit.web.audit_trail.blueprint import bp

__all__ = ["bp"]
