"""Checking the rows of a cohort CSV file: each organisation's ODS code, name, type and region, and
its lead's name and email, against what the service already knows. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any

from accredit.domain.accounts.organisations import OrgType, normalise_ods_code, ods_code_problem
from accredit.domain.cohorts.cohort_csv import (
    EMAIL_MAX,
    FIELDS,
    LEAD_NAME_MAX,
    NAME_MAX,
    RawRow,
    normalise_name,
    read_csv,
)

_EMAIL = re.compile(
    r"^[^@\s,;:<>()\[\]\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


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
