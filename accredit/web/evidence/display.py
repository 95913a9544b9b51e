"""How evidence files are described on pages: "PDF", "Word document", "1.2 MB"."""

from __future__ import annotations

from accredit.services.evidence.filetypes import ACCEPTED


def file_type(media_type: str) -> str:
    accepted = ACCEPTED.get(media_type)
    return accepted.label if accepted else "File"
