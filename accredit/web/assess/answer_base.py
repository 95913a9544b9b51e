"""The answers a question page was opened with (its base), carried signed in the page.

A save merges against the base (see `accredit.domain.scoring.merge`), so a colleague's save in
the meantime is noticed rather than overwritten. It is signed so that a page cannot claim a
base the server never gave out.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from accredit.domain.scoring.merge import Stored
from accredit.forms.assessments.questions import CriterionPage
from accredit.services.assessments.workspace import Workspace
from accredit.web.helpers import settings


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(settings().secret_key, salt="answers-base")


def token(workspace: Workspace, page: CriterionPage) -> str:
    """The base of `page` as the answers stand in `workspace`, signed."""
    versions = workspace.versions
    return str(
        _signer().dumps(
            {
                k: [versions[k].version, versions[k].value]
                for k in page.answer_keys()
                if k in versions
            }
        )
    )


def read(signed: str) -> dict[str, Stored] | None:
    """The base a page posted, or None when it is missing or not one we signed."""
    try:
        raw = _signer().loads(signed)
    except BadSignature:
        return None
    if raw is None:
        return None
    return {k: Stored(int(v[0]), v[1]) for k, v in raw.items()}
