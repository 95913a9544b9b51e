"""Deleting an organisation (HEE admins): a page showing what goes, then the deletion."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from accredit.forms.accounts.organisation_removal import DeleteOrganisationForm
from accredit.services.accounts import organisation_removal
from accredit.services.cohorts.exports import export_storage_for
from accredit.services.storage.stores import pack_storage_for, storage_for
from accredit.web.access import current_scope, hee_admin_only
from accredit.web.helpers import organisation_or_404, settings, signed_in_user
from accredit.web.organisations.blueprint import bp


@bp.route("/organisations/<int:organisation_id>/delete", methods=["GET", "POST"])
@hee_admin_only
def delete(organisation_id: int) -> str | Response:
    scope = current_scope()
    organisation = organisation_or_404(organisation_id)
    form = DeleteOrganisationForm()
    if form.validate_on_submit() and form.confirms(organisation.ods_code):
        try:
            removed = organisation_removal.delete_organisation(
                signed_in_user(),
                scope,
                organisation,
                storage_for(settings()),
                pack_storage_for(settings()),
                export_storage_for(settings()),
            )
        except organisation_removal.RemovalRefused as error:
            form.confirm.errors = [str(error)]
        else:
            flash(f"{removed.name} has been deleted.", "success")
            return redirect(url_for("organisations.index"))
    return render_template(
        "organisations/delete.html",
        form=form,
        organisation=organisation,
        preview=organisation_removal.preview(scope, organisation),
    )
