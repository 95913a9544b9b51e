"""People: changing someone's role or access (organisation leads for their organisation, HEE
admins for everyone), and the list of HEE staff."""

from accredit.web.people import routes  # noqa: F401
from accredit.web.people.blueprint import bp

__all__ = ["bp"]
