"""Evidence kinds and the rules for links and statements. Pure Python.

The form and the service both check a link with ``link_problem`` so the message a user sees
and the rule the service enforces cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit

from accredit.domain.scoring.standard import EVIDENCE, QuestionType, Standard

TITLE_MAX = 200
DESCRIPTION_MAX = 2000
STATEMENT_MAX = 10_000
URL_MAX = 2000


class EvidenceKind(StrEnum):
    FILE = "file"
    LINK = "link"
    STATEMENT = "statement"


def link_problem(url: str) -> str | None:
    """Why ``url`` cannot be kept as evidence, or None when it can.

    Only http and https: a ``javascript:`` or ``data:`` address shown as a link on the
    details page would run in our origin when an assessor clicks it.
    """
    url = url.strip()
    if not url:
        return "Enter the web address"
    if len(url) > URL_MAX:
        return f"The web address must be {URL_MAX} characters or fewer"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "Enter a web address in the correct format, like https://www.example.nhs.uk/policy"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in url:
        return "Enter a web address in the correct format, like https://www.example.nhs.uk/policy"
    return None


def is_evidence_key(standard: Standard, key: str) -> bool:
    """Whether an answer key holds evidence item ids: a criterion's "<id>/evidence", or an
    evidence question."""
    if key.endswith("/" + EVIDENCE):
        return True
    try:
        return standard.question(key).type is QuestionType.EVIDENCE
    except KeyError:
        return False
