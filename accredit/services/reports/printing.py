"""What printing a document (an evidence pack, a certificate, the demo's PDFs) takes from the
running app, handed in by whoever asks for the document: a view, a job or a command.

The app's own Jinja environment, so print layouts use the same templates and filters as the
pages and no second environment depends on the working directory; the static folder the
stylesheets, fonts and images are read from; and who issues awards, named on what is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment

from accredit.config import Settings

if TYPE_CHECKING:
    from flask import Flask


@dataclass(frozen=True, slots=True)
class Printing:
    templates: Environment
    static_folder: Path
    #: ACCREDIT_ISSUER_NAME.
    issuer: str

    @classmethod
    def of(cls, app: Flask, settings: Settings) -> Printing:
        return cls(app.jinja_env, Path(app.static_folder or "static"), settings.issuer_name)
