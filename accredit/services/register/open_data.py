"""The register as open data: every award that stands today, as CSV (streamed, safe to open in a
spreadsheet) and as JSON, with the field list's version and the licence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from accredit.data.base import utcnow
from accredit.data.queries.register import listing
from accredit.data.queries.register.listing import Entry
from accredit.domain.cohorts.spreadsheet import neutralise
from accredit.domain.register.open_data import FIELD_NAMES, FIELDS, LICENCE, LICENCE_URL, VERSION
from accredit.services.cohorts.exports_csv import csv_chunks
from accredit.services.cohorts.exports_rows import Column, Table, typed_rows


def record(entry: Entry, base_url: str) -> dict[str, str]:
    """One award as the downloads give it, field by field."""
    values = (
        entry.ods_code,
        entry.name,
        entry.org_type.label,
        entry.region,
        entry.level,
        entry.level_name,
        entry.awarded_on.isoformat(),
        entry.last_valid_day.isoformat(),
        entry.standard_id,
        entry.standard_version,
        entry.standard_title,
        f"{base_url.rstrip('/')}/register/{entry.ods_code}",
    )
    return dict(zip(FIELD_NAMES, values, strict=True))


def csv_file(base_url: str, today: date | None = None) -> Iterator[bytes]:
    entries = listing.everyone(today or utcnow().date())

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        yield [
            tuple(neutralise(value) for value in record(entry, base_url).values())
            for entry in entries
        ]

    columns = tuple(Column(name, 20) for name in FIELD_NAMES)
    return csv_chunks(Table("register", "Register", columns, typed_rows(batches)))


def json_document(base_url: str, today: date | None = None) -> dict[str, Any]:
    today = today or utcnow().date()
    return {
        "version": VERSION,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "as_of": today.isoformat(),
        "fields": [{"name": f.name, "meaning": f.meaning} for f in FIELDS],
        "awards": [record(entry, base_url) for entry in listing.everyone(today)],
    }
