"""Integration fixtures: the app on SQLite and (when configured) PostgreSQL, and people.

Every test that uses ``app`` runs once per database: ``[sqlite]`` always, ``[postgresql]``
when ACCREDIT_TEST_POSTGRES_URL points at a server (CI sets it when one answers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accredit import create_app
from accredit.config import Settings
from accredit.data.models import (
    Assessment,
    Award,
    Cohort,
    CohortMembership,
    CohortReviewer,
    Organisation,
    User,
)
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.review.awards import AwardStatus
from accredit.extensions import db
from accredit.services.accounts.passwords import hash_password
from accredit.services.operations.reference import sync_regions
from accredit.services.reports.printing import Printing
from tests.support import compiled_once, profiles
from tests.support.database import empty_tables, postgres_url, reset_schema_once
from tests.support.rq import rq_settings  # noqa: F401  (a fixture: RQ on the real Redis)

TODAY = date.today()

compiled_once.install()  # every test makes an app: compile its URL rules and templates once

PASSWORD = "granite-tulip-harbour-47"
_HASH: list[str] = []


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "postgresql":
        url = postgres_url()
        if url is None:
            pytest.skip("PostgreSQL tests need ACCREDIT_TEST_POSTGRES_URL (see README)")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'accredit.db'}"
    reset_schema_once(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        instance_path=tmp_path / "instance",
        database_url=database_url,
        secret_key="test-secret-key-" + tmp_path.name,
        base_url="http://localhost",
        sign_in_attempts=5,
        # Peer medians read afresh on every report (their caching has its own test).
        peer_figures_seconds=0,
        # Admins sign in without a code here; the two-factor tests turn the rule on.
        admin_two_factor=False,
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings)
    app.config.update(TESTING=True)
    assert db.engine is not None
    empty_tables(db.engine)
    with app.app_context():
        sync_regions()
    # No app context is held during the test: each request must get its own, with a fresh
    # ``g``, exactly as in production. The database session works without one.
    yield app
    from accredit.services.jobs import backends as job_backends

    assert job_backends.drain(120), "a background job outlived its test"
    db.session.rollback()
    db.remove()
    empty_tables(db.engine)


@pytest.fixture
def printing(app: Flask, settings: Settings) -> Printing:
    """What a pack or certificate is printed with, as a view or job hands it over."""
    return Printing.of(app, settings)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_org(app: Flask) -> Callable[..., Organisation]:
    from accredit.data.queries.accounts.organisations import region_by_code

    counter = iter(range(1, 1000))

    def make(
        name: str | None = None, org_type: OrgType = OrgType.ACUTE_TRUST, **fields: object
    ) -> Organisation:
        n = next(counter)
        fields.setdefault("profile", profiles.answered())
        organisation = Organisation(
            name=name or f"Test Trust {n}",
            ods_code=fields.pop("ods_code", f"T{n:04d}"),
            org_type=org_type,
            region=region_by_code(str(fields.pop("region", "london"))),
            **fields,
        )
        with unit_of_work():
            db.session.add(organisation)
        return organisation

    return make


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    counter = iter(range(1, 1000))

    def make(role: Role, organisation: Organisation | None = None, **fields: object) -> User:
        if not _HASH:
            _HASH.append(hash_password(PASSWORD))
        n = next(counter)
        user = User(
            email=str(fields.pop("email", f"{role.value}{n}@example.nhs.uk")),
            name=str(fields.pop("name", f"{role.label} {n}")),
            role=role,
            organisation=organisation,
            password_hash=_HASH[0],
            active=bool(fields.pop("active", True)),
            session_version=1,
        )
        with unit_of_work():
            db.session.add(user)
        return user

    return make


@pytest.fixture
def sign_in_as(app: Flask) -> Callable[[User], FlaskClient]:
    """A new client already signed in as ``user``, as if they had used the sign-in page."""

    def sign_in(user: User) -> FlaskClient:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session.permanent = True
        return client

    return sign_in


@pytest.fixture
def org(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org("Home Trust")


@pytest.fixture
def other_org(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org("Other Trust")


@pytest.fixture
def people(make_user: Callable[..., User], org: Organisation) -> dict[Role, User]:
    """One person of each role; organisation roles belong to ``org``."""
    return {role: make_user(role, org if not role.is_hee else None) for role in Role}


@pytest.fixture
def clients(
    people: dict[Role, User], sign_in_as: Callable[[User], FlaskClient]
) -> dict[Role, FlaskClient]:
    """A signed-in client for each role."""
    return {role: sign_in_as(user) for role, user in people.items()}


@pytest.fixture
def standards_loaded(app: Flask, settings: Settings) -> None:
    from accredit.services.operations.standards import sync_standards

    list(sync_standards(settings))


@pytest.fixture
def enrol(standards_loaded: None) -> Callable[..., Organisation]:
    """Put an organisation in a WEQS 2026.1 cohort with the given profile answers."""
    cohorts: list[Cohort] = []

    def enrol(organisation: Organisation, **profile: object) -> Organisation:
        # Pages served in between may have closed the session the organisation came from.
        organisation = db.session.get(Organisation, organisation.id)
        if not cohorts:
            cohort = Cohort(
                name="Test cohort", year=2026, standard_id="weqs", standard_version="2026.1"
            )
            with unit_of_work():
                db.session.add(cohort)
            cohorts.append(cohort)
        with unit_of_work():
            db.session.add(
                CohortMembership(cohort_id=cohorts[0].id, organisation_id=organisation.id)
            )
            # HEE reviewers see only the cohorts they are assigned: give them this one.
            assigned = set(
                db.session.scalars(
                    select(CohortReviewer.user_id).where(CohortReviewer.cohort_id == cohorts[0].id)
                )
            )
            for reviewer in db.session.scalars(select(User).where(User.role == Role.HEE_REVIEWER)):
                if reviewer.id not in assigned:
                    db.session.add(CohortReviewer(cohort_id=cohorts[0].id, user_id=reviewer.id))
            organisation.profile = {
                "offers_under_16": False,
                "offers_clinical_placements": False,
                "offers_t_level": False,
                **profile,
            }
        return organisation

    return enrol


@pytest.fixture
def make_assessment(
    enrol: Callable[..., Organisation], make_user: Callable[..., User]
) -> Callable[..., Assessment]:
    """Put an organisation in a WEQS 2026.1 cohort and start its assessment as its lead."""
    from accredit.services.assessments.assessments import start

    def make(organisation: Organisation, lead: User | None = None, **profile: object) -> Assessment:
        organisation = enrol(organisation, **profile)
        starter = lead or make_user(Role.ORG_LEAD, organisation)
        return start(starter, organisation)

    return make


@pytest.fixture
def make_award(make_org: Callable[..., Organisation]) -> Callable[..., Award]:
    """An organisation holding an award (current and unexpired unless told otherwise)."""

    def make(
        cohort_id=None,
        region="london",
        org_type=OrgType.ACUTE_TRUST,
        status=AwardStatus.CURRENT,
        expires_on=None,
        level="bronze",
        organisation=None,
        awarded_on=None,
    ) -> Award:
        organisation = organisation or make_org(org_type=org_type, region=region)
        award = Award(
            organisation_id=organisation.id,
            cohort_id=cohort_id,
            level=level,
            level_name=level.title(),
            awarded_on=awarded_on or TODAY - timedelta(days=100),
            expires_on=expires_on or TODAY + timedelta(days=600),
            standard_id="weqs",
            standard_version="2026.1",
            standard_title="Work Experience Quality Standard",
            fingerprint="a" * 64,
            status=status,
        )
        with unit_of_work():
            db.session.add(award)
        return award

    return make
