"""Command line: ``accredit init``, ``create-user``, ``seed-demo``, ``db upgrade``, ``standards``
(with ``standards simulate``, which needs the database), ``worker``.

``accredit`` is Flask's command group bound to ``create_app``; ``flask --app wsgi`` works too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from accredit.config import Settings
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role


def _settings() -> Settings:
    return current_app.extensions["accredit.settings"]


def _migrate() -> None:
    from accredit.data.migrate import upgrade
    from accredit.extensions import db
    from accredit.services.accounts.two_factor import seal_stored_keys

    assert db.engine is not None
    upgrade(db.engine)
    sealed = seal_stored_keys(_settings())  # keys stored before sealing began
    if sealed:
        click.echo(f"Sealed {sealed} two-factor keys stored before keys were sealed.")


db_group = AppGroup("db", help="Database schema commands.")


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply every Alembic migration."""
    _migrate()
    click.echo("Database is up to date.")


@click.command("init")
@with_appcontext
@click.option("--admin-email", default=lambda: os.environ.get("ACCREDIT_ADMIN_EMAIL"))
@click.option("--admin-name", default=lambda: os.environ.get("ACCREDIT_ADMIN_NAME"))
@click.option("--skip-admin", is_flag=True, help="Do not create the first HEE admin (demo set-up).")
def init_command(admin_email: str | None, admin_name: str | None, skip_admin: bool) -> None:
    """Migrate, load reference data and standards, and create the first HEE admin."""
    from accredit.data.queries.accounts.users import count_users
    from accredit.services.operations.reference import sync_regions

    _migrate()
    click.echo(f"Regions: {sync_regions()} added or renamed.")
    _load_standards()
    if count_users() == 0 and not skip_admin:
        email = admin_email or click.prompt("First HEE admin's email address")
        name = admin_name or click.prompt("Their full name")
        password = os.environ.get("ACCREDIT_ADMIN_PASSWORD") or click.prompt(
            "Their password", hide_input=True, confirmation_prompt=True
        )
        _create_user(email, name, Role.HEE_ADMIN, None, password)
    click.echo("Initialised.")


def _load_standards() -> None:
    from accredit.services.operations.standards import StandardChangedError, sync_standards
    from accredit.standards.loader import StandardFileError

    try:
        for line in sync_standards(_settings()):
            click.echo(line)
    except StandardFileError as error:
        raise click.ClickException(
            "The standard files have problems:\n" + "\n".join(str(p) for p in error.problems)
        ) from error
    except StandardChangedError as error:
        raise click.ClickException(str(error)) from error


def _create_user(email: str, name: str, role: Role, ods: str | None, password: str) -> None:
    from accredit.data.queries.accounts.organisations import organisation_by_ods
    from accredit.services.accounts.accounts import AccountError, create_user
    from accredit.services.accounts.passwords import password_problem

    problem = password_problem(password, user_inputs=(email, name))
    if problem:
        raise click.ClickException(problem)
    organisation = organisation_by_ods(ods.upper()) if ods else None
    if ods and organisation is None:
        raise click.ClickException(f"No organisation has ODS code {ods}")
    try:
        with unit_of_work():
            create_user(
                email=email, name=name, role=role, password=password, organisation=organisation
            )
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {role.in_sentence}, {email}.")


