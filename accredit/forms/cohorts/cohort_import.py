"""Cohort membership forms: a CSV file of organisations, its confirmation, one organisation,
and the cohort's reviewers.

The organisation form checks nothing itself beyond what was typed: its values go through the
same rules as a row of the CSV file (``domain.cohort_csv``), so both say the same thing, and
the view puts each problem on its field. Choices are set by the view from the data.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import DataRequired

from accredit.forms.evidence.evidence import chosen_file
from accredit.forms.validators import strip


class ImportForm(FlaskForm):
    file = FileField("Upload a CSV file")

    def validate_file(self, field: FileField) -> None:
        if chosen_file(field) is None:
            raise ValidationError("Select a CSV file")


class ConfirmImportForm(FlaskForm):
    """Only the CSRF token: the preview is the question."""


class AddOrganisationForm(FlaskForm):
    ods_code = StringField("ODS code", filters=[strip])
    name = StringField("Organisation name", filters=[strip])
    org_type = SelectField("Type of organisation", validate_choice=False)
    region = SelectField("Region", validate_choice=False)
    lead_name = StringField("Lead's full name", filters=[strip])
    lead_email = StringField("Lead's email address", filters=[strip])

    #: The domain's name for each field (a CSV column), and back.
    FIELDS = {
        "ods_code": "ods_code",
        "name": "name",
        "type": "org_type",
        "region": "region",
        "lead_name": "lead_name",
        "lead_email": "lead_email",
    }

    def values(self) -> dict[str, str]:
        """The typed values under the domain's names."""
        return {column: str(getattr(self, name).data or "") for column, name in self.FIELDS.items()}

    #: A list left on its first choice is "selected", not "entered" as in a CSV file.
    UNSELECTED = {"org_type": "Select the type of organisation", "region": "Select a region"}

    def show_problem(self, column: str, message: str) -> None:
        field = getattr(self, self.FIELDS.get(column, "name"))
        if not field.data and field.name in self.UNSELECTED:
            message = self.UNSELECTED[field.name]
        field.errors = [*field.errors, message]


class ReviewerForm(FlaskForm):
    reviewer = SelectField(
        "Add a reviewer",
        validators=[DataRequired("Select a reviewer to add")],
        validate_choice=False,
    )


class RemoveReviewerForm(FlaskForm):
    """Only the CSRF token: the button names who is removed."""
