"""The signed-in session itself: keeping it alive from the timeout warning."""

from accredit.web.session import routes  # noqa: F401
from accredit.web.session.blueprint import bp

__all__ = ["bp"]
