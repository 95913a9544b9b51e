"""Organisation pages. Every lookup goes through the signed-in user's scope: others get 404."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from accredit.data.models import Organisation
from accredit.data.queries import organisations as org_queries
from accredit.domain.organisations import Role
from accredit.domain.permissions import invitable_roles
from accredit.forms.organisations import InviteForm
from accredit.services import accounts
from accredit.services.accounts import AccountError
from accredit.web.access import allow, current_scope, hee_admin_only, hee_only, signed_in
from accredit.web.helpers import settings
from accredit.web.organisations import bp


def _visible_or_404(organisation_id: int) -> Organisation:
    organisation = org_queries.get_organisation(current_scope(), organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _invite_form(roles: tuple[Role, ...]) -> InviteForm:
    form = InviteForm()
    form.role.choices = [(role.value, role.label) for role in roles]
    if len(roles) == 1:
        form.role.data = roles[0].value
    return form


@bp.route("/organisations")
@hee_only
def index() -> str:
    scope = current_scope()
    return render_template(
        "organisations/index.html",
        organisations=org_queries.visible_organisations(scope),
        member_counts=org_queries.member_counts(scope),
    )


@bp.route("/organisations/<int:organisation_id>")
@signed_in
def show(organisation_id: int) -> str:
    organisation = _visible_or_404(organisation_id)
    members = org_queries.organisation_members(current_scope(), organisation.id)
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        members=members,
        can_invite=bool(_org_roles_for(current_user.role)),
    )


def _org_roles_for(role: Role) -> tuple[Role, ...]:
    return tuple(r for r in invitable_roles(role) if not r.is_hee)


@bp.route("/organisations/<int:organisation_id>/invite", methods=["GET", "POST"])
@allow(Role.HEE_ADMIN, Role.ORG_LEAD)
def invite(organisation_id: int) -> str | Response:
    organisation = _visible_or_404(organisation_id)
    form = _invite_form(_org_roles_for(current_user.role))
    if form.validate_on_submit():
        try:
            accounts.invite(
                settings(),
                inviter=current_user._get_current_object(),
                email=form.email.data or "",
                name=form.name.data or "",
                role=Role(form.role.data),
                organisation=organisation,
            )
        except AccountError as error:
            form.email.errors = [str(error)]
        else:
            flash(f"Invitation sent to {form.email.data}.", "success")
            return redirect(url_for("organisations.show", organisation_id=organisation.id))
    return render_template("organisations/invite.html", form=form, organisation=organisation)


@bp.route("/hee-staff/invite", methods=["GET", "POST"])
@hee_admin_only
def invite_hee_staff() -> str | Response:
    roles = tuple(r for r in invitable_roles(current_user.role) if r.is_hee)
    form = _invite_form(roles)
    if form.validate_on_submit():
        try:
            accounts.invite(
                settings(),
                inviter=current_user._get_current_object(),
                email=form.email.data or "",
                name=form.name.data or "",
                role=Role(form.role.data),
                organisation=None,
            )
        except AccountError as error:
            form.email.errors = [str(error)]
        else:
            flash(f"Invitation sent to {form.email.data}.", "success")
            return redirect(url_for("pages.home"))
    return render_template("organisations/invite.html", form=form, organisation=None)
