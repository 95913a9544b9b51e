"""Making text safe to open in a spreadsheet. Pure Python.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be read by
Excel or LibreOffice as a formula (CSV injection). Such a value gets a leading apostrophe, which
spreadsheets show as text and do not evaluate; every other value is returned unchanged.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(TRIGGERS) else value
