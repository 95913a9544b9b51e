"""The register as open data: the fields of its CSV and JSON downloads, their version and their
licence. Pure Python.

The field list is versioned: a field is never renamed or given a new meaning within a version;
adding fields or changing one makes a new version, announced on the data page.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = 1
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    meaning: str
    example: str


FIELDS = (
    Field("ods_code", "The organisation's ODS code.", "B82001"),
    Field("organisation_name", "The organisation's name.", "Brookside Medical Practice"),
    Field("organisation_type", "The kind of organisation.", "GP practice"),
    Field("region", "The NHS England region the organisation is in.", "London"),
    Field("level", "The award's level, as a stable identifier.", "silver"),
    Field("level_name", "The award's level, as printed on the certificate.", "Silver"),
    Field("awarded_on", "The day the award was made (ISO 8601).", "2026-11-08"),
    Field(
        "valid_until",
        "The last day the award stands (ISO 8601); it leaves the register the day after.",
        "2028-11-06",
    ),
    Field("standard_id", "The standard the award was judged against.", "weqs"),
    Field("standard_version", "The version of that standard.", "2026.1"),
    Field("standard_title", "The standard's title.", "Work Experience Quality Standard"),
    Field(
        "register_url",
        "The organisation's page on the register.",
        "https://accredit.example.nhs.uk/register/B82001",
    ),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)
