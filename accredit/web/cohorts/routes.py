"""Cohort pages: the list for HEE staff; creating and editing for HEE admins."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from accredit.data.models import Cohort, StandardVersion
from accredit.data.queries.accounts.organisations import regions
from accredit.data.queries.cohorts import cohorts as queries
from accredit.data.queries.operations.standards import standard_versions
from accredit.forms.cohorts.cohorts import CohortForm
from accredit.services.cohorts import cohorts
from accredit.services.cohorts.cohorts import CohortDetails, CohortRefused
from accredit.web.access import current_scope, hee_admin_only, hee_only
from accredit.web.cohorts.blueprint import bp
from accredit.web.helpers import cohort_or_404, signed_in_user
from accredit.web.keep_typed import keeps_typed, restore


@bp.route("/cohorts")
@hee_only
def index() -> str:
    return render_template("cohorts/index.html", rows=queries.cohorts_with_sizes(current_scope()))


def _form(cohort: Cohort | None) -> CohortForm:
    data = None
    if cohort is not None:
        data = {
            "name": cohort.name,
            "year": cohort.year,
            "region": cohort.region.code if cohort.region else "",
            "standard": f"{cohort.standard_id}@{cohort.standard_version}",
            "deadline": cohort.deadline,
        }
    form = CohortForm(data=data)
    form.region.choices = [SelectChoice("", "All regions")] + [
        SelectChoice(r.code, r.name) for r in regions()
    ]
    current = (cohort.standard_id, cohort.standard_version) if cohort is not None else None
    form.standard.choices = [SelectChoice("", "Choose a standard")] + [
        SelectChoice(f"{s.standard_id}@{s.version}", _standard_label(s))
        for s in standard_versions()
        if s.status == "published" or (s.standard_id, s.version) == current
    ]
    restore(form)  # what was typed before the form or the session expired, if anything
    return form


def _standard_label(s: StandardVersion) -> str:
    """A superseded version is listed only for the cohort already on it, and says so."""
    label = f"{s.title}, version {s.version}"
    return label if s.status == "published" else f"{label} ({s.status})"


def _page(form: CohortForm, cohort: Cohort | None) -> str | Response:
    if form.validate_on_submit():
        standard_id, _, version = (form.standard.data or "").partition("@")
        details = CohortDetails(
            name=form.name.data or "",
            year=int(form.year.data or 0),
            region_code=form.region.data or None,
            standard_id=standard_id,
            standard_version=version,
            deadline=form.deadline.data,
        )
        try:
            saved = cohorts.save(signed_in_user(), details, cohort)
        except CohortRefused as refused:
            getattr(form, refused.field).errors.append(str(refused))
        else:
            flash(f"{saved.name} saved", "success")
            return redirect(url_for("cohorts.index"))
    return render_template("cohorts/form.html", form=form, cohort=cohort)


@bp.route("/cohorts/new", methods=["GET", "POST"])
@keeps_typed("cohorts.new")
@hee_admin_only
def new() -> str | Response:
    return _page(_form(None), None)


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@keeps_typed("cohorts.edit")
@hee_admin_only
def edit(cohort_id: int) -> str | Response:
    cohort = cohort_or_404(cohort_id)
    return _page(_form(cohort), cohort)
