"""A box a person ticks to confirm something: posted as ``yes`` when ticked, absent when not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import BooleanField


class YesField(BooleanField):
    """True only when the box posted ``yes``: any other value (a tampered page) is no consent."""

    def process_formdata(self, valuelist: Sequence[Any]) -> None:
        self.data = bool(valuelist) and valuelist[0] == "yes"
