"""Validators shared by the forms, wrapping domain rules so messages stay in one place."""

from __future__ import annotations

from typing import Any

from wtforms import EmailField, Field, ValidationError
from wtforms.validators import DataRequired, Email, Length

from accredit.domain.assessments.comments import too_long
from accredit.services.accounts.passwords import password_problem


class StrongPassword:
    """12 characters or more and not common; compares with the email and name fields."""

    def __init__(self, *context_fields: str) -> None:
        self.context_fields = context_fields

    def __call__(self, form: Any, field: Field) -> None:
        inputs = tuple(
            str(getattr(form, name).data or "")
            for name in self.context_fields
            if hasattr(form, name)
        )
        extra = tuple(getattr(form, "password_context", ()))
        problem = password_problem(field.data or "", user_inputs=inputs + extra)
        if problem:
            raise ValidationError(problem)


def strip(value: object) -> object:
    """Leading and trailing spaces are never meant (a pasted address often has them)."""
    return value.strip() if isinstance(value, str) else value


EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.nhs.uk"


def email_field(label: str, missing: str) -> EmailField:
    """An email address field: trimmed, required, well-formed and no longer than RFC allows."""
    return EmailField(
        label,
        filters=[strip],
        validators=[DataRequired(missing), Email(EMAIL_FORMAT), Length(max=254)],
    )


def comment_length(what: str) -> Any:
    """A comment no longer than an answer may be (``domain.comments``), saying by how much."""

    def check(form: Any, field: Field) -> None:
        problem = too_long(what, field.data or "")
        if problem is not None:
            raise ValidationError(problem)

    return check
