"""Secrets the service must read back, kept encrypted under a key made from the secret key.

A two-factor key cannot be hashed: codes are checked by computing them from it. Stored as it
is, anyone with a copy of the database (a backup, a dump handed to a supplier) could make
every HEE account's codes. So it is sealed with Fernet (AES-128-CBC with an HMAC-SHA256) under
a key derived by HKDF from ACCREDIT_SECRET_KEY, one key per purpose, and the database alone is
not enough. The cost, as for recovery codes: changing the secret key makes sealed secrets
unreadable, so each person then sets two-factor up again (``accredit two-factor-reset``).

Values stored before sealing began (no prefix) are read as they are, and sealed the next time
they are used.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

#: Marks a sealed value (and the scheme, should it ever change).
PREFIX = "f1:"


def _fernet(secret_key: str, purpose: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"accredit:{purpose}".encode()
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret_key: str, purpose: str, plain: str) -> str:
    return PREFIX + _fernet(secret_key, purpose).encrypt(plain.encode()).decode("ascii")


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def unseal(secret_key: str, purpose: str, stored: str) -> str | None:
    """The secret; None when it was sealed under another secret key (or tampered with)."""
    if not is_sealed(stored):
        return stored  # stored before sealing began
    try:
        return _fernet(secret_key, purpose).decrypt(stored[len(PREFIX) :].encode()).decode()
    except (InvalidToken, UnicodeDecodeError, ValueError):
        return None
