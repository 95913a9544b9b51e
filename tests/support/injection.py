"""A marker payload for stored free text, and the checks that it never becomes markup.

Each stored field gets its own marker (``XSSON`` for organisation names and so on). The
payload breaks out of an attribute, opens an element carrying the marker, refreshes the page
to another site and runs a script. Wherever a page or document shows the field, the reader
must see the payload as the text that was typed: in a page's markup no element or attribute
of it exists, and in any document's visible text the marker never appears without the
literal ``data-xss=`` that came before it (shown raw, an element would swallow that part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup


def payload(marker: str) -> str:
    """Short enough for the shortest text column a user sets (a person's name, 120)."""
    return (
        f"\"'><b data-xss={marker}>{marker}</b>"
        '<meta http-equiv=refresh content="0;url=//evil.example">'
        "<img src=x onerror=alert(1)>"
    )


MARKER = re.compile(r"XSS[A-Z]{2}")
LITERAL = re.compile(r"data-xss=(XSS[A-Z]{2})")


@dataclass
class Findings:
    """What a sweep saw: the markers shown as text, and every place one became markup."""

    shown: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def check_text(self, where: str, text: str) -> None:
        """Visible text (a PDF's, a CSV's, a page's): each marker with its literal markup."""
        literal = set(LITERAL.findall(text))
        self.shown |= literal
        bare = set(MARKER.findall(text)) - literal
        if bare:
            self.problems.append(f"{where}: {sorted(bare)} shown without its markup (rendered)")
        if "&lt;b data-xss" in text or "&amp;lt;" in text:
            self.problems.append(f"{where}: escaped twice (the reader sees &lt;)")

    def check_html(self, where: str, html: str) -> None:
        soup = BeautifulSoup(html, "html.parser")
        for link in soup.find_all("a", href=True):
            if not str(link["href"]).strip():
                self.problems.append(f"{where}: dead link {link.get_text(strip=True)!r}")
        for tag in soup.find_all(True):
            if tag.has_attr("data-xss"):
                self.problems.append(f"{where}: <{tag.name} data-xss={tag['data-xss']}> in page")
            if tag.has_attr("onerror"):
                self.problems.append(f"{where}: <{tag.name} onerror> in page")
            # A page's own description may quote a stored name as text; an injected one
            # would be a refresh (http-equiv), which is what must never appear.
            if (
                tag.name == "meta"
                and tag.has_attr("http-equiv")
                and "evil.example" in str(tag.get("content", ""))
            ):
                self.problems.append(f"{where}: meta refresh to evil.example in page")
        for hidden in soup(["script", "style"]):
            hidden.decompose()
        self.check_text(where, soup.get_text(" "))
