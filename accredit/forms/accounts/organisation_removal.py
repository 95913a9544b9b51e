"""Confirming an organisation's deletion by typing its ODS code.

A button alone is one slip from losing an organisation's whole record; typing the code shows
the admin meant this organisation, and a forged post without it deletes nothing.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from accredit.forms.validators import strip


class DeleteOrganisationForm(FlaskForm):
    confirm = StringField(
        "Type the organisation's ODS code to confirm",
        filters=[strip],
        validators=[DataRequired("Type the organisation's ODS code to confirm")],
    )

    def confirms(self, ods_code: str) -> bool:
        """Whether what was typed is this organisation's code (any case); if not, says so."""
        typed = (self.confirm.data or "").upper()
        if typed == ods_code.upper():
            return True
        self.confirm.errors = [f"Type {ods_code} exactly to delete this organisation"]
        return False
