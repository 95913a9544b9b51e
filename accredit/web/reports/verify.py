"""The verify page (HEE staff): is this pack, or this fingerprint, one the service made?"""

from __future__ import annotations

from flask import render_template

from accredit.forms.evidence import chosen_file
from accredit.forms.verify import VerifyForm
from accredit.services import verification
from accredit.web.access import hee_only
from accredit.web.reports import bp


@bp.route("/verify", methods=["GET", "POST"])
@hee_only
def verify() -> str:
    form = VerifyForm()
    outcome = None
    uploaded = None
    if form.validate_on_submit():
        upload = chosen_file(form.file)
        if upload is not None:
            uploaded = upload.filename
            outcome = verification.check_file(upload.read())
        else:
            outcome = verification.check_fingerprint(form.fingerprint.data or "")
    return render_template("reports/verify.html", form=form, outcome=outcome, uploaded=uploaded)
