"""Charts for pages and PDFs alike, drawn straight to SVG.

Every chart comes with a title, a text description and a table of the same figures, so nobody
needs to see the picture to get the numbers. The drawing is plain SVG written by these modules
(bars, lines, heat map), a few milliseconds each, so a page draws its charts afresh for whatever
figures it shows and no worker keeps, or has to warm, a cache of pictures. The SVG has no
script, no style attribute and no id outside the chart's own prefix, so it can be placed inline
under a strict Content Security Policy, several charts to a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from accredit.services.reports.charts import heat, lines, svg
from accredit.services.reports.charts.bars import Marker
from accredit.services.reports.charts.bars import draw as draw_bars
from accredit.services.reports.charts.metrics import text_width

__all__ = ["Chart", "Marker", "bar_chart", "heat_map", "line_chart", "prepare", "text_width"]


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    title: str
    description: str
    svg: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


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
    svg = draw_bars(chart_id, title, description, bars, markers, axis_label)
    rows = tuple(
        (label, "Not applicable" if value is None else f"{value:.0f}%") for label, value in bars
    )
    return Chart(chart_id, title, description, svg, headers, rows)


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
    svg = lines.draw(chart_id, title, description, x_labels, series, axis_label, y_max)
    headers = (x_header, *(name for name, _ in series))
    rows = tuple(
        (label, *(_figure(values[i], unit) for _, values in series))
        for i, label in enumerate(x_labels)
    )
    return Chart(chart_id, title, description, svg, headers, rows)


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
    svg = heat.draw(chart_id, title, description, row_labels, column_labels, values, value_label)
    headers = (row_header, *column_labels)
    rows = tuple(
        (label, *(_figure(value, unit) for value in row))
        for label, row in zip(row_labels, values, strict=True)
    )
    return Chart(chart_id, title, description, svg, headers, rows)


def prepare() -> None:
    """Read the chart font's metrics now (a worker's warm-up), not for its first chart."""
    text_width("0", svg.FONT_SIZE)


def _figure(value: float | None, unit: str) -> str:
    """A value as the tables write it: "62%", "12", "12.5" or "No data"."""
    if value is None:
        return "No data"
    if unit == "%" or float(value).is_integer():
        return f"{value:.0f}{unit}"
    return f"{value:.1f}{unit}"
