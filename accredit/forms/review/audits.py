"""Random audit forms. The share and seed are read and checked by the domain (one set of
messages for the form and the service); the cohort and level choices are set by the view."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from accredit.domain.numbers import whole_number
from accredit.domain.review.awards import AuditOutcome
from accredit.forms.validators import strip

NOTE_MAX = 2000
ALL_ACCREDITED = ""
#: Form values for the strata ("" cannot be a radio's value and still show as chosen).
STRATA = {"none": "", "region": "region", "org_type": "org_type"}


class DrawForm(FlaskForm):
    share = StringField("Share of accredited organisations to draw", filters=[strip])
    cohort = SelectField("Draw from", validate_choice=False)
    stratify = RadioField(
        "Stratify the draw",
        choices=[
            SelectChoice("none", "No: draw from all of them together"),
            SelectChoice("region", "By region: the same share from each region"),
            SelectChoice("org_type", "By organisation type: the same share from each type"),
        ],
        default="none",
        validate_choice=False,
    )
    seed = StringField("Seed (optional)", filters=[strip])

    def set_cohorts(self, cohorts: list[tuple[int, str]]) -> None:
        self.cohort.choices = [SelectChoice(ALL_ACCREDITED, "All accredited organisations")] + [
            SelectChoice(str(i), name) for i, name in cohorts
        ]

    def chosen_cohort(self) -> int | None:
        value = self.cohort.data or ""
        # A value that is not a number (a tampered page) names no cohort: refused as such.
        number = whole_number(value, 9)
        return number if number is not None else (None if value == ALL_ACCREDITED else -1)

    def chosen_strata(self) -> str:
        return STRATA.get(self.stratify.data or "", "unknown")


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        "What did the audit find?",
        choices=[SelectChoice(o.value, o.label) for o in AuditOutcome],
        validators=[DataRequired("Choose what the audit found")],
        validate_choice=False,
    )
    new_level = SelectField("New level", validate_choice=False)
    #: The outcome as the page showed it (services.audits.outcome_token).
    seen = HiddenField()
    note = TextAreaField(
        "Note",
        filters=[strip],
        validators=[
            Length(max=NOTE_MAX, message=f"The note must be {NOTE_MAX:,} characters or fewer")
        ],
    )

    def validate_outcome(self, field: RadioField) -> None:
        if field.data not in {o.value for o in AuditOutcome}:
            raise ValidationError("Choose what the audit found")

    def chosen_outcome(self) -> AuditOutcome:
        return AuditOutcome(self.outcome.data)

    def set_levels(self, levels: list[tuple[str, str]]) -> None:
        self.new_level.choices = [SelectChoice("", "Choose a level")] + [
            SelectChoice(i, name) for i, name in levels
        ]
