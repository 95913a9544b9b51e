"""Activity return pages. Organisation staff edit their drafts (the lead submits); HEE staff
who may see the organisation read its returns. Another organisation's URL answers 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from accredit.data.models import ActivityReturn, Organisation
from accredit.data.queries.assessments import activity_returns as queries
from accredit.domain.assessments import activity_return as domain
from accredit.forms.assessments.activity_return import ActivityReturnForm, EarlierYearForm
from accredit.services.assessments import activity_returns as returns
from accredit.web.access import current_scope, org_staff, signed_in
from accredit.web.activity.blueprint import bp
from accredit.web.helpers import organisation_or_404, signed_in_user
from accredit.web.keep_typed import keeps_typed, restore

BASE = "/organisations/<int:organisation_id>/activity-returns"


def _year_or_404(year: int) -> int:
    if year not in domain.open_years(date.today()):
        abort(404)
    return year


@bp.route(BASE, endpoint="returns")
@signed_in
def returns_page(organisation_id: int) -> str:
    organisation = organisation_or_404(organisation_id)
    existing = queries.organisation_returns(current_scope(), organisation.id)
    started = {r.year for r in existing}
    years = domain.open_years(date.today())
    return render_template(
        "activity/returns.html",
        organisation=organisation,
        returns=existing,
        names=queries.user_names([r.submitted_by_id for r in existing]),
        this_year=years[-1],
        this_year_started=years[-1] in started,
        earlier=[y for y in reversed(years[:-1]) if y not in started],
        can_edit=returns.can_edit(signed_in_user().role),
        domain=domain,
    )


@bp.route(f"{BASE}/start")
@signed_in
def start(organisation_id: int) -> Response:
    """Where the "start an earlier year" choice goes: on to that year's page."""
    organisation = organisation_or_404(organisation_id)
    year = EarlierYearForm(request.args).chosen(domain.open_years(date.today()))
    if year is None:
        flash("Choose a year from the list", "error")
        return redirect(url_for("activity.returns", organisation_id=organisation.id))
    return redirect(url_for("activity.year", organisation_id=organisation.id, year=year))


def _render(
    organisation: Organisation,
    year: int,
    record: ActivityReturn | None,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    version: int | None = None,
    clash: dict[str, Any] | None = None,
) -> str:
    form = ActivityReturnForm()
    form.version.data = str(version if version is not None else (record.version if record else 0))
    role = signed_in_user().role
    submitted = record is not None and record.status == domain.SUBMITTED
    ids = [record.submitted_by_id, record.updated_by_id] if record is not None else []
    return render_template(
        "activity/year.html",
        organisation=organisation,
        year=year,
        record=record,
        submitted=submitted,
        editable=returns.can_edit(role) and not submitted,
        can_submit=returns.can_submit(role),
        form=form,
        values=values,
        errors=errors or {},
        page_error=bool(errors),
        clash=clash,
        names=queries.user_names(ids),
        domain=domain,
    )


@bp.route(f"{BASE}/<int:year>")
@signed_in
def year(organisation_id: int, year: int) -> str:
    organisation = organisation_or_404(organisation_id)
    _year_or_404(year)
    record = queries.return_for(current_scope(), organisation.id, year)
    kept = ActivityReturnForm()
    if restore(kept):  # typed before the form or the session expired
        # The version the page was first opened at, so a colleague's save meanwhile shows.
        opened = kept.opened_at()
        return _render(organisation, year, record, values=kept.typed(), version=opened)
    values = domain.as_text(record.figures if record else {})
    return _render(organisation, year, record, values=values)


@bp.route(f"{BASE}/<int:year>", methods=["POST"])
@keeps_typed("activity.year")
@org_staff
def save(organisation_id: int, year: int) -> tuple[str, int] | Response:
    organisation = organisation_or_404(organisation_id)
    _year_or_404(year)
    form = ActivityReturnForm()
    if not form.validate_on_submit():
        abort(400)
    typed = form.typed()
    submit = form.submitting
    opened = form.opened_at()
    scope = current_scope()
    try:
        saved = returns.save(
            scope,
            signed_in_user(),
            organisation.id,
            year,
            typed,
            version=opened if opened is not None else -1,
            submit=submit,
        )
    except returns.ReturnRefused as refused:
        flash(str(refused), "error")
        record = queries.return_for(scope, organisation.id, year)
        if record is not None and record.status == domain.SUBMITTED:
            return redirect(url_for("activity.year", organisation_id=organisation.id, year=year))
        return _render(organisation, year, record, values=typed, version=opened), 400
    except returns.ReturnInvalid as invalid:
        record = queries.return_for(scope, organisation.id, year)
        page = _render(
            organisation, year, record, values=typed, errors=invalid.errors, version=opened
        )
        return page, 400
    except returns.StaleReturn as stale:
        clash = _clash(organisation, year, stale, typed)
        return clash if isinstance(clash, Response) else (clash, 409)
    label = domain.year_label(year)
    if submit:
        flash(f"Activity return for {label} submitted", "success")
        return redirect(url_for("activity.year", organisation_id=organisation.id, year=year))
    flash(f"Activity return for {label} saved as a draft", "success")
    return redirect(url_for("activity.year", organisation_id=organisation.id, year=saved.year))


def _clash(
    organisation: Organisation, year: int, stale: returns.StaleReturn, typed: dict[str, str]
) -> str | Response:
    """A colleague saved first: show what they saved beside what this person typed, with the
    form still holding what was typed (and now the colleague's version, to save over it)."""
    current = stale.current
    if current is not None and current.status == domain.SUBMITTED:
        flash("A colleague submitted this return while you were editing it", "error")
        return redirect(url_for("activity.year", organisation_id=organisation.id, year=year))
    figures, _ = domain.validate(typed)
    changed = returns.differences(current, figures)
    saved_by = queries.user_names([current.updated_by_id]) if current is not None else {}
    clash = {
        "reason": stale.reason,
        "changed": [domain.BY_NAME[name] for name in changed],
        "saved": domain.as_text(current.figures) if current is not None else {},
        "by": saved_by.get(current.updated_by_id or 0, "A colleague") if current else None,
        "at": current.updated_at if current is not None else None,
    }
    return _render(
        organisation,
        year,
        current,
        values=typed,
        version=current.version if current is not None else 0,
        clash=clash,
    )
