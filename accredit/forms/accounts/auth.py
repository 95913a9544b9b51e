"""Sign-in, invitation and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo

from accredit.forms.validators import StrongPassword, email_field


class SignInForm(FlaskForm):
    email = email_field("Email address", "Enter your email address")
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
    email = email_field("Email address", "Enter your email address")


class ContinueForm(SignInForm):
    """Sign in again after the session ended mid-form, carrying what was typed."""

    carry = HiddenField()
