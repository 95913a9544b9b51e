"""How wide a line of chart text is, so labels get the room they need.

Charts are set in DejaVu Sans (the font the evidence pack is set in, installed with the
system packages). Its advance widths are read once from the font file with fontTools; a
browser without DejaVu Sans falls back to a narrower sans-serif, so the room is never short.
Where the font file is missing, every character is taken as 0.62 em, wider than DejaVu Sans's
average, for the same reason.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

#: Where Debian, Fedora and Arch put DejaVu Sans.
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)
#: Em width taken for a character the font does not have, or for every one without the font.
FALLBACK_EM = 0.62


def text_width(text: str, size: float) -> float:
    """The advance width of ``text`` set at ``size`` (in the chart's units)."""
    widths = _em_widths()
    return size * sum(widths.get(character, FALLBACK_EM) for character in text)


def widest(lines: list[str] | tuple[str, ...], size: float) -> float:
    """The width of the widest of ``lines`` (0 for none)."""
    return max((text_width(line, size) for line in lines), default=0.0)


@lru_cache(maxsize=1)
def _em_widths() -> dict[str, float]:
    for path in FONT_FILES:
        if path.is_file():
            return _read(path)
    return {}


def _read(path: Path) -> dict[str, float]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        per_em = font["head"].unitsPerEm
        advances = font["hmtx"].metrics
        return {
            chr(code): advances[glyph][0] / per_em for code, glyph in font.getBestCmap().items()
        }
