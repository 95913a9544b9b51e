"""Lines over the same x labels (weeks, say), each with its own colour, marker and dash, and a
legend below."""

from __future__ import annotations

import math

from accredit.services.reports.charts import svg
from accredit.services.reports.charts.metrics import text_width, widest
from accredit.services.reports.charts.style import (
    NHS_PALE_GREY,
    NHS_TEXT,
    series_style,
    tick_label,
    ticks,
)

PLOT_HEIGHT = 250.0
MOST_X_LABELS = 12
SLANT = 40.0
LEGEND_ROW = 20.0
LEGEND_SAMPLE = 30.0


def draw(
    chart_id: str,
    title: str,
    description: str,
    x_labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[float | None, ...]], ...],
    axis_label: str,
    y_max: float | None,
) -> str:
    known = [v for _, values in series for v in values if v is not None]
    whole = y_max is None and all(float(v).is_integer() for v in known)
    y_top = y_max if y_max is not None else max(1.0, max(known, default=0.0) * 1.1)
    y_ticks = ticks(y_top, whole=whole)
    left = 30 + widest([tick_label(t) for t in y_ticks], svg.FONT_SIZE)
    right = svg.WIDTH - 16
    top = 12.0
    bottom = top + PLOT_HEIGHT
    count = len(x_labels)

    def x(position: float) -> float:
        return left + (right - left) * (position + 0.5) / max(count, 1)

    def y(value: float) -> float:
        return bottom - PLOT_HEIGHT * value / y_top

    step = max(1, math.ceil(count / MOST_X_LABELS))
    shown = list(range(count))[::step]
    slanted = len(shown) > 6
    label_room = _x_label_room([x_labels[i] for i in shown], slanted)
    body: list[str] = []
    body += [svg.line(left, y(t), right, y(t), NHS_PALE_GREY) for t in y_ticks]
    for index, (_, values) in enumerate(series):
        body.append(
            _series(index, [(x(i), None if v is None else y(v)) for i, v in enumerate(values)])
        )
    body.append(svg.line(left, top, left, bottom, NHS_TEXT))
    body.append(svg.line(left, bottom, right, bottom, NHS_TEXT))
    for t in y_ticks:
        body.append(svg.line(left - 4, y(t), left, y(t), NHS_TEXT))
        body.append(
            svg.text(
                left - 7, y(t) + svg.FONT_SIZE * svg.MIDDLE_TO_BASELINE, tick_label(t), anchor="end"
            )
        )
    for i in shown:
        body.append(svg.line(x(i), bottom, x(i), bottom + 4, NHS_TEXT))
        if slanted:
            body.append(svg.text(x(i), bottom + 14, x_labels[i], anchor="end", turn=-SLANT))
        else:
            body.append(svg.text(x(i), bottom + 16, x_labels[i], anchor="middle"))
    body.append(svg.text(12, (top + bottom) / 2, axis_label, anchor="middle", turn=-90))
    legend, legend_height = _legend(series, bottom + label_room + 8)
    body += legend
    return svg.document(chart_id, title, description, bottom + label_room + 8 + legend_height, body)


def _series(index: int, points: list[tuple[float, float | None]]) -> str:
    """One series: its line broken where a value is missing, and a marker on every value."""
    colour, marker, dash = series_style(index)
    parts = []
    for run in _runs(points):
        if len(run) > 1:
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            joined = " ".join(f"{svg.number(px)},{svg.number(py)}" for px, py in run)
            parts.append(
                f'<polyline points="{joined}" fill="none" stroke="{colour}"'
                f' stroke-width="2"{dashes}/>'
            )
    parts += [_marker(marker, colour, px, py) for px, py in points if py is not None]
    return svg.group('class="app-chart__series"', parts)


def _runs(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for px, py in points:
        if py is None:
            runs.append([])
        else:
            runs[-1].append((px, py))
    return [run for run in runs if run]


def _marker(shape: str, colour: str, px: float, py: float) -> str:
    return (
        f'<path d="{shape}" fill="{colour}"'
        f' transform="translate({svg.number(px)} {svg.number(py)})"/>'
    )


def _x_label_room(labels: list[str], slanted: bool) -> float:
    """The height the x labels take below the axis."""
    if not slanted:
        return 22.0
    turn = math.radians(SLANT)
    return 18 + widest(labels, svg.FONT_SIZE) * math.sin(turn) + svg.FONT_SIZE * math.cos(turn)


def _legend(
    series: tuple[tuple[str, tuple[float | None, ...]], ...], top: float
) -> tuple[list[str], float]:
    """The legend below the chart: up to three entries a row, each a sample of its line."""
    columns = min(len(series), 3) or 1
    width = max(
        (LEGEND_SAMPLE + 8 + text_width(name, svg.FONT_SIZE) + 24 for name, _ in series),
        default=0.0,
    )
    start = max(8.0, (svg.WIDTH - width * columns) / 2)
    parts = []
    for index, (name, _) in enumerate(series):
        colour, marker, dash = series_style(index)
        row, column = divmod(index, columns)
        left = start + column * width
        middle = top + row * LEGEND_ROW + LEGEND_ROW / 2
        dashes = {"stroke_dasharray": dash} if dash else {}
        parts.append(
            svg.group(
                'class="app-chart__legend"',
                [
                    svg.line(
                        left,
                        middle,
                        left + LEGEND_SAMPLE,
                        middle,
                        colour,
                        stroke_width="2",
                        **dashes,
                    ),
                    _marker(marker, colour, left + LEGEND_SAMPLE / 2, middle),
                    svg.text(
                        left + LEGEND_SAMPLE + 8,
                        middle + svg.FONT_SIZE * svg.MIDDLE_TO_BASELINE,
                        name,
                    ),
                ],
            )
        )
    rows = math.ceil(len(series) / columns)
    return parts, rows * LEGEND_ROW + 4
