"""A demo cohort: organisations across regions and types, each with a lead."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from accredit.config import Settings
from accredit.data.models import Cohort, CohortMembership, CohortReviewer, Organisation
from accredit.data.queries.accounts.organisations import organisation_by_ods, region_by_code
from accredit.data.queries.accounts.users import user_by_email
from accredit.data.queries.cohorts.cohorts import cohort_by_name
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.extensions import db
from accredit.seed.demo_activity import seed_demo_returns
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.seed.demo_awards import seed_demo_awards
from accredit.seed.demo_history import EARLIER_CYCLE, EARLIER_STANDARD, seed_earlier_cycle
from accredit.services.accounts.accounts import create_user


@dataclass(frozen=True, slots=True)
class DemoOrganisation:
    name: str
    ods: str
    org_type: OrgType
    region: str
    #: Every profile field of the cohort's standard (WEQS 2026.2) answered: a field left
    #: unanswered holds back the criteria that depend on it.
    profile: dict[str, bool]


def _profile(
    *,
    under_16: bool = False,
    ages_16_17: bool = True,
    adults: bool = True,
    in_person: bool = True,
    virtual: bool = False,
    clinical: bool = True,
    t_level: bool = False,
    regulated: bool = False,
) -> dict[str, bool]:
    return {
        "offers_under_16": under_16,
        "offers_16_17": ages_16_17,
        "offers_adults": adults,
        "offers_in_person": in_person,
        "offers_virtual": virtual,
        "offers_clinical_placements": clinical,
        "offers_t_level": t_level,
        "regulated_activity": regulated,
    }


#: Plausible for each type: acute trusts take every age band in person (and run adult
#: employability programmes in which learners give personal care: regulated activity); GP and
#: dental practices take 16-17 year olds and adults; the care home takes 16-17 year olds and
#: adults in regulated activity; the home support provider runs an adults-only programme.
DEMO_ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        "Northgate Hospitals NHS Foundation Trust",
        "RX1",
        OrgType.ACUTE_TRUST,
        "north-east-yorkshire",
        _profile(under_16=True, virtual=True, t_level=True, regulated=True),
    ),
    DemoOrganisation(
        "Pennine Valley Mental Health NHS Trust",
        "RX2",
        OrgType.MENTAL_HEALTH_TRUST,
        "north-west",
        _profile(virtual=True),
    ),
    DemoOrganisation(
        "Mersey Coast Teaching Hospitals NHS Trust",
        "RX3",
        OrgType.ACUTE_TRUST,
        "north-west",
        _profile(under_16=True, t_level=True),
    ),
    DemoOrganisation(
        "Heart of the Shires Community Health NHS Trust",
        "RX4",
        OrgType.COMMUNITY_TRUST,
        "midlands",
        _profile(),
    ),
    DemoOrganisation(
        "Fenland and Broads Ambulance Service NHS Trust",
        "RX5",
        OrgType.AMBULANCE_TRUST,
        "east-of-england",
        _profile(virtual=True, clinical=False, t_level=True),
    ),
    DemoOrganisation(
        "Thameside University Hospitals NHS Trust",
        "RX6",
        OrgType.ACUTE_TRUST,
        "london",
        _profile(under_16=True, virtual=True, t_level=True, regulated=True),
    ),
    DemoOrganisation(
        "Riverside Medical Practice", "Y90001", OrgType.GP_PRACTICE, "london", _profile()
    ),
    DemoOrganisation("Downs View Surgery", "Y90002", OrgType.GP_PRACTICE, "south-east", _profile()),
    DemoOrganisation(
        "Harbour Street Dental Care",
        "V90003",
        OrgType.DENTAL_PRACTICE,
        "south-west",
        _profile(),
    ),
    DemoOrganisation(
        "Meadowbank Care Homes",
        "VX901",
        OrgType.SOCIAL_CARE,
        "midlands",
        _profile(t_level=True, regulated=True),
    ),
    DemoOrganisation("Moorland Hospice", "8X901", OrgType.OTHER, "south-west", _profile()),
    DemoOrganisation(
        "Wessex Coast Hospitals NHS Foundation Trust",
        "RX7",
        OrgType.ACUTE_TRUST,
        "south-east",
        _profile(under_16=True, t_level=True),
    ),
    DemoOrganisation(
        "Dales Home Support",
        "VX902",
        OrgType.SOCIAL_CARE,
        "north-east-yorkshire",
        _profile(ages_16_17=False, regulated=True),
    ),
)

#: The cohort's standard: the current published WEQS (2026.1 is superseded, so no cohort may
#: start on it; the demo's earlier awards stay on it as history).
DEMO_STANDARD = ("weqs", "2026.2")

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


def seed_demo(
    settings: Settings, cohort_name: str = "HEE work experience cohort 2026"
) -> list[DemoLogin]:
    """Create the demo cohort; organisations or people already there are left alone."""
    logins: list[DemoLogin] = []
    if cohort_by_name(cohort_name) is not None:
        return logins
    with unit_of_work():
        cohort = Cohort(
            name=cohort_name,
            year=2026,
            region=None,
            standard_id=DEMO_STANDARD[0],
            standard_version=DEMO_STANDARD[1],
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
        organisations: list[Organisation] = []
        for index, demo in enumerate(DEMO_ORGANISATIONS, start=1):
            organisation = organisation_by_ods(demo.ods)
            if organisation is None:
                region = region_by_code(demo.region)
                if region is None:
                    raise LookupError(f"Region {demo.region} is missing: run `accredit init` first")
                organisation = Organisation(
                    name=demo.name,
                    ods_code=demo.ods,
                    org_type=demo.org_type,
                    region=region,
                    profile=dict(demo.profile),
                )
                db.session.add(organisation)
                db.session.flush()
            organisations.append(organisation)
            stage = DEMO_STAGES[(index - 1) % len(DEMO_STAGES)]
            where = stage.value
            if demo.ods in EARLIER_CYCLE:
                where += f", accredited last cycle on {' '.join(EARLIER_STANDARD).upper()}"
            logins.extend(
                replace(login, organisation=f"{login.organisation}: {where}")
                for login in _person(
                    f"lead{index}@demo.example.nhs.uk", f"Lead {index}", Role.ORG_LEAD, organisation
                )
            )
    if reviewer is not None and reviewer.role is Role.HEE_REVIEWER:
        people = [
            (o, user_by_email(f"lead{i}@demo.example.nhs.uk"))
            for i, o in enumerate(organisations, 1)
        ]
        earlier = [(o, lead) for o, lead in people if lead is not None]
        seed_earlier_cycle(settings, earlier, reviewer)
    # Joined after the earlier cycle: a new assessment starts in an organisation's newest cohort.
    with unit_of_work():
        for organisation in organisations:
            db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
    _seed_assessments(cohort)
    seed_demo_awards(cohort.id, settings.award_months)
    seed_demo_returns(
        [(demo.ods, f"lead{i}@demo.example.nhs.uk") for i, demo in enumerate(DEMO_ORGANISATIONS, 1)]
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
    from accredit.data.queries.accounts.users import user_by_email
    from accredit.data.queries.operations.standards import standard_version

    if standard_version(cohort.standard_id, cohort.standard_version) is None:
        return
    for index, demo in enumerate(DEMO_ORGANISATIONS, start=1):
        organisation = organisation_by_ods(demo.ods)
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
