"""Refusing form and query values that no field can hold: NUL characters and lone surrogates.

PostgreSQL text columns cannot store NUL ("A string literal cannot contain NUL (0x00)
characters"), so one pasted into any field of any form would otherwise end as a 500 half-way
through a save, and a lone surrogate cannot even be encoded as UTF-8. No field of ours has a
use for either, so the request is refused, before any view reads it, with a page that says what
was wrong; nothing is saved.

The check runs where the body is parsed (``GuardedRequest``), not in a ``before_request`` hook:
the upload pages parse their own body under their own size limit, and a hook that parsed it
first would answer a large file with a bare 413 page instead of the message on their form.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, render_template, request
from flask.wrappers import Request
from werkzeug.exceptions import BadRequest

MESSAGE = (
    "The form contains a character that cannot be saved, such as a null character or a broken "
    "emoji. These usually come from copying text out of another program. Go back, retype the "
    "text and try again."
)


class UnsavableCharacters(BadRequest):
    """A value holds NUL or a lone surrogate: answered with a 400 page that explains."""

    description = MESSAGE


def unsavable(text: str) -> bool:
    """True when ``text`` holds a character no database column or UTF-8 page can carry."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def _any_unsavable(pairs: Iterable[tuple[str, str]]) -> bool:
    return any(unsavable(key) or unsavable(value) for key, value in pairs)


class GuardedRequest(Request):
    """Flask's request, refusing unsavable characters in form fields as the body is parsed."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        if _any_unsavable(self.form.items(multi=True)):
            raise UnsavableCharacters()


def register_input_guard(app: Flask) -> None:
    app.request_class = GuardedRequest

    @app.before_request
    def refuse_unsavable_query() -> None:
        # Query strings reach searches and filters; the body is checked when it is parsed.
        if _any_unsavable(request.args.items(multi=True)):
            raise UnsavableCharacters()

    @app.errorhandler(UnsavableCharacters)
    def unsavable_page(error: UnsavableCharacters) -> tuple[str, int]:
        return render_template("errors/unsavable-characters.html", message=MESSAGE), 400
