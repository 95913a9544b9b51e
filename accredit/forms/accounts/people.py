"""Changing a person's role and access."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice
from wtforms.validators import DataRequired

ACTIVE = "active"
DEACTIVATED = "deactivated"


class PersonForm(FlaskForm):
    role = RadioField("Role", validators=[DataRequired("Select a role")])
    access = RadioField(
        "Access",
        choices=[
            SelectChoice(ACTIVE, "Can sign in"),
            SelectChoice(DEACTIVATED, "Cannot sign in (access removed)"),
        ],
        validators=[DataRequired("Select whether they can sign in")],
    )
    #: The role and access the page showed (accredit.services.accounts.people.seen).
    seen = HiddenField()

    def keeps_access(self) -> bool:
        return self.access.data == ACTIVE
