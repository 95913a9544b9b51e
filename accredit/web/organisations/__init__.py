"""Organisations: the HEE list, an organisation's page, and inviting people."""

from accredit.web.organisations import awards, removal, routes  # noqa: F401
from accredit.web.organisations.blueprint import bp

__all__ = ["bp"]
