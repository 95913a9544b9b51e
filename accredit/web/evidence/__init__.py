"""The evidence library: an organisation's documents, links and statements."""

from accredit.web.evidence import routes  # noqa: F401
from accredit.web.evidence.blueprint import bp

__all__ = ["bp"]
