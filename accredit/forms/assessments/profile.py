"""The organisation profile form, built from the standard's yes/no profile fields (they are
data, so the form is made per standard, like the question pages).

Each field posts under its profile field id. The Python attribute is `field_<n>` instead: a
standard may name a field anything its schema allows, "data" or "validate" included, which
would shadow the form's own attributes. Plain `wtforms.Form`: CSRF is checked for every POST
by Flask-WTF's CSRFProtect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import Form, RadioField, SelectChoice
from wtforms.validators import StopValidation

from accredit.domain.scoring.profile import profile_error
from accredit.domain.scoring.standard import ProfileField

YES, NO = "yes", "no"


class ProfileForm(Form):
    def chosen(self) -> dict[str, str | None]:
        """Each field's choice as its radios show it, by profile field id (None: not chosen)."""
        return {field.name: field.data for field in self}

    def answers(self) -> dict[str, bool]:
        """The profile as stored: each field's answer, by profile field id."""
        return {field.name: field.data == YES for field in self}

    def problems(self) -> dict[str, str]:
        """Each unanswered field's message, by profile field id, in the form's order."""
        return {field.name: field.errors[0] for field in self if field.errors}


def _yes_or_no(message: str) -> Any:
    def check(form: Form, field: RadioField) -> None:
        if field.data not in (YES, NO):
            raise StopValidation(message)

    return check


def profile_form(questions: Sequence[ProfileField]) -> type[ProfileForm]:
    """A form asking each of `questions` yes or no; one left unanswered (or sent with any
    other value) says so in the field's own words (`profile_error`)."""
    fields = {
        f"field_{index}": RadioField(
            question.label,
            name=question.id,
            choices=[SelectChoice(YES, "Yes"), SelectChoice(NO, "No")],
            validate_choice=False,
            validators=[_yes_or_no(profile_error(question.label))],
        )
        for index, question in enumerate(questions)
    }
    return type("OrganisationProfileForm", (ProfileForm,), fields)


def shown_choices(
    questions: Sequence[ProfileField],
    stored: Mapping[str, object],
    kept: Mapping[str, str] | None = None,
) -> MultiDict[str, str]:
    """What the form shows: the stored profile (a field never answered chooses nothing), with
    any choice `kept` from before the form or the session expired on top."""
    choices: MultiDict[str, str] = MultiDict()
    for field in questions:
        if kept is not None and kept.get(field.id) in (YES, NO):
            choices[field.id] = kept[field.id]
        elif field.id in stored:
            choices[field.id] = YES if stored.get(field.id) else NO
    return choices
