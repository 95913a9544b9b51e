"""Audit draw pages (HEE admins only): the list with the draw form, a draw replayed from its
seed, and each drawn organisation's outcome."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from accredit.data.queries.accounts.organisations import regions
from accredit.data.queries.review import audits as queries
from accredit.forms.review.audits import DrawForm, OutcomeForm
from accredit.services.review import audits
from accredit.services.review.audits import AuditRefused
from accredit.web.access import hee_admin_only
from accredit.web.audits.blueprint import bp
from accredit.web.helpers import signed_in_user
from accredit.web.keep_typed import keeps_typed, restore


@bp.route("/audits", methods=["GET", "POST"])
@keeps_typed("audits.index")
@hee_admin_only
def index() -> str | Response:
    form = DrawForm()
    form.set_cohorts([(c.id, f"{c.name} ({c.year})") for c in queries.cohort_choices()])
    restore(form)  # what was typed before the form or the session expired, if anything
    if form.validate_on_submit():
        try:
            made = audits.make_draw(
                signed_in_user(),
                share=form.share.data,
                cohort_id=form.chosen_cohort(),
                stratify=form.chosen_strata(),
                seed=form.seed.data,
            )
        except AuditRefused as refused:
            getattr(form, refused.field).errors.append(str(refused))
        else:
            count = len(made.selected)
            drawn = f"{count} organisation{'' if count == 1 else 's'}"
            flash(f"{drawn} drawn for audit with seed {made.seed}", "success")
            return redirect(url_for("audits.show", draw_id=made.id))
    return render_template("audits/index.html", form=form, draws=queries.draws())


@bp.route("/audits/<int:draw_id>")
@hee_admin_only
def show(draw_id: int) -> str:
    found = queries.draw_by_id(draw_id)
    if found is None:
        abort(404)
    region_names = {r.code: r.name for r in regions()}
    return render_template(
        "audits/show.html",
        found=found,
        draw=found.draw,
        replay=audits.replay(found.draw),
        rows=queries.drawn_awards(draw_id),
        label=lambda name: audits.stratum_label(found.draw.stratify_by, name, region_names),
    )


@bp.route("/audits/<int:draw_id>/awards/<int:award_id>", methods=["GET", "POST"])
@keeps_typed("audits.award")
@hee_admin_only
def award(draw_id: int, award_id: int) -> str | Response:
    drawn = queries.drawn_award(draw_id, award_id)
    if drawn is None:
        abort(404)
    audit_row = drawn.audit
    form = OutcomeForm(
        data={
            "outcome": audit_row.outcome.value if audit_row.outcome else None,
            "new_level": audit_row.new_level or "",
            "note": audit_row.note or "",
            "seen": audits.outcome_token(audit_row),
        }
    )
    form.set_levels([(level.id, level.name) for level in audits.other_levels(drawn.award)])
    restore(form)  # what was typed before the form or the session expired, if anything
    if form.validate_on_submit():
        try:
            audits.record_outcome(
                signed_in_user(),
                drawn,
                form.chosen_outcome(),
                form.new_level.data,
                form.note.data or "",
                seen=form.seen.data,
            )
        except AuditRefused as refused:
            getattr(form, refused.field).errors.append(str(refused))
            if refused.field == "outcome":
                form.seen.data = audits.outcome_token(drawn.audit)  # now shown as it stands
        else:
            name = drawn.award.organisation.name
            flash(f"Audit outcome recorded for {name}", "success")
            return redirect(url_for("audits.show", draw_id=draw_id))
    return render_template("audits/award.html", form=form, drawn=drawn, draw_id=draw_id)
