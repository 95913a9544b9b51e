"""The reviewer's forms: a judgement per criterion, returning, and accepting with a level."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from accredit.domain.numbers import whole_number
from accredit.domain.review import Agreement
from accredit.forms.validators import comment_length, strip


class JudgementForm(FlaskForm):
    version = HiddenField()
    agreement = RadioField(
        "Do you agree with the organisation's own judgement?",
        choices=[SelectChoice(a.value, a.label) for a in Agreement],
        validators=[DataRequired("Select whether you agree with the organisation's judgement")],
    )
    comment = TextAreaField(
        "Comment for the organisation",
        filters=[strip],
        validators=[comment_length("The comment")],
    )

    def validate_comment(self, field: TextAreaField) -> None:
        if self.agreement.data and self.agreement.data != Agreement.AGREE.value and not field.data:
            raise ValidationError("Tell the organisation why, so they can put it right")

    def opened_version(self) -> int | None:
        """The judgement's version when the page was opened; a value that is not one (a
        tampered page) can match no judgement, so the save is refused as stale."""
        value = self.version.data or ""
        if value == "":
            return None
        number = whole_number(value, 9)
        return number if number is not None else -1


class ReturnForm(FlaskForm):
    note = TextAreaField(
        "A note to the organisation (optional)",
        filters=[strip],
        validators=[comment_length("The note")],
    )


class AcceptForm(FlaskForm):
    level = RadioField(
        "Level to award",
        choices=[],
        # The service says why a level cannot be awarded, in words; the choices offered are
        # only the levels it would accept.
        validate_choice=False,
        validators=[DataRequired("Select the level to award")],
    )

    def set_levels(self, levels: list[tuple[str, str]]) -> None:
        self.level.choices = [SelectChoice(value, label) for value, label in levels]
