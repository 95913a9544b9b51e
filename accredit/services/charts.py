"""Charts drawn on the server by matplotlib as SVG, for pages and PDFs alike.

Every chart comes with a title, a text description and a table of the same figures, so nobody
needs to see the picture to get the numbers. Matplotlib draws the geometry; we only add the
accessible name (``<title>`` and ``<desc>``) to the SVG root and drop the XML prologue so the
markup can be placed inline. A chart's SVG depends only on its figures, so it is drawn once per
distinct set of figures and kept (pages ask again on every visit).
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import matplotlib

matplotlib.use("svg")  # no GUI backend, whatever the environment says

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

# Text stays text (selectable, readable by assistive technology and by pdftotext in a pack),
# ids are stable between runs, and the fonts are ones the PDF renderer also has.
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "accredit",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 10,
    }
)

#: NHS identity colours (https://service-manual.nhs.uk/design-system/styles/colour).
NHS_BLUE = "#005eb8"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#e8edee"

_LOCK = threading.Lock()  # matplotlib's text layout caches are not thread-safe
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_SHEET = re.compile(r"<style[^>]*>[^<]*</style>\s*")
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_FONT = re.compile(r"^(?:(?P<weight>\w+)\s+)?(?P<size>[\d.]+px)\s+(?P<family>.+)$")
_IDS = re.compile(r'(\bid="|url\(#|xlink:href="#)')


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    title: str
    description: str
    svg: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Marker:
    """A vertical reference line across a bar chart (a level's threshold, say)."""

    label: str
    value: float


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: tuple[tuple[str, float | None], ...],
    *,
    headers: tuple[str, str] = ("Item", "Score"),
    markers: tuple[Marker, ...] = (),
    axis_label: str = "Score (%)",
) -> Chart:
    """Horizontal bars of percentages (0 to 100); a bar with no value is shown as "not
    applicable" in the table and left empty in the picture."""
    svg = _bar_svg(chart_id, title, description, bars, markers, axis_label)
    rows = tuple(
        (label, "Not applicable" if value is None else f"{value:.0f}%") for label, value in bars
    )
    return Chart(chart_id, title, description, svg, headers, rows)


@lru_cache(maxsize=256)
def _bar_svg(
    chart_id: str,
    title: str,
    description: str,
    bars: tuple[tuple[str, float | None], ...],
    markers: tuple[Marker, ...],
    axis_label: str,
) -> str:
    labels = [_wrap(label) for label, _ in bars]
    values = [value or 0.0 for _, value in bars]
    height = 0.9 + 0.42 * len(bars)
    with _LOCK:
        figure = Figure(figsize=(7.2, height), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(bars)))[::-1]  # first item at the top
        container = axes.barh(positions, values, color=NHS_BLUE, height=0.62)
        container_labels = axes.bar_label(
            container,
            labels=["n/a" if v is None else f"{v:.0f}%" for _, v in bars],
            padding=3,
            color=NHS_DARK_GREY,
        )
        for marker in _merged(markers):
            axes.axvline(marker.value, color=NHS_MID_GREY, linestyle="--", linewidth=1)
            axes.annotate(
                marker.label,
                (marker.value, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
                color=NHS_DARK_GREY,
            )
        axes.set_yticks(positions, labels)
        # Labels are data (section titles from a standard): never read "$...$" as maths.
        for text in [*axes.get_yticklabels(), *axes.texts, *container_labels]:
            text.set_parse_math(False)
        axes.set_xlim(0, 108)
        axes.set_xlabel(axis_label)
        axes.grid(axis="x", color=NHS_PALE_GREY)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        buffer = io.StringIO()
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return _accessible(buffer.getvalue(), chart_id, title, description)


def _merged(markers: tuple[Marker, ...]) -> list[Marker]:
    """Markers at the same value share one line and one label ("Bronze, Silver")."""
    by_value: dict[float, list[str]] = {}
    for marker in markers:
        by_value.setdefault(marker.value, []).append(marker.label)
    return [Marker(", ".join(labels), value) for value, labels in by_value.items()]


def _wrap(label: str, width: int = 34) -> str:
    """Long section titles over two lines rather than squeezing the bars."""
    if len(label) <= width:
        return label
    cut = label.rfind(" ", 0, width)
    if cut <= 0:
        return label
    return label[:cut] + "\n" + _wrap(label[cut + 1 :], width)


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


def _accessible(svg: str, chart_id: str, title: str, description: str) -> str:
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
