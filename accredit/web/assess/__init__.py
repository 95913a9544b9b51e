"""The self-assessment journey: profile, task list, question pages, check answers, submit."""

from flask import Blueprint

bp = Blueprint("assess", __name__)

from accredit.web.assess import (  # noqa: E402,F401
    collaboration,
    display,
    profile,
    questions,
    routes,
    submission,
)
