"""Nothing typed into a question page is lost when its form or session has expired.

Signed in still (only the form's token expired): the page comes back with what was posted.
Signed out (the session ended): a sign-in page that carries what was posted; after signing in,
the question page shows it again, unsaved, for the person to check and save.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user

from accredit.forms.auth import ContinueForm
from accredit.services import stash

#: Endpoints whose posted answers are worth keeping.
KEEPS_TYPED = {"assess.save"}


def keep_typed_answers() -> Any | None:
    """A response that keeps the posted answers, or None for other requests."""
    if request.method != "POST" or request.endpoint not in KEEPS_TYPED:
        return None
    if current_user.is_authenticated:
        from accredit.web.assess.questions import reshow_after_expiry

        return reshow_after_expiry(**(request.view_args or {}))
    form = ContinueForm(formdata=None)
    form.next.data = request.path
    form.carry.data = stash.encode(request.form.to_dict(flat=False))
    return render_template("auth/session-ended.html", form=form), 401
