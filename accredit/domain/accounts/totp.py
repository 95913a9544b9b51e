"""Time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps).

Pure functions of a secret and a time, so the codes an authenticator app shows can be checked
in unit tests against the RFC's own vectors. Randomness comes in as bytes from the caller
(``secrets.token_bytes`` in the service), which keeps this module deterministic.

A code is accepted one step either side of now, because phones' clocks drift and people type
slowly; the step it matched is returned so the caller can store it and refuse that step, and
any earlier one, next time: a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from urllib.parse import quote, urlencode

from accredit.domain.service import SERVICE_NAME

DIGITS = 6
STEP_SECONDS = 30
WINDOW = 1
#: The name an authenticator app lists the codes under.
ISSUER = SERVICE_NAME
#: 160 bits, the length RFC 4226 recommends for an HMAC-SHA-1 key.
SECRET_BYTES = 20


def new_secret(random_bytes: bytes) -> str:
    """The base32 secret (no padding) an authenticator app is given, from the caller's bytes."""
    if len(random_bytes) < 16:
        raise ValueError("A two-factor secret needs at least 128 random bits")
    return base64.b32encode(random_bytes).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def time_step(t: float) -> int:
    return int(t // STEP_SECONDS)


def code_for_step(secret: str, step: int, digits: int = DIGITS) -> str:
    """RFC 4226's HOTP value for counter ``step``, as the zero-padded digits an app shows."""
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def code_at(secret: str, t: float, digits: int = DIGITS) -> str:
    return code_for_step(secret, time_step(t), digits)


def normalise_code(typed: str) -> str:
    """What people type: spaces or a hyphen in the middle ("123 456") are fine."""
    return "".join(typed.split()).replace("-", "")


def matching_step(secret: str, typed: str, t: float, last_step: int | None) -> int | None:
    """The time step the typed code belongs to, within one step of ``t``; None if it matches
    none, or only a step at or before ``last_step`` (already used: a replay)."""
    code = normalise_code(typed)
    # str.isdigit also takes other scripts' digits ("١٢٣٤٥٦"), which compare_digest refuses.
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    now = time_step(t)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(code_for_step(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = ISSUER) -> str:
    """The otpauth:// URI the QR code holds (the Key URI Format authenticator apps read)."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in fours, for people who type it in rather than scan the QR code."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
