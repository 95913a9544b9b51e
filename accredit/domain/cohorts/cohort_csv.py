"""Reading a CSV file of organisations for a cohort and checking every row. Pure Python.

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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any

from accredit.domain.accounts.organisations import OrgType, normalise_ods_code, ods_code_problem

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
_EMAIL = re.compile(
    r"^[^@\s,;:<>()\[\]\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
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


@dataclass(frozen=True, slots=True)
class Known:
    """What the service already holds, for the rows being checked."""

    #: Region code -> region name.
    regions: Mapping[str, str]
    #: ODS code -> name, for organisations already in the service.
    organisations: Mapping[str, str] = field(default_factory=dict)
    #: ODS codes of organisations already in the cohort.
    in_cohort: AbstractSet[str] = frozenset()
    #: Lower-case email addresses that already have an account -> the ODS code of the
    #: account's organisation (None for an HEE account).
    accounts: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class CheckedRow:
    line: int
    values: Mapping[str, str]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]
    ods_code: str
    org_type: OrgType | None
    region_code: str | None
    lead_email: str
    #: Matched to an organisation already in the service (by ODS code).
    existing: bool
    #: The lead has no account yet, so importing the row sends them an invitation.
    invite: bool

    @property
    def ok(self) -> bool:
        return not self.problems

    def errors(self) -> list[str]:
        """Each problem as a sentence naming the line, for the preview."""
        return [f"Line {self.line}: {p.message}" for p in self.problems]

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "values": dict(self.values),
            "errors": self.errors(),
            "notes": list(self.notes),
            "existing": self.existing,
            "invite": self.invite,
        }


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


def type_names() -> dict[str, OrgType]:
    """Every way a type may be written: its code (acute_trust) or label (Acute trust)."""
    names: dict[str, OrgType] = {}
    for org_type in OrgType:
        names[normalise_name(org_type.value)] = org_type
        names[normalise_name(org_type.label)] = org_type
        names[normalise_name(org_type.label.split(" (")[0])] = org_type
    return names


def region_names(regions: Mapping[str, str]) -> dict[str, str]:
    """Every way a region may be written, to its code: its code or its name."""
    names: dict[str, str] = {}
    for code, name in regions.items():
        names[normalise_name(code)] = code
        names[normalise_name(name)] = code
    return names


def email_problem(email: str) -> str | None:
    if not email:
        return "Enter the lead's email address"
    if len(email) > EMAIL_MAX or not _EMAIL.match(email):
        return (
            f"The lead's email address, {email}, is not in the correct format: "
            "it should look like name@example.nhs.uk"
        )
    return None


def wanted_codes(rows: Iterable[RawRow]) -> set[str]:
    """The ODS codes the rows name, as stored, for the caller to look up."""
    return {normalise_ods_code(row.values.get("ods_code", "")) for row in rows} - {""}


def wanted_emails(rows: Iterable[RawRow]) -> set[str]:
    return {row.values.get("lead_email", "").strip().lower() for row in rows} - {""}


def check_rows(rows: Sequence[RawRow], known: Known) -> list[CheckedRow]:
    """Every row with all its problems, including ODS codes and lead emails repeated in the
    file (a person can lead only one organisation: an account belongs to one)."""
    types, regions = type_names(), region_names(known.regions)
    first_code: dict[str, int] = {}
    first_email: dict[str, int] = {}
    checked = []
    for row in rows:
        result = _check(row, known, types, regions)
        repeats = []
        if result.ods_code and not _has(result.problems, "ods_code"):
            where = first_code.setdefault(result.ods_code, row.line)
            if where != row.line:
                repeats.append(
                    Problem("ods_code", f"ODS code {result.ods_code} is also on line {where}")
                )
        if result.lead_email:
            where = first_email.setdefault(result.lead_email, row.line)
            if where != row.line:
                repeats.append(
                    Problem(
                        "lead_email",
                        f"{result.lead_email} is also the lead on line {where}: "
                        "a person can lead only one organisation",
                    )
                )
        if repeats:
            ordered = sorted(result.problems + tuple(repeats), key=_field_order)
            result = replace(result, problems=tuple(ordered))
        checked.append(result)
    return checked


def check(data: bytes, known: Known) -> list[CheckedRow]:
    """Read and check a whole file in one call."""
    return check_rows(read_csv(data), known)


def _field_order(problem: Problem) -> int:
    return FIELDS.index(problem.field) if problem.field in FIELDS else len(FIELDS)


def _check(
    row: RawRow, known: Known, types: Mapping[str, OrgType], regions: Mapping[str, str]
) -> CheckedRow:
    values = {name: row.values.get(name, "") for name in FIELDS}
    org_type = types.get(normalise_name(values["type"]))
    region_code = regions.get(normalise_name(values["region"]))
    code = normalise_ods_code(values["ods_code"])
    email = values["lead_email"].lower()
    code_problems = _code_problems(code, org_type, known)
    # An organisation the service holds keeps its details, so only a new one needs them; a
    # new one with none of them is most likely a mistyped code, and the message says so.
    known_code = code in known.organisations
    problems = list(code_problems)
    if not known_code:
        typo = not code_problems and not (values["name"] or values["type"] or values["region"])
        problems += _details_problems(code if typo else "", values, org_type, region_code, known)
    # An organisation the service holds may join without a lead (it has one, or will invite
    # its people itself); a lead, when given, needs both a name and an email address.
    no_lead = known_code and not values["lead_name"] and not values["lead_email"]
    email_wrong = None
    if not no_lead:
        problems += _length_problems(
            values["lead_name"], "lead_name", "Enter the lead's name", LEAD_NAME_MAX
        )
        email_wrong = email_problem(values["lead_email"])
        if email_wrong:
            problems.append(Problem("lead_email", email_wrong))
    if row.overflow:
        problems.append(
            Problem(
                "row",
                "This line has more values than the header row has columns: put any value "
                "containing a comma in double quotes",
            )
        )
    existing = not code_problems and known_code
    if not email_wrong and email in known.accounts and known.accounts[email] != code:
        # A person belongs to one organisation: leading this one needs another address.
        where = "HEE" if known.accounts[email] is None else "another organisation"
        email_wrong = f"{email} already has an account with {where}: use another email address"
        problems.append(Problem("lead_email", email_wrong))
    invite = not no_lead and not email_wrong and email not in known.accounts
    notes = []
    if existing:
        notes.append(_matched(code, known.organisations[code], values["name"]))
    if no_lead:
        notes.append("No lead is given, so no invitation is sent")
    elif not email_wrong:
        notes.append(
            f"An invitation will be sent to {email}"
            if invite
            else f"{email} already has an account, so no invitation is sent"
        )
    return CheckedRow(
        line=row.line,
        values=values,
        problems=tuple(problems),
        notes=tuple(notes),
        ods_code=code,
        org_type=org_type,
        region_code=region_code,
        lead_email="" if email_wrong else email,
        existing=existing,
        invite=invite,
    )


def _has(problems: Iterable[Problem], name: str) -> bool:
    return any(p.field == name for p in problems)


def _code_problems(code: str, org_type: OrgType | None, known: Known) -> list[Problem]:
    # A code the service already holds is valid whatever type the file gives it.
    problem = None if code in known.organisations else ods_code_problem(code, org_type)
    if problem:
        return [Problem("ods_code", problem)]
    if code in known.in_cohort:
        name = known.organisations.get(code, code)
        return [Problem("ods_code", f"{name} ({code}) is already in this cohort")]
    return []


def _details_problems(
    unknown_code: str,
    values: Mapping[str, str],
    org_type: OrgType | None,
    region_code: str | None,
    known: Known,
) -> list[Problem]:
    """What a new organisation needs: its name, type and region. ``unknown_code`` is a valid
    code the service does not hold, given with none of them: probably mistyped."""
    missing = "Enter the organisation's name"
    if unknown_code:
        missing = (
            f"No organisation in the service has ODS code {unknown_code}. Check the code, or "
            "enter the organisation's name, type and region to add it as a new organisation"
        )
    return [
        *_length_problems(values["name"], "name", missing, NAME_MAX),
        *_type_problems(values["type"], org_type),
        *_region_problems(values["region"], region_code, known),
    ]


def _length_problems(value: str, name: str, missing: str, longest: int) -> list[Problem]:
    if not value:
        return [Problem(name, missing)]
    if len(value) > longest:
        what = "organisation's name" if name == "name" else "lead's name"
        return [Problem(name, f"The {what} must be {longest} characters or fewer")]
    return []


def _type_problems(value: str, org_type: OrgType | None) -> list[Problem]:
    if not value:
        return [Problem("type", "Enter the type of organisation")]
    if org_type is None:
        choices = ", ".join(t.label.split(" (")[0] for t in OrgType)
        return [
            Problem(
                "type", f"“{value}” is not a type of organisation we know. Use one of: {choices}"
            )
        ]
    return []


def _region_problems(value: str, region_code: str | None, known: Known) -> list[Problem]:
    if not value:
        return [Problem("region", "Enter the region")]
    if region_code is None:
        choices = ", ".join(sorted(known.regions.values()))
        return [Problem("region", f"“{value}” is not a region we know. Use one of: {choices}")]
    return []


def _matched(code: str, existing_name: str, file_name: str) -> str:
    note = f"Matched to existing organisation {existing_name} ({code})"
    if file_name and normalise_name(file_name) != normalise_name(existing_name):
        note += f": the name in the file, {file_name}, is not used"
    return note
