"""Evidence library forms: adding an item, a new version of a file, removing an item.

The file's type and size are not checked here: the service decides them from the bytes, and
its refusal is shown on the file field. What the form checks is what a person typed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import Field, HiddenField, StringField, TextAreaField, ValidationError
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length

from accredit.domain.numbers import is_whole
from accredit.domain.scoring.evidence import (
    DESCRIPTION_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    EvidenceKind,
    link_problem,
)
from accredit.forms.validators import strip

PARTS = ("day", "month", "year")


class DateInputField(Field):
    """A date typed into the NHS.UK date input: ``<name>-day``, ``-month`` and ``-year``.

    Optional: all three blank is no date. The parts are kept as typed (``parts``) so a
    wrong date comes back exactly as it was entered.
    """

    data: date | None

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.data = None if data is unset_value else data
        self.parts = _parts_of(self.data)
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in PARTS):
            self.parts = {p: (formdata.get(f"{self.name}-{p}") or "").strip() for p in PARTS}
            self.raw_data = list(self.parts.values())
            self.data = None
            problem = _date_problem(self.parts, self.label.text)
            if problem:
                self.process_errors.append(problem)
            elif any(self.parts.values()):
                self.data = date(*(int(self.parts[p]) for p in ("year", "month", "day")))


def _parts_of(value: date | None) -> dict[str, str]:
    if value is None:
        return dict.fromkeys(PARTS, "")
    return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}


def _date_problem(parts: dict[str, str], label: str) -> str | None:
    name = label.removesuffix(" (optional)")
    if not any(parts.values()):
        return None
    missing = [p for p in PARTS if not parts[p]]
    if missing:
        return f"{name} must include a {' and '.join(missing)}"
    if not all(is_whole(parts[p], 4) for p in PARTS) or len(parts["year"]) != 4:
        return f"{name} must be a real date"
    try:
        value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return f"{name} must be a real date"
    if not 1900 <= value.year <= 2100:
        return f"{name} must be a real date"
    return None


def chosen_file(field: Field) -> FileStorage | None:
    data = field.data
    return data if isinstance(data, FileStorage) and data.filename else None


def _title() -> StringField:
    return StringField(
        "Title",
        filters=[strip],
        validators=[
            DataRequired("Enter a title"),
            Length(max=TITLE_MAX, message=f"The title must be {TITLE_MAX} characters or fewer"),
        ],
    )


def _description() -> TextAreaField:
    return TextAreaField(
        "Description (optional)",
        filters=[strip],
        validators=[
            Length(
                max=DESCRIPTION_MAX,
                message=f"The description must be {DESCRIPTION_MAX:,} characters or fewer",
            )
        ],
    )


def _effective_date() -> DateInputField:
    return DateInputField("Date it came into effect (optional)")


class NewEvidenceForm(FlaskForm):
    """One form for the three kinds; the page shows only the fields of the chosen kind.

    The kind is chosen by the link that led here (``?kind=link``) rather than by radios that
    reveal fields: NHS.UK's conditional radios put aria-expanded on radio inputs, which
    assistive technology does not support (axe flags it as critical).
    """

    # Fields in page order: the error summary lists problems in this order.
    kind = HiddenField(default=EvidenceKind.FILE.value)
    file = FileField("Choose a file")
    url = StringField("Web address", filters=[strip])
    statement = TextAreaField("Statement", filters=[strip])
    title = _title()
    description = _description()
    effective_date = _effective_date()

    def chosen_kind(self) -> EvidenceKind:
        """The kind being added; anything unexpected is a file, the commonest kind."""
        value = self.kind.data
        return EvidenceKind(value) if value in set(EvidenceKind) else EvidenceKind.FILE

    def validate_file(self, field: FileField) -> None:
        if self.chosen_kind() is EvidenceKind.FILE and chosen_file(field) is None:
            raise ValidationError("Select a file to upload")

    def validate_url(self, field: StringField) -> None:
        if self.chosen_kind() is EvidenceKind.LINK:
            problem = link_problem(field.data or "")
            if problem:
                raise ValidationError(problem)

    def validate_statement(self, field: TextAreaField) -> None:
        if self.chosen_kind() is not EvidenceKind.STATEMENT:
            return
        if not field.data:
            raise ValidationError("Enter the statement")
        if len(field.data) > STATEMENT_MAX:
            raise ValidationError(f"The statement must be {STATEMENT_MAX:,} characters or fewer")


class NewVersionForm(FlaskForm):
    file = FileField("Choose the new version")
    effective_date = _effective_date()

    def validate_file(self, field: FileField) -> None:
        if chosen_file(field) is None:
            raise ValidationError("Select a file to upload")


class RemoveForm(FlaskForm):
    """Only the CSRF token: the confirmation page is the question."""
