"""The activity return form. The figures themselves are checked by the domain's ``validate``
(one set of rules for the form, the tests and any import), so the form carries only the CSRF
token, the version the page was opened at and which button was pressed."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField

from accredit.domain.numbers import whole_number


class ActivityReturnForm(FlaskForm):
    version = HiddenField()
    action = HiddenField()

    def opened_at(self) -> int | None:
        """The version the form was opened at, or None when the page sent none we can read."""
        text = (self.version.data or "").strip()
        return whole_number(text)
