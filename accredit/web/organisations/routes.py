"""Organisation pages. Every lookup goes through the signed-in user's scope: others get 404."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from accredit.data.models import Organisation
from accredit.data.queries.accounts import organisations as org_queries
from accredit.data.queries.review.audits import organisation_audits
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.accounts.permissions import invitable_roles
from accredit.domain.numbers import whole_number
from accredit.forms.accounts.organisations import InviteForm, OrganisationForm
from accredit.services.accounts import invitations
from accredit.services.accounts.accounts import AccountError
from accredit.services.accounts.organisations import DuplicateOrganisation, add_organisation
from accredit.services.cohorts.progress import organisation_progress
from accredit.services.review import awards
from accredit.web.access import allow, current_scope, hee_admin_only, hee_only, signed_in
from accredit.web.helpers import organisation_or_404, settings, signed_in_user
from accredit.web.keep_typed import keeps_typed, restore
from accredit.web.organisations.blueprint import bp


def _invite_form(roles: tuple[Role, ...]) -> InviteForm:
    form = InviteForm()
    form.role.choices = [SelectChoice(role.value, role.label) for role in roles]
    if len(roles) == 1:
        form.role.data = roles[0].value
    restore(form)  # what was typed before the form or the session expired, if anything
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


@bp.route("/organisations/new", methods=["GET", "POST"])
@keeps_typed("organisations.new")
@hee_admin_only
def new() -> str | Response:
    scope = current_scope()
    form = OrganisationForm()
    form.region.choices = [SelectChoice("", "Select a region")] + [
        SelectChoice(r.code, r.name) for r in org_queries.regions()
    ]
    organisations = org_queries.visible_organisations(scope)
    form.parent.choices = [SelectChoice("", "Not part of another organisation")] + [
        SelectChoice(str(o.id), f"{o.name} ({o.ods_code})") for o in organisations
    ]
    restore(form)  # what was typed before the form or the session expired, if anything
    if form.validate_on_submit():
        region = org_queries.region_by_code(form.region.data or "")
        parent_id = whole_number(form.parent.data, 9)
        parent = org_queries.get_organisation(scope, parent_id) if parent_id is not None else None
        if region is None:
            form.region.errors = ["Select a region"]
        else:
            try:
                organisation = add_organisation(
                    actor=signed_in_user(),
                    name=form.name.data or "",
                    ods_code=form.ods_code.data or "",
                    org_type=OrgType(form.org_type.data),
                    region=region,
                    parent=parent,
                )
            except DuplicateOrganisation as error:
                form.ods_code.errors = [str(error)]
            else:
                flash(f"{organisation.name} has been added.", "success")
                return redirect(url_for("organisations.show", organisation_id=organisation.id))
    return render_template("organisations/new.html", form=form)


@bp.route("/organisations/<int:organisation_id>")
@signed_in
def show(organisation_id: int) -> str:
    organisation = organisation_or_404(organisation_id)
    scope = current_scope()
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        members=org_queries.organisation_members(scope, organisation.id),
        invited=org_queries.waiting_invitations(scope, organisation.id),
        can_invite=bool(_org_roles_for(current_user.role)),
        can_manage=current_user.role in (Role.HEE_ADMIN, Role.ORG_LEAD),
        progress=organisation_progress(scope, organisation.id),
        audits=organisation_audits(scope, organisation.id),
        awards=awards.history(scope, organisation.id),
    )


def _org_roles_for(role: Role) -> tuple[Role, ...]:
    return tuple(r for r in invitable_roles(role) if not r.is_hee)


def _invite_page(
    roles: tuple[Role, ...], organisation: Organisation | None, done_url: str
) -> str | Response:
    """The invite form for these roles: on success send the email and go to ``done_url``."""
    form = _invite_form(roles)
    if form.validate_on_submit():
        try:
            invited = invitations.invite(
                settings(),
                inviter=signed_in_user(),
                email=form.email.data or "",
                name=form.name.data or "",
                role=Role(form.role.data),
                organisation=organisation,
            )
        except AccountError as error:
            form.email.errors = [str(error)]
        else:
            flash(invited.sentence(), "success")
            return redirect(done_url)
    return render_template("organisations/invite.html", form=form, organisation=organisation)


@bp.route("/organisations/<int:organisation_id>/invite", methods=["GET", "POST"])
@keeps_typed("organisations.invite")
@allow(Role.HEE_ADMIN, Role.ORG_LEAD)
def invite(organisation_id: int) -> str | Response:
    organisation = organisation_or_404(organisation_id)
    done = url_for("organisations.show", organisation_id=organisation.id)
    return _invite_page(_org_roles_for(current_user.role), organisation, done)


@bp.route("/hee-staff/invite", methods=["GET", "POST"])
@keeps_typed("organisations.invite_hee_staff")
@hee_admin_only
def invite_hee_staff() -> str | Response:
    roles = tuple(r for r in invitable_roles(current_user.role) if r.is_hee)
    return _invite_page(roles, None, url_for("pages.home"))
