"""A grid of values (regions by sections, say), each cell shaded from pale to NHS blue and
written in, with a colour bar for its scale."""

from __future__ import annotations

import math

from accredit.services.reports.charts import svg
from accredit.services.reports.charts.bars import wrap
from accredit.services.reports.charts.metrics import text_width, widest
from accredit.services.reports.charts.style import (
    HEAT_LOW,
    NHS_BLUE,
    NHS_DARK_GREY,
    blend,
    text_on,
    tick_label,
    ticks,
)

CELL_HEIGHT = 34.0
WIDEST_CELL = 110.0
NARROWEST_CELL = 30.0
SLANT = 45.0
CELL_TEXT = 9.0
LINE_HEIGHT = 12.0
BAR_ROOM = 78.0  # the colour bar, its figures and its label, at the right
BAR_WIDTH = 12.0
BAR_STEPS = 48
BAR_LEAST = 150.0  # the colour bar's least height, for five figures a readable distance apart
NO_DATA = "\N{EN DASH}"


def draw(
    chart_id: str,
    title: str,
    description: str,
    row_labels: tuple[str, ...],
    column_labels: tuple[str, ...],
    values: tuple[tuple[float | None, ...], ...],
    value_label: str,
) -> str:
    known = [v for row in values for v in row if v is not None]
    high = max(100.0, *known) if known else 100.0
    rows = [wrap(label).split("\n") for label in row_labels]
    left = max(40.0, widest([ln for lines in rows for ln in lines], svg.FONT_SIZE) + 14)
    cell = _cell_width(left, column_labels)
    lean = math.sin(math.radians(SLANT))
    top = 14 + widest(column_labels, svg.FONT_SIZE) * lean + svg.FONT_SIZE
    bottom = top + CELL_HEIGHT * len(row_labels)
    body: list[str] = []
    for c, label in enumerate(column_labels):
        body.append(svg.text(left + cell * (c + 0.5), top - 6, label, turn=-SLANT))
    for r, (lines, row) in enumerate(zip(rows, values, strict=True)):
        middle = top + CELL_HEIGHT * (r + 0.5)
        body += svg.lines_of_text(left - 8, middle, lines, anchor="end", line_height=LINE_HEIGHT)
        for c, value in enumerate(row):
            shade = "#ffffff" if value is None else blend(HEAT_LOW, NHS_BLUE, value / high)
            body.append(
                svg.rect(
                    left + cell * c,
                    middle - CELL_HEIGHT / 2,
                    cell,
                    CELL_HEIGHT,
                    shade,
                    stroke="#ffffff",
                    stroke_width="2",
                )
            )
            body.append(
                svg.text(
                    left + cell * (c + 0.5),
                    middle + CELL_TEXT * svg.MIDDLE_TO_BASELINE,
                    NO_DATA if value is None else f"{value:.0f}",
                    anchor="middle",
                    size=CELL_TEXT,
                    fill=NHS_DARK_GREY if value is None else text_on(shade),
                )
            )
    # The colour bar is as tall as the grid, and never too short to show its scale and label.
    bar_bottom = max(bottom, top + BAR_LEAST, top + text_width(value_label, svg.FONT_SIZE) + 8)
    beside = min(svg.WIDTH - BAR_ROOM, left + cell * len(column_labels)) + 16
    body += _colour_bar(beside, top, bar_bottom, high, value_label)
    return svg.document(chart_id, title, description, bar_bottom + 12, body)


def _cell_width(left: float, column_labels: tuple[str, ...]) -> float:
    """As wide as the room allows (at most WIDEST_CELL), with every slanted label ending
    before the colour bar."""
    room = svg.WIDTH - BAR_ROOM - left
    lean = math.cos(math.radians(SLANT))
    width = min(WIDEST_CELL, room / max(len(column_labels), 1))
    for c, label in enumerate(column_labels):
        reach = text_width(label, svg.FONT_SIZE) * lean
        width = min(width, max(NARROWEST_CELL, (room - reach) / (c + 0.5)))
    return width


def _colour_bar(x: float, top: float, bottom: float, high: float, label: str) -> list[str]:
    """The scale from 0 to ``high``: a column of shades with figures beside it."""
    step = (bottom - top) / BAR_STEPS
    parts = [
        svg.rect(
            x,
            bottom - step * (i + 1),
            BAR_WIDTH,
            step + 0.5,
            blend(HEAT_LOW, NHS_BLUE, (i + 0.5) / BAR_STEPS),
        )
        for i in range(BAR_STEPS)
    ]
    for t in ticks(high, whole=True, most=5):
        at = bottom - (bottom - top) * t / high
        parts.append(svg.line(x + BAR_WIDTH, at, x + BAR_WIDTH + 3, at, NHS_DARK_GREY))
        parts.append(
            svg.text(
                x + BAR_WIDTH + 5,
                at + svg.FONT_SIZE * svg.MIDDLE_TO_BASELINE * 0.9,
                tick_label(t),
                size=9,
            )
        )
    parts.append(svg.text(x + BAR_WIDTH + 52, (top + bottom) / 2, label, anchor="middle", turn=-90))
    return [svg.group('class="app-chart__scale"', parts)]
