"""The action plan's edit form. Who may own an action is set by the view (the organisation's
people); the service checks it again, with the due date rules and the edit's version."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from accredit.domain.assessments.actions import ActionStatus
from accredit.domain.numbers import whole_number
from accredit.forms.evidence.evidence import DateInputField
from accredit.forms.validators import strip

DESCRIPTION_MAX = 2000
NOBODY = ""


class ActionForm(FlaskForm):
    version = HiddenField()
    description = TextAreaField(
        "What needs to be done",
        filters=[strip],
        validators=[
            DataRequired("Enter what needs to be done"),
            Length(
                max=DESCRIPTION_MAX,
                message=f"What needs to be done must be {DESCRIPTION_MAX:,} characters or fewer",
            ),
        ],
    )
    owner_id = SelectField("Owner", choices=[], validate_choice=False)
    due_date = DateInputField("Due date (optional)")
    status = RadioField(
        "Status",
        choices=[SelectChoice(s.value, s.label) for s in ActionStatus],
        validators=[DataRequired("Select the action's status")],
    )

    def set_owners(self, people: list[tuple[int, str]]) -> None:
        self.owner_id.choices = [SelectChoice(NOBODY, "Nobody yet")] + [
            SelectChoice(str(i), n) for i, n in people
        ]

    def validate_owner_id(self, field: SelectField) -> None:
        if field.data not in {choice.value for choice in field.choices or []}:
            raise ValidationError("Choose someone in your organisation")

    def edited_version(self) -> int:
        """The version the edit started from; a value that is not one (a tampered page) can
        match no action, so the edit is refused as stale rather than failing."""
        value = self.version.data or ""
        number = whole_number(value, 9)
        return number if number is not None else -1

    def chosen_owner(self) -> int | None:
        value = self.owner_id.data
        return whole_number(value, 9)


class NewActionForm(Form):
    """The report's "add to the action plan" button: which criterion the action is for (the
    service refuses one the standard does not have). The site-wide CSRF check has run."""

    criterion_id = HiddenField(default="")

    def criterion(self) -> str:
        return str(self.criterion_id.data or "")
