"""Made-up but plausible organisations for `accredit seed-bench`: names, leads, profiles for
their type, and ODS codes of the right shape that no organisation in the database has."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from itertools import product
from string import ascii_uppercase, digits

from accredit.data.queries.seed import taken_ods_codes
from accredit.domain.accounts.organisations import OrgType, ods_code_problem
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.seed.bench_templates import BenchStage

PLACES = (
    "Ashford", "Barnsley", "Bexley", "Bolton", "Bradford", "Brent", "Bristol", "Burnley",
    "Cambridge", "Carlisle", "Chester", "Colchester", "Coventry", "Crawley", "Croydon",
    "Darlington", "Derby", "Doncaster", "Dorset", "Durham", "Ealing", "Enfield", "Exeter",
    "Gateshead", "Gloucester", "Grimsby", "Halifax", "Harrogate", "Hastings", "Hereford", "Hull",
    "Ipswich",
    "Kendal", "Kettering", "Lancaster", "Leeds", "Leicester", "Lewisham", "Lincoln", "Luton",
    "Maidstone", "Medway", "Newham", "Northampton", "Norwich", "Oldham", "Oxford", "Peterborough",
    "Plymouth", "Preston", "Reading", "Rochdale", "Salford", "Sheffield", "Shrewsbury", "Slough",
    "Southport", "Stockport", "Sunderland", "Swindon", "Taunton", "Telford", "Truro", "Wakefield",
    "Walsall", "Warrington", "Watford", "Wigan", "Winchester", "Worcester", "Yeovil", "York",
)  # fmt: skip
STREETS = (
    "Abbey Road", "Beech House", "Bridge Street", "Castle Mead", "Church Lane", "Elm Tree",
    "Granary", "High Street", "Holly Bank", "Kings Road", "Market Place", "Mill Lane", "Orchard",
    "Park View", "Priory", "Queens Park", "Riverside", "Station Road", "The Limes", "Willow Bank",
)  # fmt: skip
NAME_PATTERNS = {
    OrgType.ACUTE_TRUST: (
        "{place} Hospitals NHS Foundation Trust",
        "{place} University Hospitals NHS Trust",
    ),
    OrgType.MENTAL_HEALTH_TRUST: (
        "{place} Mental Health NHS Trust",
        "{place} and District Partnership NHS Foundation Trust",
    ),
    OrgType.COMMUNITY_TRUST: (
        "{place} Community Health NHS Trust",
        "{place} Community Healthcare NHS Trust",
    ),
    OrgType.AMBULANCE_TRUST: ("{place} Ambulance Service NHS Trust",),
    OrgType.GP_PRACTICE: (
        "{street} Surgery, {place}",
        "{street} Medical Practice, {place}",
        "{place} {street} Health Centre",
    ),
    OrgType.DENTAL_PRACTICE: ("{street} Dental Practice, {place}", "{place} Dental Care"),
    OrgType.SOCIAL_CARE: (
        "{place} Care Homes",
        "{street} Home Support, {place}",
        "{street} Care, {place}",
    ),
    OrgType.OTHER: ("{place} Hospice", "{street} Hospice, {place}", "{place} Independent Hospital"),
}
FIRST = ("Aisha", "Ben", "Chloe", "Dev", "Ellen", "Femi", "Grace", "Harry", "Imran", "Jo", "Kate",
         "Liam", "Maya", "Noah", "Olu", "Priya", "Rhys", "Sam", "Tom", "Zara")  # fmt: skip
LAST = ("Ahmed", "Brown", "Clarke", "Davies", "Evans", "Green", "Hughes", "Khan", "Lewis",
        "Morris", "Patel", "Roberts", "Singh", "Taylor", "Walker", "Wright")  # fmt: skip
#: Profiles (under-16s, clinical placements, T Level) seen for each type, most usual first.
PROFILES = {
    OrgType.ACUTE_TRUST: ((True, True, True), (True, True, False), (False, True, True)),
    OrgType.MENTAL_HEALTH_TRUST: ((False, True, False), (True, True, False)),
    OrgType.COMMUNITY_TRUST: ((False, True, True), (False, True, False)),
    OrgType.AMBULANCE_TRUST: ((False, False, True), (False, True, False)),
    OrgType.GP_PRACTICE: ((False, True, False), (False, False, False), (True, True, False)),
    OrgType.DENTAL_PRACTICE: ((False, True, False), (False, False, False)),
    OrgType.SOCIAL_CARE: ((False, False, True), (False, False, False)),
    OrgType.OTHER: ((False, True, False), (True, False, False)),
}
FLAGS = ("offers_under_16", "offers_clinical_placements", "offers_t_level")
_PROFILE_OBJECTS: dict[tuple[bool, ...], dict[str, bool]] = {}


def organisation_name(org_type: OrgType, rng: random.Random) -> str:
    pattern = rng.choice(NAME_PATTERNS[org_type])
    return pattern.format(place=rng.choice(PLACES), street=rng.choice(STREETS))


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def profile_flags(org_type: OrgType, rng: random.Random) -> dict[str, bool]:
    """One shared dict per profile, so the bulk insert converts each once."""
    choice = rng.choice(PROFILES[org_type])
    return _PROFILE_OBJECTS.setdefault(choice, dict(zip(FLAGS, choice, strict=True)))


class OdsCodes:
    """Fresh ODS codes of the right shape for each type, never one already in the database.

    Trust codes (R or T and two characters) are scarce, about 2,500 in all: when they run out
    the organisation becomes an "other" provider instead."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken = taken_ods_codes()
        self._trusts: list[str] | None = None

    def next(self, org_type: OrgType) -> tuple[OrgType, str]:
        """The type the organisation ends up with, and its code."""
        code = self._trust() if org_type.is_trust else None
        if code is None:
            if org_type.is_trust:
                org_type = OrgType.OTHER  # every trust code is in use
            code = self._fresh(org_type)
        problem = ods_code_problem(code, org_type)
        if problem:
            raise RuntimeError(f"seed-bench made the ODS code {code}, which is wrong: {problem}")
        self.taken.add(code)
        return org_type, code

    def _trust(self) -> str | None:
        if self._trusts is None:
            alphabet = ascii_uppercase + digits
            pool = [a + b + c for a in "RT" for b, c in product(alphabet, repeat=2)]
            self._trusts = [code for code in pool if code not in self.taken]
            self.rng.shuffle(self._trusts)
        return self._trusts.pop() if self._trusts else None

    def _fresh(self, org_type: OrgType) -> str:
        rng = self.rng
        while True:
            if org_type is OrgType.GP_PRACTICE:
                code = rng.choice(ascii_uppercase) + f"{rng.randrange(100_000):05d}"
            elif org_type is OrgType.DENTAL_PRACTICE:
                code = f"V{rng.randrange(100_000):05d}"
            elif org_type is OrgType.SOCIAL_CARE:
                code = f"1-{rng.randrange(10**9, 10**10)}"  # a CQC location id
            else:
                code = f"{rng.randrange(10)}{rng.choice(ascii_uppercase)}{rng.randrange(1000):03d}"
            if code not in self.taken:
                return code


@dataclass(slots=True)
class OrgPlan:
    """One organisation to make, decided before anything is written."""

    cohort_id: int
    org_type: OrgType
    ods_code: str
    name: str
    lead_name: str
    region_id: int
    flags: dict[str, bool]
    stage: BenchStage
    variant: int
    status: AssessmentStatus
    joined_at: datetime
    started_at: datetime
    last_activity_at: datetime
