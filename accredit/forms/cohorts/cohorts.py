"""A cohort's details. The region and standard choices are set by the view from the data."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from accredit.forms.evidence.evidence import DateInputField
from accredit.forms.validators import strip


class CohortForm(FlaskForm):
    name = StringField(
        "Cohort name",
        filters=[strip],
        validators=[
            DataRequired("Enter the cohort's name"),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
    )
    year = IntegerField(
        "Cohort year",
        validators=[
            InputRequired("Enter the year, for example 2026"),
            NumberRange(2015, 2100, "Enter a year between 2015 and 2100"),
        ],
    )
    region = SelectField("Region (optional)", validate_choice=False)
    standard = SelectField(
        "Standard and version",
        validators=[DataRequired("Choose the standard and version")],
        validate_choice=False,
    )
    deadline = DateInputField("Submission deadline (optional)")
