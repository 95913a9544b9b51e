"""The `accredit backup DEST` and `accredit restore SRC` commands (see
services/operations/backup.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Engine

from accredit.config import Settings
from accredit.services.operations.backup_manifest import BackupError


def _settings() -> Settings:
    return current_app.extensions["accredit.settings"]


def _engine() -> Engine:
    from accredit.extensions import db

    assert db.engine is not None
    return db.engine


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


@click.command("backup")
@with_appcontext
@click.argument("dest", type=click.Path(path_type=Path, file_okay=False))
def backup_command(dest: Path) -> None:
    """Back up the database, evidence, certificates and packs into the new folder DEST."""
    from accredit.services.operations.backup import create_backup

    try:
        manifest = create_backup(_settings(), _engine(), dest)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    size = sum(entry.size for entry in manifest.files)
    click.echo(
        f"Backed up {manifest.database_kind} database (revision {manifest.alembic_revision}, "
        f"{sum(manifest.row_counts.values()):,} rows in {len(manifest.row_counts)} tables) "
        f"and {len(manifest.files) - 1:,} stored files, {_megabytes(size)} in all, to {dest}."
    )


@click.command("restore")
@with_appcontext
@click.argument("src", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(src: Path, force: bool) -> None:
    """Restore the backup in SRC into the configured instance, after checking every hash."""
    from accredit.services.operations.backup import restore_backup

    try:
        summary = restore_backup(_settings(), _engine(), src, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    manifest = summary.manifest
    click.echo(
        f"Restored the backup made {manifest.created} (accredit {manifest.app_version}, "
        f"revision {manifest.alembic_revision}): {summary.rows:,} rows in {summary.tables} "
        f"tables, every count as recorded; {summary.files:,} stored files, "
        f"{_megabytes(summary.bytes)}, every SHA-256 as recorded."
    )