@click.command("create-user")
@with_appcontext
@click.option("--email", prompt=True)
@click.option("--name", prompt="Full name")
@click.option("--role", type=click.Choice([r.value for r in Role]), prompt=True)
@click.option("--ods", help="ODS code of their organisation (organisation roles only)")
@click.password_option()
def create_user_command(email: str, name: str, role: str, ods: str | None, password: str) -> None:
    """Create an account directly (for example a replacement HEE admin)."""
    _create_user(email, name, Role(role), ods, password)


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no accounts yet.")
def seed_demo_command(if_empty: bool) -> None:
    """Create a demo cohort of organisations, each with a lead, and print the sign-ins."""
    from accredit.data.queries.accounts.users import count_users
    from accredit.seed.demo import seed_demo, sign_ins_file

    saved = sign_ins_file(_settings())
    if if_empty and count_users() > 0:
        if saved.exists():
            click.echo(saved.read_text())
        else:
            click.echo("The database already has accounts, so no demo cohort was added.")
        return
    logins = seed_demo(_settings())
    if not logins:
        click.echo("The demo cohort is already there.")
        return
    from accredit.seed.demo_evidence import add_demo_evidence
    from accredit.services.storage.stores import storage_for

    add_demo_evidence(storage_for(_settings()), Path(current_app.static_folder or "static"))
    lines = ["Demo sign-ins (also kept in instance/demo-sign-ins.txt, never in the code):"]
    for login in logins:
        lines.append(
            f"  {login.role.label:<26} {login.email:<36} {login.password}  ({login.organisation})"
        )
    if _settings().admin_two_factor:  # two-factor sign-in (issue 10)
        lines.append(
            "  The HEE admin sets up two-factor authentication (an authenticator app) at first "
            "sign-in, as a real one does."
        )
    text = "\n".join(lines)
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(text + "\n")
    saved.chmod(0o600)
    click.echo(text)


@click.command("seed-bench")
@with_appcontext
@click.argument("organisations", type=click.IntRange(min=1))
@click.option("--seed", default=2026, show_default=True, help="Random seed (same seed, same mix).")
def seed_bench_command(organisations: int, seed: int) -> None:
    """Create a benchmark cohort of ORGANISATIONS organisations with assessments at every stage."""
    from accredit.seed.bench_seed import BenchSeedError, seed_bench

    try:
        made = seed_bench(organisations, seed)
    except BenchSeedError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{made.cohort_name} (id {made.cohort_id}): {made.size:,} organisations")
    click.echo(
        f"{made.overdue_cohort_name} (id {made.overdue_cohort_id}): "
        f"{made.overdue_size:,} organisations, overdue"
    )
    click.echo("  " + ", ".join(f"{n:,} {what}" for what, n in made.counts.items()))
    click.echo("  stages: " + ", ".join(f"{what.value} {n:,}" for what, n in made.stages.items()))
    click.echo("  levels: " + ", ".join(f"{what} {n:,}" for what, n in sorted(made.levels.items())))
    click.echo(f"Seeded in {made.seconds:.1f} s.")


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Work through what is queued, then exit.")
def worker_command(burst: bool) -> None:
    """Run a background job worker (RQ; needs ACCREDIT_REDIS_URL).

    After ACCREDIT_WORKER_MAX_JOBS jobs it replaces itself with a fresh process, so memory
    a job held is given back.
    """
    from accredit.services.jobs.worker import work

    settings = _settings()
    if not settings.redis_url:
        raise click.ClickException(
            "accredit worker needs ACCREDIT_REDIS_URL; without Redis, jobs run inside the app."
        )
    if work(settings, burst=burst):
        click.echo(f"Recycling the worker after {settings.worker_max_jobs} jobs.", err=True)
        sys.stderr.flush()
        sys.stdout.flush()
        os.execv(sys.executable, sys.orig_argv)


def register_commands(app: Flask) -> None:
    from accredit.cli import progress as progress_cli
    from accredit.cli.backup import backup_command, restore_command
    from accredit.cli.retention import purge_command
    from accredit.cli.two_factor import two_factor_reset_command

    app.cli.add_command(db_group)
    app.cli.add_command(init_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_bench_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(progress_cli.snapshot_progress_command)
    app.cli.add_command(progress_cli.cron_command)
    app.cli.add_command(two_factor_reset_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(purge_command)
    try:
        from accredit.cli.standards import standards
    except ImportError:
        return
    from accredit.cli.what_if import simulate_command

    standards.add_command(simulate_command)  # the one `standards` command that needs the app
    app.cli.add_command(standards)
