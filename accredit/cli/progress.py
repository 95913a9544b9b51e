"""Commands for the weekly progress snapshot: ``accredit snapshot-progress`` for the system's
cron, and ``accredit cron``, RQ's scheduler that queues it for the workers every Monday."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from accredit.config import Settings


@click.command("snapshot-progress")
@with_appcontext
def snapshot_progress_command() -> None:
    """Record this week's progress point for every assessment (run every Monday from cron).

    Running it again in the same week updates that week's points.
    """
    from accredit.services.cohorts.progress import monday_of, snapshot_week, week_label

    today = date.today()
    written = snapshot_week(today)
    week = week_label(monday_of(today))
    click.echo(f"Recorded {written} progress points for the week of {week}.")


@click.command("cron")
@with_appcontext
def cron_command() -> None:
    """Run RQ's cron scheduler (needs ACCREDIT_REDIS_URL): it queues the weekly progress
    snapshot every Monday at 02:00 UTC for `accredit worker`. Run one, beside the workers.
    """
    from accredit.services.cohorts.progress import cron_scheduler

    settings: Settings = current_app.extensions["accredit.settings"]
    if not settings.redis_url:
        raise click.ClickException(
            "accredit cron needs ACCREDIT_REDIS_URL; without Redis, run "
            "`accredit snapshot-progress` from the system's cron every Monday."
        )
    cron_scheduler(settings).start()
