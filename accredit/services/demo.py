"""A demo cohort: organisations across regions and types, each with a lead."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from accredit.config import Settings
from accredit.data.models import Cohort, CohortMembership, CohortReviewer, Organisation
from accredit.data.queries.cohorts import cohort_by_name
from accredit.data.queries.organisations import organisation_by_ods, region_by_code
from accredit.data.queries.users import user_by_email
from accredit.domain.organisations import OrgType, Role
from accredit.extensions import db
from accredit.services.accounts import create_user
from accredit.services.demo_activity import seed_demo_returns
from accredit.services.demo_assessments import Stage, seed_stage
from accredit.services.demo_awards import seed_demo_awards

# (name, ODS code, type, region, under-16s, clinical, T Level)
DEMO_ORGANISATIONS: tuple[tuple[str, str, OrgType, str, bool, bool, bool], ...] = (
    (
        "Northgate Hospitals NHS Foundation Trust",
        "RX1",
        OrgType.ACUTE_TRUST,
        "north-east-yorkshire",
        True,
        True,
        True,
    ),
    (
        "Pennine Valley Mental Health NHS Trust",
        "RX2",
        OrgType.MENTAL_HEALTH_TRUST,
        "north-west",
        False,
        True,
        False,
    ),
    (
        "Mersey Coast Teaching Hospitals NHS Trust",
        "RX3",
        OrgType.ACUTE_TRUST,
        "north-west",
        True,
        True,
        True,
    ),
    (
        "Heart of the Shires Community Health NHS Trust",
        "RX4",
        OrgType.COMMUNITY_TRUST,
        "midlands",
        False,
        True,
        False,
    ),
    (
        "Fenland and Broads Ambulance Service NHS Trust",
        "RX5",
        OrgType.AMBULANCE_TRUST,
        "east-of-england",
        False,
        False,
        True,
    ),
    (
        "Thameside University Hospitals NHS Trust",
        "RX6",
        OrgType.ACUTE_TRUST,
        "london",
        True,
        True,
        True,
    ),
    ("Riverside Medical Practice", "Y90001", OrgType.GP_PRACTICE, "london", False, True, False),
    ("Downs View Surgery", "Y90002", OrgType.GP_PRACTICE, "south-east", False, True, False),
    (
        "Harbour Street Dental Care",
        "V90003",
        OrgType.DENTAL_PRACTICE,
        "south-west",
        False,
        True,
        False,
    ),
    ("Meadowbank Care Homes", "VX901", OrgType.SOCIAL_CARE, "midlands", False, False, True),
    ("Moorland Hospice", "8X901", OrgType.OTHER, "south-west", False, True, False),
    (
        "Wessex Coast Hospitals NHS Foundation Trust",
        "RX7",
        OrgType.ACUTE_TRUST,
        "south-east",
        True,
        True,
        True,
    ),
    (
        "Dales Home Support",
        "VX902",
        OrgType.SOCIAL_CARE,
        "north-east-yorkshire",
        False,
        False,
        False,
    ),
)

DEMO_ADMIN = ("admin@hee.example.nhs.uk", "Alex Admin")
DEMO_REVIEWER = ("reviewer@hee.example.nhs.uk", "Robin Reviewer")


def sign_ins_file(settings: Settings) -> Path:
    return settings.instance_path / "demo-sign-ins.txt"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    email: str
    role: Role
    organisation: str
    password: str


def _password() -> str:
    # Random per install: demo passwords are printed once and never stored in the code.
    words = ("amber", "harbour", "lantern", "meadow", "orbit", "quartz", "saffron", "willow")
    return "-".join(secrets.choice(words) for _ in range(3)) + f"-{secrets.randbelow(90) + 10}"


def seed_demo(cohort_name: str = "HEE work experience cohort 2026") -> list[DemoLogin]:
    """Create the demo cohort; organisations or people already there are left alone."""
    logins: list[DemoLogin] = []
    if cohort_by_name(cohort_name) is not None:
        return logins
    with db.transaction():
        cohort = Cohort(
            name=cohort_name,
            year=2026,
            region=None,
            standard_id="weqs",
            standard_version="2026.1",
            deadline=date(2027, 3, 31),
        )
        db.session.add(cohort)
        for email, name, role in (
            (*DEMO_ADMIN, Role.HEE_ADMIN),
            (*DEMO_REVIEWER, Role.HEE_REVIEWER),
        ):
            logins.extend(_person(email, name, role, None))
        reviewer = user_by_email(DEMO_REVIEWER[0])
        if reviewer is not None and reviewer.role is Role.HEE_REVIEWER:
            db.session.flush()
            db.session.add(CohortReviewer(cohort_id=cohort.id, user_id=reviewer.id))
        for index, (name, ods, org_type, region_code, u16, clinical, t_level) in enumerate(
            DEMO_ORGANISATIONS, start=1
        ):
            organisation = organisation_by_ods(ods)
            if organisation is None:
                region = region_by_code(region_code)
                if region is None:
                    raise LookupError(f"Region {region_code} is missing: run `accredit init` first")
                organisation = Organisation(
                    name=name,
                    ods_code=ods,
                    org_type=org_type,
                    region=region,
                    profile={
                        "offers_under_16": u16,
                        "offers_clinical_placements": clinical,
                        "offers_t_level": t_level,
                    },
                )
                db.session.add(organisation)
                db.session.flush()
            db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
            stage = DEMO_STAGES[(index - 1) % len(DEMO_STAGES)]
            logins.extend(
                replace(login, organisation=f"{login.organisation}: {stage.value}")
                for login in _person(
                    f"lead{index}@demo.example.nhs.uk", f"Lead {index}", Role.ORG_LEAD, organisation
                )
            )
    _seed_assessments(cohort)
    seed_demo_awards(cohort.id)
    seed_demo_returns(
        [
            (ods, f"lead{i}@demo.example.nhs.uk")
            for i, (_, ods, *_r) in enumerate(DEMO_ORGANISATIONS, 1)
        ]
    )
    return logins


#: The stage each demo organisation is at, in the order of DEMO_ORGANISATIONS (cycled).
DEMO_STAGES = (
    Stage.PART_DONE,
    Stage.BRONZE,
    Stage.SILVER,
    Stage.SUBMITTED,
    Stage.NOT_STARTED,
    Stage.STARTED,
)


def _seed_assessments(cohort: Cohort) -> None:
    """Give the demo organisations assessments at every stage (needs the standard loaded)."""
    from accredit.data.queries.standards import standard_version
    from accredit.data.queries.users import user_by_email

    if standard_version(cohort.standard_id, cohort.standard_version) is None:
        return
    for index, (_, ods, *_rest) in enumerate(DEMO_ORGANISATIONS, start=1):
        organisation = organisation_by_ods(ods)
        lead = user_by_email(f"lead{index}@demo.example.nhs.uk")
        if organisation is None or lead is None:
            continue
        seed_stage(organisation, lead, DEMO_STAGES[(index - 1) % len(DEMO_STAGES)])


def _person(
    email: str, name: str, role: Role, organisation: Organisation | None
) -> list[DemoLogin]:
    if user_by_email(email) is not None:
        return []
    password = _password()
    create_user(email=email, name=name, role=role, password=password, organisation=organisation)
    return [DemoLogin(email, role, organisation.name if organisation else "HEE", password)]
