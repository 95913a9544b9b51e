"""What the benchmarks share: a real app on a fresh instance, the demo cohort, a signed-in lead.

With ACCREDIT_BENCH_DATABASE_URL the app runs on that database instead of a new SQLite file
(its tables are emptied first).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from accredit.data.transactions import unit_of_work

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "bench-password-lantern-42"


def make_app(instance: Path, url: str | None = None):  # type: ignore[no-untyped-def]
    """The app on `url`, else on ACCREDIT_BENCH_DATABASE_URL, else on a new SQLite file."""
    from accredit import create_app
    from accredit.config import Settings

    url = (
        url or os.environ.get("ACCREDIT_BENCH_DATABASE_URL") or f"sqlite:///{instance / 'bench.db'}"
    )
    settings = Settings(
        instance_path=instance,
        database_url=url,
        secret_key="bench-" + instance.name,
        standards_path=ROOT / "standards",
        log_level="WARNING",
        admin_two_factor=False,  # the bench times pages, not the admin's set-up journey
    )
    return create_app(settings), settings


def prepare(app, settings) -> None:  # type: ignore[no-untyped-def]
    """Schema, regions and standards on an empty database (what `accredit init` does); a
    given database's tables are emptied first."""
    from accredit.data.migrate import upgrade
    from accredit.extensions import db
    from accredit.services.operations.reference import sync_regions
    from accredit.services.operations.standards import sync_standards

    assert db.engine is not None
    upgrade(db.engine)
    if db.engine.dialect.name != "sqlite":
        from tests.support.database import truncate_tables

        truncate_tables(db.engine)
    with app.app_context():
        sync_regions()
        list(sync_standards(settings))


def seed(app, settings) -> None:  # type: ignore[no-untyped-def]
    from accredit.seed.demo import seed_demo

    prepare(app, settings)
    with app.app_context():
        seed_demo(settings)


def sign_in(app, status=None, level=None):  # type: ignore[no-untyped-def]
    from accredit.data.models import Assessment, ScoreSummary
    from accredit.domain.assessments.lifecycle import AssessmentStatus
    from accredit.extensions import db

    # The lead of a demo assessment: a draft unless asked otherwise, at a level when asked.
    query = db.session.query(Assessment).filter_by(status=status or AssessmentStatus.DRAFT)
    if level is not None:
        query = query.join(ScoreSummary, ScoreSummary.assessment_id == Assessment.id).filter(
            ScoreSummary.level_reached == level
        )
    assessment = query.order_by(Assessment.id).first()
    return sign_in_lead(app, assessment.id)


def sign_in_lead(app, assessment_id: int):  # type: ignore[no-untyped-def]
    """(client, assessment id, organisation id): a client signed in through the sign-in page
    as the lead of that assessment's organisation."""
    from accredit.data.models import Assessment, User
    from accredit.extensions import db
    from accredit.services.accounts.passwords import hash_password

    # Seeded passwords are random: give the lead a known one.
    assessment = db.session.get(Assessment, assessment_id)
    lead = db.session.query(User).filter_by(organisation_id=assessment.organisation_id).first()
    with unit_of_work():
        lead.password_hash = hash_password(PASSWORD)
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post(
        "/sign-in",
        data={
            "csrf_token": TOKEN.search(page).group(1),
            "email": lead.email,
            "password": PASSWORD,
            "next": "",
        },
    )
    assert response.status_code == 302, "the bench lead could not sign in"
    db.remove()
    return client, assessment.id, assessment.organisation_id


def sign_in_hee_admin(app):  # type: ignore[no-untyped-def]
    """A client signed in through the sign-in page as an HEE admin (made for the bench)."""
    from accredit.data.models import User
    from accredit.domain.accounts.organisations import Role
    from accredit.extensions import db
    from accredit.services.accounts.passwords import hash_password

    email = "bench-admin@hee.example.nhs.uk"
    if db.session.query(User).filter_by(email=email).first() is None:
        with unit_of_work():
            db.session.add(
                User(
                    email=email,
                    name="Bench Admin",
                    role=Role.HEE_ADMIN,
                    password_hash=hash_password(PASSWORD),
                    active=True,
                    session_version=1,
                )
            )
    db.remove()
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post(
        "/sign-in",
        data={
            "csrf_token": TOKEN.search(page).group(1),
            "email": email,
            "password": PASSWORD,
            "next": "",
        },
    )
    assert response.status_code == 302, "the bench HEE admin could not sign in"
    return client
