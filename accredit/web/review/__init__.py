"""HEE review of submitted self-assessments: judge each criterion, return or accept."""

from accredit.web.review import routes  # noqa: F401
from accredit.web.review.blueprint import bp

__all__ = ["bp"]
