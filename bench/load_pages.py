"""What the simulated people send, and what their requests are called in the figures.

Shared by the locustfile and the tests, which check against the real app that these forms save
and these pages say what the load test expects (importing Locust itself would patch the test
process with gevent, so none of this imports it).
"""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BASE = re.compile(r'name="base" value="([^"]+)"')
#: The banner after "Save and come back later", on the task list.
SAVED = "Your answers have been saved"
#: What a question page shows whatever it asks.
QUESTION_PAGE = "Save and continue"
CRITERIA = ("1.1", "1.4")  # asked of every type of organisation, whatever its profile


def token(page: str, pattern: re.Pattern[str] = TOKEN) -> str:
    found = pattern.search(page)
    return found.group(1) if found else ""


def criterion_for(n: int) -> str:
    return CRITERIA[n % 2]


def answer_form(page: str, n: int) -> dict[str, str]:
    """Save number `n`'s form (criterion `criterion_for(n)`), as a browser with our script
    sends it.

    Answers change from one save to the next (the sponsor's role carries `n`), so every save
    writes; half come back later (task list and banner), half continue to the next page.
    """
    answers = {
        "1.1": {"q1": "yes", "q2": f"Work experience lead {n}", "q3": ("yes", "no")[n // 2 % 2]},
        "1.4": {
            "q1": "yes",
            "q2": f"Director of workforce {n}",
            "q3": ("yearly_or_more", "less_often")[n // 2 % 2],
        },
    }[criterion_for(n)]
    return {
        "csrf_token": token(page),
        "base": token(page, BASE),
        "scripted": "yes",
        "action": "later" if comes_back_later(n) else "continue",
        **answers,
    }


def comes_back_later(n: int) -> bool:
    return n % 4 < 2


def request_name(url: str) -> str:
    """A URL's name in the figures: ids, criteria and sections as placeholders, no query."""
    path = url.split("://", 1)[1] if "://" in url else url
    if "://" in url:
        path = "/" + path.partition("/")[2]
    path = path.split("?", 1)[0]
    path = re.sub(r"/criteria/[^/]+", "/criteria/[c]", path)
    path = re.sub(r"/sections/[^/]+", "/sections/[s]", path)
    return re.sub(r"/\d+(?=/|$)", "/[id]", path)
