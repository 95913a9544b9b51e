"""The organisation profile: the standard's profile questions (the type comes from the record)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from accredit.data.queries.assessments import assessments as queries
from accredit.domain.accounts.organisations import ORG_ROLES
from accredit.domain.scoring.profile import profile_question
from accredit.forms.assessments.profile import profile_form, shown_choices
from accredit.services.assessments import assessments
from accredit.services.assessments.profile import profile_questions
from accredit.web.access import allow, signed_in
from accredit.web.assess.blueprint import bp
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
    questions = profile_questions(queries.current_cohort(organisation.id))
    form_class = profile_form(questions)
    if request.method == "POST":
        form = form_class(request.form)
        if form.validate():
            assessments.update_profile(signed_in_user(), organisation, form.answers())
            flash("Your organisation's profile has been saved.", "success")
            latest = queries.latest_assessment(organisation.id)
            if latest is not None:
                return redirect(url_for("assess.task_list", assessment_id=latest.id))
            return redirect(url_for("assess.start", organisation_id=organisation.id))
    else:
        kept = kept_fields()  # chosen before the form or the session expired
        form = form_class(shown_choices(questions, organisation.profile or {}, kept))
    errors = form.problems()
    return render_template(
        "assess/profile.html",
        organisation=organisation,
        questions=questions,
        asked={f.id: profile_question(f.label) for f in questions},
        current=form.chosen(),
        errors=errors,
        editable=signed_in_user().role in ORG_ROLES,
    ), (400 if errors else 200)
