"""The action plan of an assessment: an action for each blocker, edited, removed, exported."""

from accredit.web.action_plan import routes  # noqa: F401
from accredit.web.action_plan.blueprint import bp

__all__ = ["bp"]
