"""Command line: init, create-user, seed-demo."""

from __future__ import annotations

from sqlalchemy import func, select

from accredit.data.models import Cohort, CohortMembership, Organisation, User
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db


def test_init_creates_the_first_admin_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("ACCREDIT_ADMIN_PASSWORD", "orchid-tundra-ribbon-55")
    result = app.test_cli_runner().invoke(
        args=["init", "--admin-email", "First@HEE.example.nhs.uk", "--admin-name", "First Admin"]
    )
    assert result.exit_code == 0, result.output
    admin = db.session.scalars(select(User)).one()
    assert admin.email == "first@hee.example.nhs.uk" and admin.role is Role.HEE_ADMIN


def test_init_prompts_when_the_environment_is_silent(app, monkeypatch):
    monkeypatch.delenv("ACCREDIT_ADMIN_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(
        args=["init"],
        input="\n".join(
            ["prompted@hee.example.nhs.uk", "Prompted Admin"] + ["orchid-tundra-ribbon-55"] * 2
        )
        + "\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.email)) == "prompted@hee.example.nhs.uk"


def test_init_twice_changes_nothing(app, monkeypatch):
    monkeypatch.setenv("ACCREDIT_ADMIN_PASSWORD", "orchid-tundra-ribbon-55")
    runner = app.test_cli_runner()
    args = ["init", "--admin-email", "a@hee.example.nhs.uk", "--admin-name", "A"]
    assert runner.invoke(args=args).exit_code == 0
    assert runner.invoke(args=args).exit_code == 0
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_create_user_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "x@hee.example.nhs.uk",
            "--name",
            "X",
            "--role",
            "hee_admin",
            "--password",
            "password1234",
        ]
    )
    assert result.exit_code != 0
    assert "too common" in result.output


def test_create_user_for_an_organisation(app, org):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "lead@example.nhs.uk",
            "--name",
            "Lee Lead",
            "--role",
            "org_lead",
            "--ods",
            org.ods_code,
            "--password",
            "orchid-tundra-ribbon-55",
        ]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(User)).one().organisation_id == org.id


def test_seed_demo_makes_a_cohort_across_regions_and_types(app, settings):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    organisations = db.session.scalars(select(Organisation)).all()
    assert len(organisations) >= 12
    assert len({o.region_id for o in organisations}) >= 5
    assert len({o.org_type for o in organisations}) >= 6
    leads = db.session.scalars(select(User).where(User.role == Role.ORG_LEAD)).all()
    assert {lead.organisation_id for lead in leads} == {o.id for o in organisations}
    cohort = db.session.scalars(select(Cohort)).one()
    members = db.session.scalar(select(func.count(CohortMembership.id)))
    assert members == len(organisations) and cohort.standard_id == "weqs"
    assert "admin@hee.example.nhs.uk" in result.output
    saved = (settings.instance_path / "demo-sign-ins.txt").read_text()
    assert saved.strip() in result.output


def test_seed_demo_if_empty_leaves_a_real_database_alone(app, people):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "no demo cohort was added" in result.output
    assert db.session.scalar(select(func.count(Organisation.id))) == 1
