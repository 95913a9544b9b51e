"""Forms for two-factor sign-in: a code from the app, or a recovery code."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from accredit.forms.validators import strip


class CodeForm(FlaskForm):
    code = StringField(
        "Enter the 6-digit code from your authenticator app",
        filters=[strip],
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=20, message="The code is 6 digits, like 123456"),
        ],
    )


class RecoveryCodeForm(FlaskForm):
    recovery_code = StringField(
        "Enter one of your recovery codes",
        filters=[strip],
        validators=[
            DataRequired("Enter one of your recovery codes"),
            Length(max=40, message="A recovery code looks like ABCD-EFGH-JKLM-NPQR"),
        ],
    )
