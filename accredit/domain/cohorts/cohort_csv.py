"""Reading a CSV file of organisations for a cohort. Pure Python.

``read_csv`` turns the uploaded bytes into rows or refuses the whole file (not CSV, empty, too
big, no header row). ``check_rows`` then finds every problem in every row, against what the
caller knows about the service (regions, organisations, who has an account), so the preview can
show them all at once and nothing is imported until the file is right. ``check_rows`` also
checks the single organisation typed into the "add an organisation" form, so both routes give
the same messages.

Values are kept as text, exactly as typed apart from surrounding spaces: nothing is evaluated,
so a cell beginning with ``=`` is a name like any other (exports neutralise it on the way out).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024


MAX_ROWS = 5000


NAME_MAX = 200


LEAD_NAME_MAX = 120


EMAIL_MAX = 254


#: The columns, in the order the form and the preview show them.
FIELDS = ("ods_code", "name", "type", "region", "lead_name", "lead_email")


COLUMN_NAMES = {
    "ods_code": "ODS code",
    "name": "Name",
    "type": "Type",
    "region": "Region",
    "lead_name": "Lead name",
    "lead_email": "Lead email",
}


_HEADER_ALIASES = {
    "ods code": "ods_code",
    "ods": "ods_code",
    "name": "name",
    "organisation name": "name",
    "organisation": "name",
    "type": "type",
    "organisation type": "type",
    "org type": "type",
    "region": "region",
    "lead name": "lead_name",
    "lead email": "lead_email",
    "lead email address": "lead_email",
    "lead e mail": "lead_email",
}


_SIGNATURES = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "an Excel workbook or a zip file"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook or another Office file"),
)


SAVE_AS_CSV = "In Excel, choose File, Save As, and pick CSV UTF-8 (Comma delimited)."


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CsvRefused(ValueError):
    """The file as a whole cannot be read; the message says why, for the upload form."""


@dataclass(frozen=True, slots=True)
class RawRow:
    """A row as read: its first line in the file and a value (possibly blank) for each field."""

    line: int
    values: Mapping[str, str]
    #: The row has more values than the header has columns (an unquoted comma, usually).
    overflow: bool = False


def normalise_name(text: str) -> str:
    """How header, type and region names are compared: case, spaces, _ and - do not matter."""
    text = text.lower().replace("&", " and ")
    return " ".join(re.sub(r"[_\-]+", " ", text).split())


# ---- reading the file -------------------------------------------------------------------


def read_csv(data: bytes) -> list[RawRow]:
    """The rows of a CSV file with a header row naming the columns, else CsvRefused."""
    text = _decode(data)
    columns: dict[int, str] | None = None
    width = 0
    rows: list[RawRow] = []
    for line, cells in _records(text, _delimiter(text)):
        if not any(cell.strip() for cell in cells):
            continue
        if columns is None:
            columns, width = _columns(cells), len(cells)
            continue
        if len(rows) == MAX_ROWS:
            raise CsvRefused(
                f"The file has more than {MAX_ROWS:,} organisations. "
                f"Split it into files of {MAX_ROWS:,} rows or fewer."
            )
        values = dict.fromkeys(FIELDS, "")
        for index, name in columns.items():
            if index < len(cells):
                values[name] = cells[index].strip()
        overflow = any(cell.strip() for cell in cells[width:])
        rows.append(RawRow(line, values, overflow))
    if not rows:
        raise CsvRefused("The file has a header row but no organisations below it")
    return rows


def _decode(data: bytes) -> str:
    if not data:
        raise CsvRefused("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise CsvRefused(f"The selected file must be {MAX_BYTES // (1024 * 1024)}MB or smaller")
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise CsvRefused(f"The selected file is {kind}, not a CSV file. {SAVE_AS_CSV}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvRefused(f"The selected file is saved as UTF-16 text, not UTF-8. {SAVE_AS_CSV}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvRefused(
            f"The selected file is not a CSV file saved as UTF-8 text. {SAVE_AS_CSV}"
        ) from None
    if _CONTROL.search(text):
        raise CsvRefused(f"The selected file is not a CSV file. {SAVE_AS_CSV}")
    if not text.strip():
        raise CsvRefused("The selected file is empty")
    return text


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) for each record; a record that cannot be read (an unclosed quote,
    say) refuses the file, naming the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger" in str(error):
            raise CsvRefused(
                f"Line {start} cannot be read: a value is far too long, perhaps because a "
                "quotation mark is not closed"
            ) from None
        raise CsvRefused(
            f"Line {start} cannot be read: check the quotation marks in that line"
        ) from None


def _delimiter(text: str) -> str:
    """Commas, or semicolons or tabs as some spreadsheets save: whichever makes the most of
    the first line (the header) recognisable."""
    first = next(line for line in text.splitlines() if line.strip())
    return max(
        (",", ";", "\t"),
        key=lambda d: sum(
            normalise_name(cell) in _HEADER_ALIASES
            for cell in next(csv.reader([first], delimiter=d))
        ),
    )


def _columns(header: Sequence[str]) -> dict[int, str]:
    """Which field each column holds, from the header row; refused when it is not one."""
    if not any(normalise_name(cell) in _HEADER_ALIASES for cell in header):
        raise CsvRefused(
            "The first row of the file must name the columns: " + ", ".join(COLUMN_NAMES.values())
        )
    columns: dict[int, str] = {}
    for index, cell in enumerate(header):
        name = _HEADER_ALIASES.get(normalise_name(cell))
        if name is None:
            continue  # an extra column, such as notes, is allowed and ignored
        if name in columns.values():
            raise CsvRefused(f"The header row has more than one {COLUMN_NAMES[name]} column")
        columns[index] = name
    missing = [COLUMN_NAMES[name] for name in FIELDS if name not in columns.values()]
    if missing:
        raise CsvRefused(
            "The header row has no column for "
            + _and(missing)
            + ". The columns are: "
            + ", ".join(COLUMN_NAMES.values())
        )
    return columns


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ---- checking rows ----------------------------------------------------------------------
