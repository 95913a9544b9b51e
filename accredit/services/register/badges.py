"""An organisation's badge as SVG: its name on the left, its award (or that it ended) on the
right, green while the award stands and grey after. Drawn as text, a few hundred bytes, and
sized with DejaVu Sans's own widths (the charts' metrics), so nothing is cut off.

The SVG is the same for everyone and changes only when the award does (or the day it lapses),
so it is served with an ETag of its own bytes and may be cached for an hour by anyone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from accredit.data.base import utcnow
from accredit.data.queries.register import listing
from accredit.domain.register.badge import Badge, BadgeState, badge_for
from accredit.services.reports.charts import text_width

HEIGHT = 20
FONT_SIZE = 11
PADDING = 6
#: White text on these meets WCAG AA (NHS dark grey, NHS green, NHS mid grey).
LABEL_FILL = "#425563"
FILLS = {BadgeState.CURRENT: "#007f3b", BadgeState.EXPIRED: "#4c6272"}
FILLS[BadgeState.WITHDRAWN] = FILLS[BadgeState.EXPIRED]
FONT = "DejaVu Sans,Verdana,Geneva,sans-serif"


@dataclass(frozen=True, slots=True)
class DrawnBadge:
    badge: Badge
    svg: str

    @property
    def etag(self) -> str:
        return hashlib.sha256(self.svg.encode("utf-8")).hexdigest()[:32]


def badge(ods_code: str, today: date | None = None) -> DrawnBadge | None:
    """The organisation's badge; None when it has never held an award."""
    today = today or utcnow().date()
    found = listing.latest_award(ods_code, today)
    if found is None:
        return None
    made = badge_for(found.name, found.level_name, found.status, found.expires_on, today)
    return DrawnBadge(made, draw(made))


def draw(made: Badge) -> str:
    left = round(text_width(made.label, FONT_SIZE) + 2 * PADDING)
    right = round(text_width(made.message, FONT_SIZE) + 2 * PADDING)
    width = left + right
    baseline = 14
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label={quoteattr(made.description)}>'
        f"<title>{escape(made.description)}</title>"
        f'<rect width="{left}" height="{HEIGHT}" fill="{LABEL_FILL}"/>'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" fill="{FILLS[made.state]}"/>'
        f'<g fill="#ffffff" font-family="{FONT}" font-size="{FONT_SIZE}">'
        f'<text x="{PADDING}" y="{baseline}">{escape(made.label)}</text>'
        f'<text x="{left + PADDING}" y="{baseline}">{escape(made.message)}</text>'
        "</g></svg>"
    )


_UNSAFE = str.maketrans("", "", '<>"')


@dataclass(frozen=True, slots=True)
class Snippets:
    """What an organisation copies to show its badge: HTML and Markdown, each a link to its
    register page around the badge image."""

    alt: str
    html: str
    markdown: str


def snippets(name: str, page_url: str, badge_url: str) -> Snippets:
    """The snippets as text to copy; any name is written so that it stays text in them. The
    alt text keeps the name without the characters HTML would escape (an ampersand becomes
    "and"), so the snippet reads as plainly as the name does."""
    plain = " ".join(name.replace("&", " and ").translate(_UNSAFE).split())
    alt = f"Work experience accreditation of {plain}"
    html = (
        f"<a href={quoteattr(page_url)}><img src={quoteattr(badge_url)} alt={quoteattr(alt)}></a>"
    )
    markdown_alt = "".join("\\" + c if c in "\\[]" else c for c in alt)
    return Snippets(alt, html, f"[![{markdown_alt}]({badge_url})]({page_url})")
