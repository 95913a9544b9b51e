"""Old addresses that people may have bookmarked, each answering a permanent redirect to the
page's new address (rule 3 of STYLE.md: blueprint, endpoint, template and URL agree).

A redirect reveals nothing and changes nothing, so every one is public and exempt from the
CSRF check (it never reads the body): the new address checks who may use it. A GET answers
301; anything else 308, so the browser posts the same body again to the new address. The query
string goes along (the audit trail's filters live there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, request, url_for
from werkzeug.wrappers import Response

from accredit.extensions import csrf
from accredit.web.access import public
from accredit.web.cohorts.exports import TABLE

bp = Blueprint("moved", __name__)
csrf.exempt(bp)

ASSESSMENT = "/assessments/<int:assessment_id>"
COHORT = "/cohorts/<int:cohort_id>"

#: Old URL rule, the endpoint now serving it, and the methods the old URL answered.
MOVES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("/organisations/<int:organisation_id>/assessment", "assess.start", ("GET",)),
    (f"{ASSESSMENT}/actions", "action_plan.create_action", ("POST",)),
    (f"{ASSESSMENT}/actions/<int:action_id>", "action_plan.edit_action", ("GET", "POST")),
    (f"{ASSESSMENT}/actions/<int:action_id>/remove", "action_plan.remove_action", ("POST",)),
    (f"{COHORT}/import", "cohorts.new_import", ("GET", "POST")),
    (f"{COHORT}/export/{TABLE}.csv", "cohorts.export_csv", ("GET",)),
    (f"{COHORT}/export/{TABLE}.xlsx", "cohorts.export_xlsx", ("POST",)),
    (f"{COHORT}/export/packs.zip", "cohorts.export_packs", ("POST",)),
    ("/audit", "audit_trail.index", ("GET",)),
    ("/audit/events/<int:event_id>", "audit_trail.event", ("GET",)),
    ("/audit/export.csv", "audit_trail.export_csv", ("GET",)),
)


def old_endpoint(new_endpoint: str) -> str:
    """The endpoint of the redirect from a page's old address (its tests find them by it)."""
    return f"{bp.name}.{new_endpoint.replace('.', '_')}"


def _redirect_to(endpoint: str) -> Callable[..., Response]:
    def moved(**values: Any) -> Response:
        target = url_for(endpoint, **values)
        if request.query_string:
            target = f"{target}?{request.query_string.decode('ascii', 'replace')}"
        return redirect(target, 301 if request.method in ("GET", "HEAD") else 308)

    return public(moved)


for _old, _endpoint, _methods in MOVES:
    bp.add_url_rule(
        _old,
        endpoint=old_endpoint(_endpoint).removeprefix(f"{bp.name}."),
        view_func=_redirect_to(_endpoint),
        methods=list(_methods),
    )
