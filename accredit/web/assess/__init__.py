"""The self-assessment journey: profile, task list, question pages, check answers, submit."""

from accredit.web.assess import (  # noqa: F401
    collaboration,
    display,
    profile,
    questions,
    routes,
    submission,
)
from accredit.web.assess.blueprint import bp

__all__ = ["bp"]
