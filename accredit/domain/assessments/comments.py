"""How long a comment may be: colleagues' comments on a criterion, a reviewer's comment on a
criterion and a reviewer's note when returning an assessment. Pure Python.

A comment is held to the same length as the longest written answer a standard asks for, so
nothing said about an answer outgrows the answer; the message says how much is too much.
"""

from __future__ import annotations

#: The longest written answer the standards allow (``max_length: 1000``).
COMMENT_MAX = 1_000


def too_long(what: str, text: str) -> str | None:
    """The message for a ``what`` ("The comment") longer than the limit, else None."""
    over = len(text) - COMMENT_MAX
    if over <= 0:
        return None
    return (
        f"{what} must be {COMMENT_MAX:,} characters or fewer: "
        f"you have {over:,} {'character' if over == 1 else 'characters'} too many"
    )
