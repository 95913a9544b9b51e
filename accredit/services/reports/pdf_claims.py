"""What a PDF says it is: a value it carries in its metadata keywords or prints on page 1.

Packs carry their snapshot's fingerprint and certificates their reference both ways, so a
copy whose metadata was lost on the way is still recognised by what is printed. One search
serves both, with each document's own patterns.
"""

from __future__ import annotations

import re

from pypdf import PdfReader


def claimed(reader: PdfReader, keyword: re.Pattern[str], printed: re.Pattern[str]) -> str | None:
    """The first group of ``keyword`` in the keywords, else of ``printed`` on page 1. The
    caller guards against damaged files (pypdf raises many kinds)."""
    metadata = reader.metadata
    keywords = metadata.get("/Keywords", "") if metadata is not None else ""
    found = keyword.search(str(keywords))
    if found:
        return found.group(1)
    if reader.pages:
        found = printed.search(reader.pages[0].extract_text() or "")
        if found:
            return found.group(1)
    return None
