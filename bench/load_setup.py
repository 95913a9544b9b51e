"""The load test's instance: schema, standards, a benchmark cohort and the simulated people.

`bench/loadtest.py` calls `prepare` before gunicorn starts. Every simulated person has an
account of their own with one known password, so no two simulated users ever edit the same
answers (a stale-edit clash would be a test artefact, not a finding). The plan it writes is all
the locustfile knows: who signs in as whom, and which ids they visit.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from accredit.data.transactions import unit_of_work

PASSWORD = "load-test-password-heron-57"
#: Pooled accounts per kind of simulated person (Locust spreads users by weight, so any one
#: kind may get most of them in a short run).
SPARE = 2


@dataclass
class Plan:
    """What the locustfile reads: accounts by kind and the ids their pages take."""

    password: str
    cohort_id: int
    leads: list[dict[str, Any]] = field(default_factory=list)
    packers: list[dict[str, Any]] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)
    reports: list[int] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    evidence_pdf: str = ""

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1))


def prepare(app: Any, folder: Path, organisations: int, users: int) -> Plan:
    """Migrate, load the standards, seed the cohort and make the accounts; return the plan."""
    from accredit.data.migrate import upgrade
    from accredit.extensions import db
    from accredit.seed.bench_seed import seed_bench
    from accredit.services.operations.reference import sync_regions
    from accredit.services.operations.standards import sync_standards

    with app.app_context():
        assert db.engine is not None
        upgrade(db.engine)
        if db.engine.dialect.name != "sqlite":  # a given database: start from nothing
            from tests.support.database import truncate_tables

            truncate_tables(db.engine)
        sync_regions()
        list(sync_standards(app.extensions["accredit.settings"]))
        seeded = seed_bench(organisations)
        plan = _accounts(seeded.cohort_id, users)
        db.remove()
        _analyse(db.engine)
        db.engine.dispose()
    plan.evidence_pdf = str(_evidence_pdf(folder / "evidence.pdf"))
    return plan


def _analyse(engine: Any) -> None:
    """Start from a database in a steady state, as one in service is: the planner has
    statistics on the rows just written, and PostgreSQL has written them out (otherwise its
    autovacuum analyses them, and a checkpoint flushes the seed, in the middle of the run)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    if engine.dialect.name != "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        return
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.execute(text("VACUUM ANALYZE"))
        # Needs a superuser (or pg_checkpoint); without it the run starts all the same.
        with contextlib.suppress(DBAPIError):
            connection.execute(text("CHECKPOINT"))


def _accounts(cohort_id: int, users: int) -> Plan:
    from accredit.data.models import Assessment, Cohort, Organisation, Region, User
    from accredit.domain.accounts.organisations import Role
    from accredit.domain.assessments.lifecycle import AssessmentStatus
    from accredit.extensions import db
    from accredit.services.accounts.accounts import create_user
    from accredit.services.accounts.passwords import hash_password
    from accredit.services.cohorts.cohort_reviewers import assign

    wanted = users + SPARE
    drafts = (
        db.session.query(Assessment, User)
        .join(User, User.organisation_id == Assessment.organisation_id)
        .filter(Assessment.cohort_id == cohort_id, Assessment.status == AssessmentStatus.DRAFT)
        .filter(User.role == Role.ORG_LEAD)
        .order_by(Assessment.id)
        .all()
    )
    if len(drafts) < wanted + 1:
        raise SystemExit(
            f"The cohort has {len(drafts)} draft assessments; {wanted + 1} are needed for "
            f"{users} users: give more organisations"
        )
    plan = Plan(password=PASSWORD, cohort_id=cohort_id)
    # One hash for every lead: they share the password, and scrypt is slow on purpose.
    shared = hash_password(PASSWORD)
    with unit_of_work():
        for assessment, lead in drafts[: wanted + 1]:
            lead.password_hash = shared
            entry = {
                "email": lead.email,
                "assessment": assessment.id,
                "organisation": assessment.organisation_id,
            }
            if len(plan.leads) < wanted:
                plan.leads.append(entry)
            else:
                plan.packers.append(entry)
        admin = create_user(
            email="load-admin@hee.example.nhs.uk",
            name="Load Admin",
            role=Role.HEE_ADMIN,
            password=None,  # assigns the reviewers below; never signs in
        )
        cohort = db.session.get(Cohort, cohort_id)
        assert cohort is not None
        for kind, accounts in (("reviewer", plan.reviewers), ("staff", plan.staff)):
            for n in range(wanted):
                email = f"load-{kind}-{n}@hee.example.nhs.uk"
                person = create_user(
                    email=email, name=f"Load {kind} {n}", role=Role.HEE_REVIEWER, password=None
                )
                person.password_hash = shared
                accounts.append(email)
        db.session.flush()
    for email in (*plan.reviewers, *plan.staff):
        person = db.session.query(User).filter_by(email=email).one()
        assign(admin, cohort, person.id)
    plan.reports = [
        row.id
        for row in db.session.query(Assessment.id).filter(Assessment.cohort_id == cohort_id).all()
    ]
    members = db.session.query(Organisation.region_id, Organisation.org_type).filter(
        Organisation.id.in_(
            db.session.query(Assessment.organisation_id).filter(Assessment.cohort_id == cohort_id)
        )
    )
    region_ids = {region_id for region_id, _ in members}
    plan.types = sorted({org_type.value for _, org_type in members})
    plan.regions = sorted(
        code for (code,) in db.session.query(Region.code).filter(Region.id.in_(region_ids))
    )
    return plan


def _evidence_pdf(path: Path) -> Path:
    """A small, genuine one-page PDF, so the pack really reproduces uploaded evidence."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path
