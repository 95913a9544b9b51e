"""The charts' look: NHS identity colours, line styles that differ beyond colour, tick steps
and the heat map's shading with text that contrasts with it.

Colours: https://service-manual.nhs.uk/design-system/styles/colour
"""

from __future__ import annotations

import math

NHS_BLUE = "#005eb8"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#e8edee"
NHS_TEXT = "#212b32"
#: The pale end of the heat map's scale (NHS grey 5); its dark end is NHS blue.
HEAT_LOW = "#f0f4f5"

#: Lines: NHS colours with at least 3:1 contrast on white (WCAG 1.4.11, non-text contrast),
#: each with its own marker and dash.
LINE_COLOURS = (NHS_BLUE, "#7c2855", "#007f3b", "#330072", NHS_DARK_GREY, "#003087")
#: Dash patterns for lines 2 units wide: solid, dashed, dash-dot, dotted, dash-dot-dot.
DASHES = ("", "8 4", "8 3 2 3", "2 3", "9 3 2 3 2 3")
#: Marker shapes about their centre: circle, square, triangle, diamond, triangle down, plus, cross.
MARKERS = (
    "M-4 0a4 4 0 1 0 8 0a4 4 0 1 0 -8 0Z",
    "M-3.5 -3.5h7v7h-7Z",
    "M0 -4.6L4.2 3L-4.2 3Z",
    "M0 -4.8L4 0L0 4.8L-4 0Z",
    "M0 4.6L4.2 -3L-4.2 -3Z",
    "M-1.4 -4.5h2.8v3.1h3.1v2.8h-3.1v3.1h-2.8v-3.1h-3.1v-2.8h3.1Z",
    "M-3.2 -4.4L0 -1.2L3.2 -4.4L4.4 -3.2L1.2 0L4.4 3.2L3.2 4.4L0 1.2L-3.2 4.4L-4.4 3.2"
    "L-1.2 0L-4.4 -3.2Z",
)


def series_style(index: int) -> tuple[str, str, str]:
    """Colour, marker and dash of the ``index``-th line; the three cycle at different lengths,
    so no two of the first dozens of lines look alike."""
    return (
        LINE_COLOURS[index % len(LINE_COLOURS)],
        MARKERS[index % len(MARKERS)],
        DASHES[index % len(DASHES)],
    )


def ticks(top: float, *, whole: bool, most: int = 6) -> list[float]:
    """Tick values from 0 up to ``top`` at a round step (1, 2, 2.5 or 5 times a power of ten;
    whole numbers only when ``whole``), at most ``most`` steps."""
    if top <= 0:
        return [0.0]
    power = 10.0 ** math.floor(math.log10(top / most))
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0, 20.0):
        step = multiple * power
        if whole and not float(step).is_integer():
            continue
        if top / step <= most:
            break
    count = math.floor(top / step + 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def tick_label(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def blend(low: str, high: str, share: float) -> str:
    """The colour ``share`` (0 to 1) of the way from ``low`` to ``high``, mixed in sRGB."""
    share = min(max(share, 0.0), 1.0)
    a, b = _rgb(low), _rgb(high)
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def text_on(shade: str) -> str:
    """White or NHS text colour, whichever contrasts more with ``shade``."""
    luminance = _luminance(shade)
    on_white = 1.05 / (luminance + 0.05)
    on_dark = (luminance + 0.05) / (_luminance(NHS_TEXT) + 0.05)
    return "#ffffff" if on_white >= on_dark else NHS_TEXT


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (channel / 255 for channel in _rgb(colour))
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
