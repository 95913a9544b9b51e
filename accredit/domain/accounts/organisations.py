"""Organisation types, roles and ODS code rules. Pure Python."""

from __future__ import annotations

import re
from enum import StrEnum


class OrgType(StrEnum):
    ACUTE_TRUST = "acute_trust"
    MENTAL_HEALTH_TRUST = "mental_health_trust"
    COMMUNITY_TRUST = "community_trust"
    AMBULANCE_TRUST = "ambulance_trust"
    GP_PRACTICE = "gp_practice"
    DENTAL_PRACTICE = "dental_practice"
    SOCIAL_CARE = "social_care"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "acute_trust": "Acute trust",
            "mental_health_trust": "Mental health trust",
            "community_trust": "Community trust",
            "ambulance_trust": "Ambulance trust",
            "gp_practice": "GP practice",
            "dental_practice": "Dental practice",
            "social_care": "Social care provider",
            "other": "Other (for example a hospice or private provider)",
        }[self.value]

    @property
    def is_trust(self) -> bool:
        return self.value.endswith("_trust")


class Role(StrEnum):
    ORG_CONTRIBUTOR = "org_contributor"
    ORG_LEAD = "org_lead"
    HEE_REVIEWER = "hee_reviewer"
    HEE_ADMIN = "hee_admin"

    @property
    def label(self) -> str:
        return {
            "org_contributor": "Organisation contributor",
            "org_lead": "Organisation lead",
            "hee_reviewer": "HEE reviewer",
            "hee_admin": "HEE admin",
        }[self.value]

    @property
    def in_sentence(self) -> str:
        """The role inside a sentence ("You are signed in as an HEE admin"): HEE keeps its
        capitals and takes "an", as it is read aloud ("aitch"); never the label lower-cased."""
        return {
            "org_contributor": "an organisation contributor",
            "org_lead": "an organisation lead",
            "hee_reviewer": "an HEE reviewer",
            "hee_admin": "an HEE admin",
        }[self.value]

    @property
    def is_hee(self) -> bool:
        return self in (Role.HEE_REVIEWER, Role.HEE_ADMIN)


ORG_ROLES = (Role.ORG_CONTRIBUTOR, Role.ORG_LEAD)
HEE_ROLES = (Role.HEE_REVIEWER, Role.HEE_ADMIN)

# ODS codes are never reused. Trusts have 3 characters starting R (or T for some care
# trusts), trust sites 5, GP practices a letter and five digits; social care providers
# often have V codes or a CQC location id such as 1-545611283.
_TRUST = re.compile(r"^[RT][A-Z0-9]{2}$")
_GP = re.compile(r"^[A-Z][0-9]{5}$")
_GENERAL = re.compile(r"^(?:[A-Z0-9]{3}|[A-Z0-9]{5}|[A-Z0-9]{6})$")
_CQC = re.compile(r"^1-[0-9]{8,11}$")


def normalise_ods_code(code: str) -> str:
    return code.strip().upper()


def ods_code_problem(code: str, org_type: OrgType | None = None) -> str | None:
    """Return why ``code`` is not a valid identifier for this type, or None when it is."""
    code = normalise_ods_code(code)
    if not code:
        return "Enter an ODS code"
    if org_type is not None and org_type.is_trust:
        if not _TRUST.match(code):
            return "A trust ODS code is 3 characters starting with R or T, like RH8"
        return None
    if org_type is OrgType.GP_PRACTICE:
        if not _GP.match(code):
            return "A GP practice ODS code is a letter then 5 digits, like B86022"
        return None
    if _GENERAL.match(code) or _CQC.match(code):
        return None
    return (
        "Enter an ODS code of 3, 5 or 6 letters and numbers, or a CQC location ID like 1-545611283"
    )
