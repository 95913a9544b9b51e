"""``accredit purge``: show what has outlived its retention period, and delete it when told.

Without ``--yes`` it only shows (a dry run is the default, so a mistyped cron line or a
curious operator deletes nothing); with it, it deletes and says what went.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from accredit.config import Settings

#: Orphaned files listed by name before the rest are summarised as a count.
LISTED_FILES = 20


def _table(rows: list[tuple[str, str, str, str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        lines.append(
            "  ".join(
                cell.rjust(widths[i]) if i == 3 else cell.ljust(widths[i])
                for i, cell in enumerate(row)
            ).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


@click.command("purge")
@with_appcontext
@click.option(
    "--yes",
    "--apply",
    "apply_it",
    is_flag=True,
    help="Delete what is shown. Without it nothing is deleted.",
)
def purge_command(apply_it: bool) -> None:
    """Show the records past their retention period (ACCREDIT_RETAIN_*), the stored evidence
    files nothing refers to and the stored cohort export files going; with --yes, delete
    them. Safe to run again."""
    from accredit.services.operations import retention
    from accredit.services.storage.stores import storage_for

    settings: Settings = current_app.extensions["accredit.settings"]
    storage = storage_for(settings)
    try:
        plan = retention.plan(settings, storage)
    except retention.RetentionSettingsError as error:
        raise click.ClickException(str(error)) from error
    rows = [("What", "Kept for", "Deleting what is older than", "Records")]
    for item in plan.kinds:
        cutoff = item.cutoff.strftime("%Y-%m-%d %H:%M UTC")
        rows.append((item.kind.label, f"{item.days:,} days", cutoff, f"{item.count:,}"))
    click.echo("\n".join(_table(rows)))
    _show_files("Stored evidence files no evidence version refers to", plan.orphans)
    _show_files("Stored cohort export files (of exports deleted, or of none)", plan.export_files)
    if not apply_it:
        click.echo("Nothing has been deleted. Run `accredit purge --yes` to delete these.")
        return
    purged = retention.apply(settings, storage, now=plan.now)
    total = sum(purged.counts.values())
    click.echo(
        f"Deleted {total:,} records ("
        + ", ".join(f"{kind.label.lower()} {n:,}" for kind, n in purged.counts.items())
        + f"), {purged.files_deleted:,} stored evidence files and "
        + f"{purged.export_files_deleted:,} stored export files."
    )


def _show_files(what: str, hashes: tuple[str, ...] | None) -> None:
    if hashes is None:
        click.echo(f"{what}: this storage cannot list its files, so none are checked.")
        return
    click.echo(f"{what}: {len(hashes):,}")
    for sha256 in hashes[:LISTED_FILES]:
        click.echo(f"  {sha256}")
    if len(hashes) > LISTED_FILES:
        click.echo(f"  and {len(hashes) - LISTED_FILES:,} more")
