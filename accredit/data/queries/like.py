"""Text matched literally inside SQL LIKE: its wildcards escaped, the same on SQLite and
PostgreSQL. Every search box's query goes through here, so a typed ``%`` or ``_`` is a
character to find, never a pattern."""

from __future__ import annotations

#: The escape character every LIKE using ``escape_like`` must name (``.like(..., escape=ESCAPE)``).
ESCAPE = "\\"


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
