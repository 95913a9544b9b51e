"""A person's role and access, and the HEE staff list. Each reads the request, calls the
people service and renders or redirects; the scope decides whom a manager reaches."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from accredit.data.models import User
from accredit.data.queries.accounts import people as queries
from accredit.domain.accounts.organisations import Role
from accredit.domain.accounts.people import roles_to_give
from accredit.forms.accounts.people import ACTIVE, DEACTIVATED, PersonForm
from accredit.services.accounts import people
from accredit.web.access import allow, current_scope, hee_admin_only
from accredit.web.helpers import signed_in_user
from accredit.web.people.blueprint import bp

DONE = {
    "user-role-changed": "{name}'s role is now {role}.",
    "user-deactivated": "{name} can no longer sign in, and has been signed out.",
    "user-reactivated": "{name} can sign in again.",
}


def _back(person: User) -> str:
    if person.organisation_id is None:
        return url_for("people.hee_staff")
    return url_for("organisations.show", organisation_id=person.organisation_id)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@allow(Role.HEE_ADMIN, Role.ORG_LEAD)
def person(user_id: int) -> str | Response:
    found = queries.person_in_scope(current_scope(), user_id)
    if found is None:
        abort(404)
    actor: User = signed_in_user()
    roles = roles_to_give(people.manager(actor), people.person(found))
    if not roles:
        abort(403)  # their own account, or HEE staff seen by an organisation lead
    form = PersonForm(
        data={
            "role": found.role.value,
            "access": ACTIVE if found.active else DEACTIVATED,
            "seen": people.seen(found),
        }
    )
    form.role.choices = [SelectChoice(role.value, role.label) for role in roles]
    if form.validate_on_submit():
        try:
            done = people.change(
                actor,
                found,
                Role(form.role.data),
                form.keeps_access(),
                was_seen=form.seen.data,
            )
        except people.PersonRefused as refused:
            form.role.errors = [*form.role.errors, str(refused)]
            form.seen.data = people.seen(found)  # what it is now, for the next try
        else:
            if done:
                said = (DONE[a].format(name=found.name, role=found.role.label) for a in done)
                flash(" ".join(said), "success")
            else:
                flash(f"Nothing changed for {found.name}.", "info")
            return redirect(_back(found))
    return render_template("people/person.html", form=form, person=found, back=_back(found))


@bp.route("/hee-staff")
@hee_admin_only
def hee_staff() -> str:
    return render_template("people/hee-staff.html", staff=queries.hee_staff(current_scope()))
