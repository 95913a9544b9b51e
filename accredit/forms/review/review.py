"""The reviewer's forms: a judgement per criterion, returning, and accepting with a level."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from accredit.domain.numbers import whole_number
from accredit.domain.review.review import Agreement, Refusal, refusal
from accredit.domain.scoring.results import Status
from accredit.forms.validators import comment_length, strip


class JudgementForm(FlaskForm):
    version = HiddenField()
    agreement = RadioField(
        "Do you agree with the organisation's own judgement?",
        choices=[SelectChoice(a.value, a.label) for a in Agreement],
        validators=[DataRequired("Select whether you agree with the organisation's judgement")],
    )
    override_reason = TextAreaField(
        "Reason for the override",
        filters=[strip],
        validators=[comment_length("The reason")],
    )
    comment = TextAreaField(
        "Comment for the organisation",
        filters=[strip],
        validators=[comment_length("The comment")],
    )
    #: The button pressed: "overview" returns to the review overview, anything else goes on.
    then = HiddenField()
    #: The criterion judged and its status under the standard's rules (``judging`` sets them).
    criterion_id = ""
    engine_status: Status | None = None

    def returns_to_overview(self) -> bool:
        return self.then.data == "overview"

    def judging(self, criterion_id: str, engine_status: Status) -> None:
        """Judge against the engine's status: an override is offered only on a criterion it
        does not find met, and a judgement its rules refuse is an error on the form."""
        self.criterion_id, self.engine_status = criterion_id, engine_status
        if engine_status is Status.MET:
            self.agreement.choices = [
                SelectChoice(a.value, a.label) for a in Agreement if a is not Agreement.OVERRIDE
            ]

    def validate_agreement(self, field: RadioField) -> None:
        refused = self._refused()
        if refused is not None and not refused.about_reason:
            raise ValidationError(refused.message)

    def validate_override_reason(self, field: TextAreaField) -> None:
        refused = self._refused()
        if refused is not None and refused.about_reason:
            raise ValidationError(refused.message)

    def validate_comment(self, field: TextAreaField) -> None:
        chosen = self.agreement.data
        if chosen in (a.value for a in Agreement if a.asks_for_change) and not field.data:
            raise ValidationError("Tell the organisation why, so they can put it right")

    def _refused(self) -> Refusal | None:
        chosen = self.agreement.data
        if self.engine_status is None or chosen not in set(Agreement):
            return None
        return refusal(
            self.criterion_id,
            self.engine_status,
            Agreement(chosen),
            self.override_reason.data or "",
        )

    def chosen_reason(self) -> str | None:
        """The override reason when the judgement is an override (None for any other)."""
        if self.agreement.data != Agreement.OVERRIDE.value:
            return None
        return self.override_reason.data or None

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
