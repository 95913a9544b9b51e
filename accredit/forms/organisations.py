"""Inviting people to an organisation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import DataRequired, Email, Length

from accredit.forms.validators import strip


class InviteForm(FlaskForm):
    name = StringField(
        "Full name",
        filters=[strip], validators=[DataRequired("Enter their full name"), Length(max=120)]
    )
    email = EmailField(
        "Email address",
        filters=[strip],
        validators=[
            DataRequired("Enter their email address"),
            Email("Enter an email address in the correct format, like name@example.nhs.uk"),
            Length(max=254),
        ],
    )
    role = RadioField("Role", validators=[DataRequired("Select a role")])
