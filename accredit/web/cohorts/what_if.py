"""What if this cohort moved to a newer version of its standard: for HEE admins only."""

from __future__ import annotations

from flask import render_template, request

from accredit.services.cohorts import what_if
from accredit.services.cohorts.what_if import WhatIfRefused
from accredit.web.access import current_scope, hee_admin_only
from accredit.web.cohorts.blueprint import bp
from accredit.web.helpers import cohort_or_404


@bp.route("/cohorts/<int:cohort_id>/what-if", endpoint="what_if")
@hee_admin_only
def what_if_page(cohort_id: int) -> tuple[str, int]:
    """The newer published versions to choose from; once one is chosen (`?version=`), every
    current assessment rescored under it. A GET: it changes nothing."""
    cohort = cohort_or_404(cohort_id)
    versions = what_if.newer_versions(cohort)
    chosen = request.args.get("version")
    result, error = None, None
    if chosen is not None:
        try:
            new = what_if.newer_version(cohort, chosen)
        except WhatIfRefused as refused:
            error = str(refused)
        else:
            result = what_if.simulate_cohort(current_scope(), cohort, new)
    page = render_template(
        "cohorts/what-if.html",
        cohort=cohort,
        versions=versions,
        chosen=chosen,
        result=result,
        error=error,
    )
    return page, 400 if error else 200
