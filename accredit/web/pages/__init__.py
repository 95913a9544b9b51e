"""Start page, home and the public information pages."""

from accredit.web.pages import routes  # noqa: F401
from accredit.web.pages.blueprint import bp

__all__ = ["bp"]
