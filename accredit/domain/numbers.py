"""Reading whole numbers people (or forged requests) type. Pure Python.

``str.isdigit`` is true for "²" and other Unicode digits that ``int`` refuses, and ``int``
refuses strings of more than 4,300 digits: either way an unchecked ``int(text)`` is a 500.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")


def is_whole(text: object, max_digits: int = 18) -> bool:
    """Whether ``text`` is ASCII digits only, no more than ``max_digits`` of them."""
    return isinstance(text, str) and 0 < len(text) <= max_digits and bool(_DIGITS.fullmatch(text))


def whole_number(text: object, max_digits: int = 18) -> int | None:
    """The number ``text`` spells in ASCII digits, or None for anything else (signs, spaces,
    other scripts' digits, more than ``max_digits`` digits)."""
    return int(text) if is_whole(text, max_digits) and isinstance(text, str) else None
