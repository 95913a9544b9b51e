"""Sign-in, invitation and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from accredit.forms.validators import StrongPassword, strip


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[strip],
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.nhs.uk"),
        ],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])
    next = HiddenField()


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "Create a password",
        validators=[DataRequired("Enter a password"), StrongPassword()],
    )
    confirm = PasswordField(
        "Confirm your password",
        validators=[
            DataRequired("Confirm your password"),
            EqualTo("password", "The passwords do not match"),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[strip],
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.nhs.uk"),
            Length(max=254),
        ],
    )
