"""A matplotlib figure as inline SVG that a strict Content Security Policy allows and assistive
technology can name: no prologue or metadata, presentation attributes instead of style
attributes, ids kept apart per chart, and a title and description on the root.
"""

from __future__ import annotations

import io
import re
from html import escape

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_SHEET = re.compile(r"<style[^>]*>[^<]*</style>\s*")
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_FONT = re.compile(r"^(?:(?P<weight>\w+)\s+)?(?P<size>[\d.]+px)\s+(?P<family>.+)$")
_IDS = re.compile(r'(\bid="|url\(#|xlink:href="#)')


def svg_text(figure: Figure) -> str:
    """The figure as SVG text, without the date and generator that would change every run."""
    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _attributes(style: str) -> str:
    """Matplotlib's ``style="fill: #fff; font: 10px 'DejaVu Sans'"`` as SVG presentation
    attributes, which every SVG renderer reads and a strict Content Security Policy allows
    (inline style attributes it does not)."""
    out = []
    for declaration in style.split(";"):
        name, _, value = (part.strip() for part in declaration.partition(":"))
        if not name or not value:
            continue
        if name == "font":
            found = _FONT.match(value)
            if found is None:
                continue
            if found["weight"]:
                out.append(f'font-weight="{found["weight"]}"')
            out.append(f'font-size="{found["size"]}"')
            out.append(f'font-family="{escape(found["family"].strip(), quote=True)}"')
        else:
            out.append(f'{name}="{escape(value, quote=True)}"')
    return " " + " ".join(out) if out else ""


def accessible_svg(svg: str, chart_id: str, title: str, description: str) -> str:
    """Inline-ready SVG named by its title and description."""
    svg = _METADATA.sub("", _PROLOGUE.sub("", svg, count=1), count=1)
    # Matplotlib numbers its groups figure_1, axes_1...: prefix them so two charts on one page
    # keep their ids (and clip-path references) apart.
    svg = _IDS.sub(lambda m: f"{m.group(1)}{chart_id}-", svg)
    svg = _STYLE.sub(lambda m: _attributes(m.group(1)), svg)
    # Its one stylesheet sets line joins and caps for everything: inherited attributes instead.
    svg = _SHEET.sub("", svg, count=1)
    head, rest = svg.split(">", 1)
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    return (
        f'{head} id="{chart_id}" class="app-chart__svg" role="img" '
        'stroke-linejoin="round" stroke-linecap="butt" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{rest}'
    )
