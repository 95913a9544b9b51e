"""The few SVG pieces every chart is made of, written as text.

Everything a chart says is escaped here, colours and sizes are presentation attributes (a
strict Content Security Policy allows them where it refuses ``style``), and the root carries
the chart's title and description so assistive technology can name the picture.
"""

from __future__ import annotations

from html import escape

#: The chart's width in its own units; it scales to its container (``viewBox``, no size).
WIDTH = 720.0
FONT_SIZE = 10.0
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
#: How far below its middle a line of text's baseline sits, as a share of its size.
MIDDLE_TO_BASELINE = 0.36


def number(value: float) -> str:
    """A coordinate as short text: "12", "12.5", "-3.25"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def document(chart_id: str, title: str, description: str, height: float, body: list[str]) -> str:
    """The chart's root element around ``body``: an image named by its title and description."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {number(WIDTH)} {number(height)}"'
        f' id="{escape(chart_id)}" class="app-chart__svg" role="img"'
        f' aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc"'
        f' font-family="{FONT_FAMILY}" font-size="{number(FONT_SIZE)}"'
        ' stroke-linejoin="round" stroke-linecap="butt">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: float | None = None,
    fill: str | None = None,
    turn: float = 0.0,
) -> str:
    """One line of text with its baseline at ``y``; ``turn`` rotates it (degrees, clockwise)
    about that point."""
    attributes = [f'x="{number(x)}"', f'y="{number(y)}"']
    if anchor != "start":
        attributes.append(f'text-anchor="{anchor}"')
    if size is not None:
        attributes.append(f'font-size="{number(size)}"')
    if fill is not None:
        attributes.append(f'fill="{fill}"')
    if turn:
        attributes.append(f'transform="rotate({number(turn)} {number(x)} {number(y)})"')
    return f"<text {' '.join(attributes)}>{escape(content)}</text>"


def lines_of_text(
    x: float, middle: float, lines: list[str], *, anchor: str, line_height: float
) -> list[str]:
    """Lines of text stacked about ``middle``, each its own element (every renderer sets
    them alike)."""
    first = middle - (len(lines) - 1) * line_height / 2 + FONT_SIZE * MIDDLE_TO_BASELINE
    return [
        text(x, first + index * line_height, line, anchor=anchor)
        for index, line in enumerate(lines)
    ]


def line(x1: float, y1: float, x2: float, y2: float, stroke: str, **extra: str) -> str:
    """A straight line; ``extra`` adds attributes (``stroke_dasharray="4 3"``)."""
    more = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in extra.items())
    return (
        f'<line x1="{number(x1)}" y1="{number(y1)}" x2="{number(x2)}" y2="{number(y2)}"'
        f' stroke="{stroke}"{more}/>'
    )


def rect(x: float, y: float, width: float, height: float, fill: str, **extra: str) -> str:
    more = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in extra.items())
    return (
        f'<rect x="{number(x)}" y="{number(y)}" width="{number(max(width, 0.0))}"'
        f' height="{number(max(height, 0.0))}" fill="{fill}"{more}/>'
    )


def group(attributes: str, children: list[str]) -> str:
    return f"<g {attributes}>{''.join(children)}</g>"
