"""Single-use recovery codes: the way in when the authenticator app is lost.

Each code is 80 random bits written as four groups of four base32 characters (A-Z, 2-7, so
no 0/O or 1/I to confuse). People copy them onto paper, so typing is forgiving: case, spaces
and hyphens do not matter. Randomness comes in from the caller, keeping this module pure.
"""

from __future__ import annotations

import base64

COUNT = 10
CODE_BYTES = 10
_LENGTH = 16


def format_code(random_bytes: bytes) -> str:
    if len(random_bytes) != CODE_BYTES:
        raise ValueError(f"A recovery code is made from {CODE_BYTES} random bytes")
    text = base64.b32encode(random_bytes).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, _LENGTH, 4))


def normalise(typed: str) -> str | None:
    """The code's canonical form (as format_code writes it), or None if it cannot be one."""
    text = "".join(typed.split()).replace("-", "").upper()
    if len(text) != _LENGTH or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in text):
        return None
    return "-".join(text[i : i + 4] for i in range(0, _LENGTH, 4))
