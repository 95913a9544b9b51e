"""The activity return form: one text field per figure the return asks (declared from the
domain's ``FIELDS``, so the form, the read-only page and the exports follow one list), the
version the page was opened at and which button was pressed.

The figures are checked by the domain's ``validate`` when the service saves them (one set of
rules for the form, the tests and any import, and only once the person may save at all), so the
fields carry what was typed, as typed: nothing is lost when it is wrong.
"""

from __future__ import annotations

from collections.abc import Container

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, StringField

from accredit.domain.assessments.activity_return import FIELDS, NAMES
from accredit.domain.numbers import whole_number

SUBMIT = "submit"


class ActivityReturnForm(FlaskForm):
    version = HiddenField()
    action = HiddenField()

    def opened_at(self) -> int | None:
        """The version the form was opened at, or None when the page sent none we can read."""
        text = (self.version.data or "").strip()
        return whole_number(text)

    def typed(self) -> dict[str, str]:
        """Each figure as typed (blank when not given)."""
        return {name: self[name].data or "" for name in NAMES}

    @property
    def submitting(self) -> bool:
        """Whether the lead pressed Submit (any other button saves a draft)."""
        return self.action.data == SUBMIT


for _field in FIELDS:
    setattr(ActivityReturnForm, _field.name, StringField(_field.label))


class EarlierYearForm(Form):
    """ "Start an earlier year's return": a GET form (it changes nothing, so no CSRF token)
    naming the year whose page to open."""

    year = StringField("Start an earlier year's return")

    def chosen(self, open_years: Container[int]) -> int | None:
        """The year chosen, or None when it is not one a return can be made for."""
        year = whole_number(self.year.data or "", 4)
        return year if year is not None and year in open_years else None
