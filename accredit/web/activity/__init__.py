"""The annual activity return: an organisation's figures for each financial year."""

from accredit.web.activity import routes  # noqa: F401
from accredit.web.activity.blueprint import bp

__all__ = ["bp"]
