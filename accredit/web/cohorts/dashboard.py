"""A cohort's dashboard and its organisations table, for HEE staff who may see the cohort."""

from __future__ import annotations

from flask import render_template, request

from accredit.domain.accounts.organisations import Role
from accredit.domain.cohorts.dashboard import Sort
from accredit.services.assessments import activity_totals
from accredit.services.cohorts import dashboard as dashboards
from accredit.services.cohorts import what_if
from accredit.services.review import award_warnings, moderation
from accredit.web.access import current_scope, hee_only
from accredit.web.cohorts.blueprint import bp
from accredit.web.helpers import cohort_or_404, settings


@bp.route("/cohorts/<int:cohort_id>")
@hee_only
def dashboard(cohort_id: int) -> str:
    view = dashboards.build(current_scope(), cohort_or_404(cohort_id), request.args.to_dict())
    return render_template(
        "cohorts/dashboard.html",
        view=view,
        endpoint="cohorts.dashboard",
        sorts=Sort,
        moderation=moderation.for_cohort(current_scope(), view.cohort),
        accreditation=award_warnings.build(current_scope(), view.cohort, settings()),
        activity=activity_totals.build(
            current_scope(), view.cohort, request.args.get("activity_year"), settings()
        ),
        # What-if links for HEE admins: the newer published versions of the cohort's standard.
        newer_versions=(
            what_if.newer_versions(view.cohort) if current_scope().role is Role.HEE_ADMIN else ()
        ),
    )


@bp.route("/cohorts/<int:cohort_id>/organisations")
@hee_only
def organisations(cohort_id: int) -> str:
    view = dashboards.table_view(current_scope(), cohort_or_404(cohort_id), request.args.to_dict())
    return render_template(
        "cohorts/organisations.html", view=view, endpoint="cohorts.organisations", sorts=Sort
    )
