"""The verify page (HEE staff): is this pack, or this fingerprint, one the service made?"""

from __future__ import annotations

from flask import current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from accredit.extensions import csrf
from accredit.forms.evidence.evidence import chosen_file
from accredit.forms.evidence.verify import VerifyForm
from accredit.services.reports import verification
from accredit.web.access import hee_only
from accredit.web.verify.blueprint import bp

#: Packs carry their evidence, so they may be far larger than one upload to the library.
MAX_PACK_BYTES = 300 * 1024 * 1024
LIMIT_TEXT = "300 MB"


@bp.route("/verify", methods=["GET", "POST"])
@hee_only
@csrf.exempt
def index() -> tuple[str, int] | str:
    # Exempt from the app-wide CSRF hook only because it would parse the body under the app's
    # plain upload limit; the token is checked here, under the pack limit, before anything else.
    request.max_content_length = MAX_PACK_BYTES
    if request.method == "POST":
        try:
            if current_app.config.get("WTF_CSRF_ENABLED", True):
                csrf.protect()
            _ = request.files
        except RequestEntityTooLarge:
            form = VerifyForm(formdata=None)
            form.file.errors = [f"The file must be smaller than {LIMIT_TEXT}"]
            return render_template("verify/index.html", form=form, outcome=None), 413
    form = VerifyForm()
    outcome = None
    uploaded = None
    if form.validate_on_submit():
        upload = chosen_file(form.file)
        if upload is not None:
            uploaded = upload.filename
            outcome = verification.check_file(upload.stream)
        else:
            outcome = verification.check_fingerprint(form.fingerprint.data or "")
    return render_template("verify/index.html", form=form, outcome=outcome, uploaded=uploaded)
