"""Horizontal bars of percentages, with dashed reference lines (a level's threshold, say)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accredit.services.reports.charts import svg
from accredit.services.reports.charts.metrics import text_width, widest
from accredit.services.reports.charts.style import (
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_MID_GREY,
    NHS_PALE_GREY,
    NHS_TEXT,
)

ROW = 42.0
BAR = 26.0
LINE_HEIGHT = 12.0
MARKER_SIZE = 8.0
SCALE_TOP = 108.0  # room after a full bar for its "100%"
TICKS = (0, 20, 40, 60, 80, 100)


@dataclass(frozen=True, slots=True)
class Marker:
    """A vertical reference line across a bar chart (a level's threshold, say)."""

    label: str
    value: float


def draw(
    chart_id: str,
    title: str,
    description: str,
    bars: tuple[tuple[str, float | None], ...],
    markers: tuple[Marker, ...],
    axis_label: str,
) -> str:
    labels = [wrap(label).split("\n") for label, _ in bars]
    left = max(40.0, widest([ln for lines in labels for ln in lines], svg.FONT_SIZE) + 14)
    right = svg.WIDTH - 16
    merged = _merged(markers)

    def x(value: float) -> float:
        return left + (right - left) * value / SCALE_TOP

    placed = _label_rows(merged, x)
    top = 12.0 + (MARKER_SIZE + 4) * (max((row for _, row in placed), default=-1) + 1)
    bottom = top + ROW * len(bars)
    body: list[str] = []
    body += [svg.line(x(t), top, x(t), bottom, NHS_PALE_GREY) for t in TICKS]
    for index, ((_, value), lines) in enumerate(zip(bars, labels, strict=True)):
        middle = top + ROW * (index + 0.5)
        body += svg.lines_of_text(left - 8, middle, lines, anchor="end", line_height=LINE_HEIGHT)
        body.append(svg.rect(left, middle - BAR / 2, x(value or 0.0) - left, BAR, NHS_BLUE))
        body.append(
            svg.text(
                x(value or 0.0) + 4,
                middle + svg.FONT_SIZE * svg.MIDDLE_TO_BASELINE,
                "n/a" if value is None else f"{value:.0f}%",
                fill=NHS_DARK_GREY,
            )
        )
    for marker, row in placed:
        body.append(
            svg.line(
                x(marker.value), top, x(marker.value), bottom, NHS_MID_GREY, stroke_dasharray="5 3"
            )
        )
        body.append(
            svg.text(
                x(marker.value),
                top - 4 - row * (MARKER_SIZE + 4),
                marker.label,
                anchor="middle",
                size=MARKER_SIZE,
                fill=NHS_DARK_GREY,
            )
        )
    body.append(svg.line(left, top, left, bottom, NHS_TEXT))
    body.append(svg.line(left, bottom, right, bottom, NHS_TEXT))
    for t in TICKS:
        body.append(svg.line(x(t), bottom, x(t), bottom + 4, NHS_TEXT))
        body.append(svg.text(x(t), bottom + 16, str(t), anchor="middle"))
    body.append(svg.text((left + right) / 2, bottom + 34, axis_label, anchor="middle"))
    return svg.document(chart_id, title, description, bottom + 42, body)


def wrap(label: str, width: int = 34) -> str:
    """Long section titles over two lines or more rather than squeezing the bars."""
    if len(label) <= width:
        return label
    cut = label.rfind(" ", 0, width)
    if cut <= 0:
        return label
    return label[:cut] + "\n" + wrap(label[cut + 1 :], width)


def _merged(markers: tuple[Marker, ...]) -> list[Marker]:
    """Markers at the same value share one line and one label ("Bronze, Silver")."""
    by_value: dict[float, list[str]] = {}
    for marker in markers:
        by_value.setdefault(marker.value, []).append(marker.label)
    return [Marker(", ".join(labels), value) for value, labels in sorted(by_value.items())]


def _label_rows(markers: list[Marker], x: Callable[[float], float]) -> list[tuple[Marker, int]]:
    """Each marker's label on the lowest row where it does not touch another."""
    ends: list[float] = []  # the right edge of the last label on each row
    placed = []
    for marker in markers:
        half = text_width(marker.label, MARKER_SIZE) / 2
        row = next((r for r, end in enumerate(ends) if x(marker.value) - half > end + 4), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = x(marker.value) + half
        placed.append((marker, row))
    return placed
