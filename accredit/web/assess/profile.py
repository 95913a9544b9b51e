"""The organisation profile: the standard's profile questions (the type comes from the record)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from accredit.data.queries.assessments import assessments as queries
from accredit.domain.accounts.organisations import ORG_ROLES
from accredit.domain.scoring.profile import profile_error, profile_question
from accredit.services.assessments import assessments
from accredit.services.assessments.profile import profile_questions
from accredit.web.access import allow, signed_in
from accredit.web.assess import bp
from accredit.web.helpers import organisation_or_404, signed_in_user
from accredit.web.keep_typed import keeps_typed, kept_fields


@bp.route("/organisations/<int:organisation_id>/profile", methods=["POST"])
@keeps_typed("assess.profile")
@allow(*ORG_ROLES)
def save_profile(organisation_id: int) -> Any:
    return profile(organisation_id)


@bp.route("/organisations/<int:organisation_id>/profile")
@signed_in
def profile(organisation_id: int) -> Any:
    organisation = organisation_or_404(organisation_id)
    cohort = queries.current_cohort(organisation.id)
    questions = profile_questions(cohort)
    stored = organisation.profile or {}
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    if request.method == "POST":
        for field in questions:
            raw = request.form.get(field.id, "")
            if raw not in ("yes", "no"):
                errors[field.id] = profile_error(field.label)
            else:
                values[field.id] = raw == "yes"
        if not errors:
            assessments.update_profile(signed_in_user(), organisation, values)
            flash("Your organisation's profile has been saved.", "success")
            latest = queries.latest_assessment(organisation.id)
            if latest is not None:
                return redirect(url_for("assess.task_list", assessment_id=latest.id))
            return redirect(url_for("assess.current", organisation_id=organisation.id))
    current = {
        f.id: ("yes" if stored.get(f.id) else "no") if f.id in stored else None for f in questions
    }
    current.update({k: request.form.get(k) for k in errors})
    kept = kept_fields()  # chosen before the form or the session expired
    if kept is not None:
        current.update({f.id: kept[f.id] for f in questions if kept.get(f.id) in ("yes", "no")})
    return render_template(
        "assess/profile.html",
        organisation=organisation,
        questions=questions,
        asked={f.id: profile_question(f.label) for f in questions},
        current=current,
        errors=errors,
        editable=signed_in_user().role in ORG_ROLES,
    ), (400 if errors else 200)
