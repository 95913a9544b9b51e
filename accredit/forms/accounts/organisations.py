"""Adding organisations and inviting people to them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Length

from accredit.domain.accounts.organisations import OrgType, ods_code_problem
from accredit.forms.validators import email_field, strip


class InviteForm(FlaskForm):
    name = StringField(
        "Full name",
        filters=[strip],
        validators=[DataRequired("Enter their full name"), Length(max=120)],
    )
    email = email_field("Email address", "Enter their email address")
    role = RadioField("Role", validators=[DataRequired("Select a role")])


class OrganisationForm(FlaskForm):
    name = StringField(
        "Organisation name",
        filters=[strip],
        validators=[DataRequired("Enter the organisation's name"), Length(max=200)],
    )
    org_type = RadioField(
        "Type of organisation",
        choices=[SelectChoice(t.value, t.label) for t in OrgType],
        validators=[DataRequired("Select the type of organisation")],
    )
    ods_code = StringField(
        "ODS code",
        filters=[strip],
        validators=[DataRequired("Enter an ODS code"), Length(max=16)],
    )
    region = SelectField("Region", validators=[DataRequired("Select a region")])
    parent = SelectField("Part of (optional)", validate_choice=False)

    def validate_ods_code(self, field: StringField) -> None:
        org_type = OrgType(self.org_type.data) if self.org_type.data in set(OrgType) else None
        problem = ods_code_problem(field.data or "", org_type)
        if problem:
            raise ValidationError(problem)
