"""Asking for an evidence pack: what it should contain."""

from __future__ import annotations

from wtforms import Form, RadioField, SelectChoice
from wtforms.validators import InputRequired

from accredit.services.reports.packs import PackScope

CHOOSE_SCOPE = "Choose what the pack should contain"


class PackForm(Form):
    scope = RadioField(
        "What should the pack contain?",
        choices=[SelectChoice(s.value, s.label) for s in PackScope],
        validators=[InputRequired(CHOOSE_SCOPE)],
    )

    def chosen(self) -> PackScope:
        """Call after ``validate()``: the scope, which the choices made one of ours."""
        return PackScope(self.scope.data)
