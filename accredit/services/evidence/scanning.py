"""The hook a virus scanner plugs into. By default nothing is scanned.

A deployment that has a scanner (ClamAV, a cloud service) sets
``app.extensions["accredit.scanner"]`` to an object with ``scan``; the view hands it to the
evidence service, which calls it after the type check and before anything is stored, so the
service stays free of Flask.
"""

from __future__ import annotations

from typing import Protocol

SCANNER_EXTENSION = "accredit.scanner"


class Scanner(Protocol):
    def scan(self, data: bytes, filename: str) -> str | None:
        """None when the file may be kept, otherwise the reason it may not (for the log).

        Raise when the scan could not be done: the upload is then refused, never let through.
        """
        ...


class NoScanner:
    """The default: accepts everything (the type allow-list still applies)."""

    def scan(self, data: bytes, filename: str) -> str | None:
        return None


NO_SCANNER = NoScanner()
