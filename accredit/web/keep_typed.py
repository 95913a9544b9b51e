"""Nothing typed into a form is lost when the form or the whole session has expired.

A view that handles a form worth keeping declares the page that shows the form::

    @bp.route("/things/<int:thing_id>", methods=["POST"])
    @keeps_typed("things.edit")
    @org_staff
    def save(thing_id): ...

Then a post to it that is refused because time ran out keeps what was posted:

- Signed in still (only the form's token expired): the fields are stashed for this person and
  the page is opened again with them (``?restore=N&why=expired``), unsaved.
- Signed out (the session ended): a sign-in page carries the fields; after signing in, the page
  opens with them (``?restore=N``), unsaved, for the person to check and save.

The page's view reads them back once with ``kept_fields()`` (or ``restore(form)`` for a plain
WTForms form). A post from another site is never kept: what it carries is not the person's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from accredit.domain.numbers import whole_number
from accredit.forms.accounts.auth import ContinueForm
from accredit.services.assessments import stash
from accredit.web.helpers import signed_in_user

F = TypeVar("F", bound=Callable[..., Any])

#: The query argument naming the stash a page opens with, and the one saying why.
RESTORE = "restore"
WHY = "why"
EXPIRED = "expired"

SESSION_ENDED = (
    "We kept what you typed before you were signed out. It has not been saved yet: check it, "
    "then save."
)
FORM_EXPIRED = (
    "This page was open for a long time, so we did not save what you typed in case it was out "
    "of date. We kept it: check it, then save again."
)
FILES_LOST = "Files cannot be kept: choose the file again."


def keeps_typed(page: str) -> Callable[[F], F]:
    """Keep what is posted to this view when time runs out; ``page`` is the endpoint of the
    page that shows its form, called with the same URL values."""

    def decorate(view: F) -> F:
        view.keeps_typed_on = page  # type: ignore[attr-defined]
        return view

    return decorate


def page_of(view: Callable[..., Any] | None) -> str | None:
    """The endpoint of the page a view's kept form goes back to, or None when it keeps nothing."""
    return getattr(view, "keeps_typed_on", None)


def pages_keeping_typed() -> frozenset[str]:
    """Every page whose form keeps what was typed (the timeout warning says so on them)."""
    found = current_app.extensions.get("keep_typed_pages")
    if found is None:
        views = current_app.view_functions.values()
        found = frozenset(page for view in views if (page := page_of(view)) is not None)
        current_app.extensions["keep_typed_pages"] = found
    return frozenset(found)


def restore_url(target: str, stash_id: int) -> str:
    """The page ``target`` opened to bring back the stash (after signing in again)."""
    return f"{target}?{RESTORE}={stash_id}"


def keep_typed_answers() -> Any | None:
    """A response that keeps the posted fields, or None for other requests."""
    if request.method != "POST" or request.endpoint is None:
        return None
    page = page_of(current_app.view_functions.get(request.endpoint))
    if page is None or not _from_this_site():
        return None
    values = request.view_args or {}
    target = url_for(page, **values)
    if not stash.fits(target):
        return None  # no page of ours has so long an address: nothing worth keeping
    try:
        fields = request.form.to_dict(flat=False)
        files_lost = any(upload.filename for upload in request.files.values())
    except RequestEntityTooLarge:
        return None  # a file over the limit (an upload page signed out): the usual answer
    if current_user.is_authenticated:
        kept = stash.keep(signed_in_user(), target, fields)
        if files_lost:
            flash(FILES_LOST, "info")
        args: dict[str, Any] = {**values, RESTORE: kept.id, WHY: EXPIRED}
        return redirect(url_for(page, **args))
    form = ContinueForm(formdata=None)
    form.next.data = target
    form.carry.data = stash.encode(fields)
    return render_template("auth/session-ended.html", form=form, files_lost=files_lost), 401


def _from_this_site() -> bool:
    """False for a post another site's page made (Origin, or Referer, names another host); a
    browser that sends neither is given the benefit of the doubt."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True
    origin = urlsplit(source)
    here = urlsplit(request.host_url)
    return (origin.scheme, origin.netloc) == (here.scheme, here.netloc)


def kept_fields() -> MultiDict[str, str] | None:
    """On a page opened to bring back what was typed, those fields (once: the stash is then
    gone), with a message saying they are not saved; None on any other visit."""
    if request.method != "GET" or not current_user.is_authenticated:
        return None
    stash_id = whole_number(request.args.get(RESTORE, ""), 9)
    if stash_id is None:
        return None
    fields = stash.take(signed_in_user(), stash_id, request.path)
    if fields is None:
        return None
    flash(FORM_EXPIRED if request.args.get(WHY) == EXPIRED else SESSION_ENDED, "info")
    return MultiDict([(k, v) for k, values in fields.items() for v in values])


def restore(form: FlaskForm) -> bool:
    """Fill a form with what was kept for this page, if anything; True when it was."""
    fields = kept_fields()
    if fields is None:
        return False
    form.process(fields)
    return True
