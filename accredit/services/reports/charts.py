"""Charts drawn on the server by matplotlib as SVG, for pages and PDFs alike.

Every chart comes with a title, a text description and a table of the same figures, so nobody
needs to see the picture to get the numbers. Matplotlib draws the geometry; we only add the
accessible name (``<title>`` and ``<desc>``) to the SVG root and drop the XML prologue so the
markup can be placed inline. A chart's SVG depends only on its figures, so it is drawn once per
distinct set of figures and kept (pages ask again on every visit).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("svg")  # no GUI backend, whatever the environment says

from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text

from accredit.services.reports.chart_svg import accessible_svg, svg_text

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
NHS_TEXT = "#212b32"

#: Lines: NHS colours with at least 3:1 contrast on white (WCAG 1.4.11, non-text contrast),
#: each with its own marker and dash.
_LINE_COLOURS = (NHS_BLUE, "#7c2855", "#007f3b", "#330072", NHS_DARK_GREY, "#003087")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
_DASHES: tuple[str | tuple[int, tuple[int, ...]], ...] = (
    "-",
    "--",
    "-.",
    ":",
    (0, (6, 2, 1, 2, 1, 2)),
)
#: The pale end of the heat map's scale (NHS grey 5); its dark end is NHS blue.
_HEAT_LOW = "#f0f4f5"
_NO_DATA_MARK = "\N{EN DASH}"

_LOCK = threading.Lock()  # matplotlib's text layout caches are not thread-safe


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
        _no_maths([*axes.get_yticklabels(), *axes.texts, *container_labels])
        axes.set_xlim(0, 108)
        axes.set_xlabel(axis_label)
        axes.grid(axis="x", color=NHS_PALE_GREY)
        _plain(axes)
        svg = svg_text(figure)
    return accessible_svg(svg, chart_id, title, description)


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    x_labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[float | None, ...]], ...],
    *,
    axis_label: str = "Score (%)",
    y_max: float | None = None,
    x_header: str = "Week",
    unit: str = "%",
) -> Chart:
    """Lines over the same x labels (weeks, say), one per named series, with a legend. Each
    line has its own colour, marker and dash, so colour is never the only cue. A missing
    value (None) breaks its line and reads "No data" in the table, which has a row per x
    label and a column per series. ``unit`` ("%" or "") is how the table writes a value."""
    for name, values in series:
        if len(values) != len(x_labels):
            raise ValueError(f"Series {name!r} has {len(values)} values for {len(x_labels)} labels")
    svg = _line_svg(chart_id, title, description, x_labels, series, axis_label, y_max)
    headers = (x_header, *(name for name, _ in series))
    rows = tuple(
        (label, *(_figure(values[i], unit) for _, values in series))
        for i, label in enumerate(x_labels)
    )
    return Chart(chart_id, title, description, svg, headers, rows)


@lru_cache(maxsize=128)
def _line_svg(
    chart_id: str,
    title: str,
    description: str,
    x_labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[float | None, ...]], ...],
    axis_label: str,
    y_max: float | None,
) -> str:
    from matplotlib.ticker import MaxNLocator

    known = [v for _, values in series for v in values if v is not None]
    with _LOCK:
        figure = Figure(figsize=(7.2, 4.0), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(x_labels)))
        for index, (name, values) in enumerate(series):
            colour, marker, dash = _series_style(index)
            axes.plot(
                positions,
                [math.nan if v is None else v for v in values],
                label=name,
                color=colour,
                marker=marker,
                linestyle=dash,
                linewidth=2,
                markersize=6,
            )
        # At most about a dozen labels under the axis; the table has every one.
        step = max(1, math.ceil(len(x_labels) / 12))
        shown = positions[::step]
        slanted = len(shown) > 6
        axes.set_xticks(
            shown,
            [x_labels[i] for i in shown],
            rotation=40 if slanted else 0,
            ha="right" if slanted else "center",
            rotation_mode="anchor",
        )
        axes.set_xlim(-0.5, max(len(x_labels) - 0.5, 0.5))
        if y_max is not None:
            axes.set_ylim(0, y_max)
        else:
            axes.set_ylim(0, max(1.0, max(known, default=0.0) * 1.1))
            if all(float(v).is_integer() for v in known):
                axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel(axis_label)
        axes.grid(axis="y", color=NHS_PALE_GREY)
        legend = figure.legend(
            loc="outside lower center", ncols=min(len(series), 3) or 1, frameon=False
        )
        _no_maths([*axes.get_xticklabels(), *legend.get_texts()])
        _plain(axes)
        svg = svg_text(figure)
    return accessible_svg(svg, chart_id, title, description)


def heat_map(
    chart_id: str,
    title: str,
    description: str,
    row_labels: tuple[str, ...],
    column_labels: tuple[str, ...],
    values: tuple[tuple[float | None, ...], ...],
    *,
    value_label: str = "Average score (%)",
    row_header: str = "Region",
    unit: str = "%",
) -> Chart:
    """A grid of values (regions by sections, say), each cell shaded from pale to NHS blue
    and written in, in a colour that contrasts with its shade (an en dash where there is no
    data). The scale runs from 0 to 100, or to the largest value if that is more. The table
    has a row per row label and a column per column label."""
    if len(values) != len(row_labels) or any(len(row) != len(column_labels) for row in values):
        raise ValueError("A heat map needs a value (or None) for every row and column")
    svg = _heat_svg(chart_id, title, description, row_labels, column_labels, values, value_label)
    headers = (row_header, *column_labels)
    rows = tuple(
        (label, *(_figure(value, unit) for value in row))
        for label, row in zip(row_labels, values, strict=True)
    )
    return Chart(chart_id, title, description, svg, headers, rows)


@lru_cache(maxsize=64)
def _heat_svg(
    chart_id: str,
    title: str,
    description: str,
    row_labels: tuple[str, ...],
    column_labels: tuple[str, ...],
    values: tuple[tuple[float | None, ...], ...],
    value_label: str,
) -> str:
    import numpy
    from matplotlib.colors import LinearSegmentedColormap, Normalize

    grid = numpy.ma.masked_invalid(
        numpy.array([[math.nan if v is None else v for v in row] for row in values], dtype=float)
    )
    known = [v for row in values for v in row if v is not None]
    norm = Normalize(0.0, max(100.0, *known) if known else 100.0)
    scale = LinearSegmentedColormap.from_list("accredit-heat", [_HEAT_LOW, NHS_BLUE])
    colours = scale.with_extremes(bad="white")
    with _LOCK:
        figure = Figure(figsize=(7.2, 3.0 + 0.45 * len(row_labels)), layout="constrained")
        axes = figure.add_subplot()
        mesh = axes.pcolormesh(grid, cmap=colours, norm=norm, edgecolors="white", linewidth=2)
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                axes.text(
                    c + 0.5,
                    r + 0.5,
                    _NO_DATA_MARK if value is None else f"{value:.0f}",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=NHS_DARK_GREY if value is None else _text_on(colours(norm(value))),
                )
        axes.set_xticks(
            [c + 0.5 for c in range(len(column_labels))],
            column_labels,  # one line each: slanted lines side by side never overlap
            rotation=45,
            ha="left",
            rotation_mode="anchor",
        )
        axes.xaxis.tick_top()
        axes.set_yticks([r + 0.5 for r in range(len(row_labels))], [_wrap(r) for r in row_labels])
        axes.invert_yaxis()  # first row at the top, as in the table
        axes.tick_params(length=0)
        bar = figure.colorbar(mesh, ax=axes, label=value_label, fraction=0.04, pad=0.02)
        bar.outline.set_visible(False)
        _no_maths([*axes.get_xticklabels(), *axes.get_yticklabels(), *axes.texts])
        for side in ("top", "right", "bottom", "left"):
            axes.spines[side].set_visible(False)
        svg = svg_text(figure)
    return accessible_svg(svg, chart_id, title, description)


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


def _series_style(index: int) -> tuple[str, str, str | tuple[int, tuple[int, ...]]]:
    """Colour, marker and dash of the ``index``-th line; the three cycle at different
    lengths, so no two of the first dozens of lines look alike."""
    return (
        _LINE_COLOURS[index % len(_LINE_COLOURS)],
        _MARKERS[index % len(_MARKERS)],
        _DASHES[index % len(_DASHES)],
    )


def _figure(value: float | None, unit: str) -> str:
    """A value as the tables write it: "62%", "12", "12.5" or "No data"."""
    if value is None:
        return "No data"
    if unit == "%" or float(value).is_integer():
        return f"{value:.0f}{unit}"
    return f"{value:.1f}{unit}"


def _text_on(rgba: tuple[float, float, float, float]) -> str:
    """White or NHS text colour, whichever contrasts more with the cell's shade."""
    luminance = _luminance(rgba[:3])
    on_white = 1.05 / (luminance + 0.05)
    on_dark = (luminance + 0.05) / (_luminance(to_rgb(NHS_TEXT)) + 0.05)
    return "#ffffff" if on_white >= on_dark else NHS_TEXT


def _luminance(rgb: tuple[float, ...]) -> float:
    """WCAG relative luminance of an sRGB colour with channels from 0 to 1."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _no_maths(texts: list[Text]) -> None:
    """Labels are data (section titles from a standard): never read "$...$" as maths."""
    for text in texts:
        text.set_parse_math(False)


def _plain(axes: Axes) -> None:
    """Gridlines behind the data, and no box on the top and right."""
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def forget() -> None:
    """Drop every chart drawn so far, as a newly started worker has none (for the benches)."""
    for drawn in (_bar_svg, _line_svg, _heat_svg):
        drawn.cache_clear()
