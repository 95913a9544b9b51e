"""The verify page's form: a pack or certificate to upload, or a fingerprint or certificate
reference to paste (either will do)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, ValidationError

from accredit.domain.review.certificates import parse_reference
from accredit.domain.review.fingerprint import looks_like_fingerprint
from accredit.forms.evidence.evidence import chosen_file
from accredit.forms.validators import strip


class VerifyForm(FlaskForm):
    file = FileField("Upload the pack or certificate (PDF)")
    fingerprint = StringField("Or paste its fingerprint or certificate reference", filters=[strip])

    def validate_file(self, field: FileField) -> None:
        if chosen_file(field) is None and not self.fingerprint.data:
            raise ValidationError("Upload a pack or paste its fingerprint")

    def validate_fingerprint(self, field: StringField) -> None:
        value = (field.data or "").lower()
        if value and not looks_like_fingerprint(value) and parse_reference(value) is None:
            raise ValidationError(
                "A fingerprint is 64 characters, each a digit or a letter from a to f"
            )
