"""Progress over time: a weekly copy of every assessment's stored summary, and the charts drawn
from the copies (a cohort's trajectory, and each organisation's own).

Nothing here rescores: a snapshot copies the summaries stored on every save. It runs every
Monday, from the system's cron (``accredit snapshot-progress``) or, when Redis is configured,
from RQ's cron scheduler (``accredit cron``), which queues ``scheduled_snapshot`` for
``accredit worker``. Either way a second run in the same week updates that week's points.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from accredit.config import Settings
from accredit.data.models import Cohort
from accredit.data.queries.cohorts import progress as queries
from accredit.data.queries.cohorts.cohorts import cohort_by_id
from accredit.data.queries.cohorts.progress import OrganisationPoint
from accredit.data.queries.scope import Scope
from accredit.data.transactions import unit_of_work
from accredit.extensions import db
from accredit.services.operations.standards import latest_published
from accredit.services.reports.charts import Chart, line_chart

if TYPE_CHECKING:
    from rq.cron import CronScheduler

log = logging.getLogger("accredit.progress")

#: When RQ's cron queues the snapshot: Mondays at 02:00 UTC.
SNAPSHOT_CRON = "0 2 * * 1"
NO_LEVEL = "None yet"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def snapshot_week(today: date | None = None) -> int:
    """Record each organisation's current summary as its point for this week (the Monday of
    ``today``'s week), updating points already recorded this week; commits, and returns how
    many points were written. Assessments without a summary are recorded with zeros."""
    with unit_of_work():
        return queries.write_week(monday_of(today or date.today()))


def scheduled_snapshot() -> int:
    """What RQ's cron queues every Monday. Run by ``accredit worker``, whose app has already
    configured the database."""
    try:
        written = snapshot_week()
    finally:
        db.remove()
    log.info("Weekly progress snapshot: %s points written", written)
    return written


def cron_scheduler(settings: Settings) -> CronScheduler:
    """RQ's cron scheduler with the weekly snapshot registered on the app's job queue.

    Run one (``accredit cron``) beside the workers: each scheduler queues its own copy.
    """
    from rq.cron import CronScheduler

    from accredit.services.jobs.backends import (
        RQ_FAILURE_TTL,
        RQ_RESULT_TTL,
        redis_connection,
    )

    queue = settings.job_queue
    scheduler = CronScheduler(
        connection=redis_connection(settings),
        logging_level=settings.log_level,
        name=f"{queue}:{socket.gethostname()}:{os.getpid()}",
    )
    scheduler.register(
        scheduled_snapshot,
        queue_name=queue,
        cron=SNAPSHOT_CRON,
        job_timeout=settings.job_timeout_seconds,
        result_ttl=RQ_RESULT_TTL,
        failure_ttl=RQ_FAILURE_TTL,
        name=f"progress-snapshot:{queue}",
    )
    return scheduler


# --- Charts ------------------------------------------------------------------------------


def week_label(week: date) -> str:
    return f"{week.day} {week:%b %Y}"


def cohort_progress_chart(cohort: Cohort, level_labels: Sequence[tuple[str, str]]) -> Chart | None:
    """How many of the cohort's organisations were at each level, and how many had submitted,
    week by week (the last 26 recorded weeks); None before the first snapshot. The caller
    has checked the cohort is in the user's scope."""
    figures = queries.cohort_trajectory(cohort.id, level_ids=[lid for lid, _ in level_labels])
    if not figures:
        return None
    weeks = tuple(week_label(f.week) for f in figures)
    series = tuple(
        (name, tuple(float(f.at_level.get(level_id, 0)) for f in figures))
        for level_id, name in level_labels
    )
    series += (("Submitted", tuple(float(f.submitted) for f in figures)),)
    names = ", ".join(name for _, name in level_labels)
    chart = line_chart(
        "progress-cohort",
        "Organisations at each level, week by week",
        f"Line chart of how many organisations in {cohort.name} were ready for each level"
        f"{f' ({names})' if names else ''}, each counted at the highest level it reached, "
        f"and how many had submitted, each week from {weeks[0]} to {weeks[-1]}.",
        weeks,
        series,
        axis_label="Organisations",
        unit="",
    )
    return replace(
        chart,
        headers=(*chart.headers, "Average completion"),
        rows=tuple(
            (*row, f"{f.mean_completion:.0f}%") for row, f in zip(chart.rows, figures, strict=True)
        ),
    )


def organisation_progress_chart(
    points: Sequence[OrganisationPoint], level_labels: Sequence[tuple[str, str]]
) -> Chart | None:
    """An organisation's overall score and completion week by week, with the level reached
    in the table; None before its first point."""
    if not points:
        return None
    weeks = tuple(week_label(p.week) for p in points)
    chart = line_chart(
        "progress-organisation",
        "Overall score and completion, week by week",
        "Line chart of the assessment's overall score and how much of it was complete, as "
        f"percentages, each week from {weeks[0]} to {weeks[-1]}.",
        weeks,
        (
            ("Overall score", tuple(p.percent for p in points)),
            ("Completion", tuple(p.completion for p in points)),
        ),
        axis_label="Percentage",
        y_max=100,
    )
    names = dict(level_labels)
    levels = [
        names.get(p.level_reached, p.level_reached) if p.level_reached else NO_LEVEL for p in points
    ]
    return replace(
        chart,
        headers=(*chart.headers, "Level reached"),
        rows=tuple((*row, level) for row, level in zip(chart.rows, levels, strict=True)),
    )


def organisation_progress(scope: Scope, organisation_id: int) -> Chart | None:
    """The organisation page's chart: its own points, in the user's scope, with the level
    names of the standard its newest point was scored against."""
    points = queries.organisation_trajectory(scope, organisation_id)
    if not points:
        return None
    return organisation_progress_chart(points, level_labels(points[-1].cohort_id))


def level_labels(cohort_id: int) -> list[tuple[str, str]]:
    """(level id, name) of the cohort's standard, lowest first; empty if it is not loaded."""
    cohort = cohort_by_id(cohort_id)
    pinned = latest_published(cohort.standard_id, cohort.standard_version) if cohort else None
    return [(level.id, level.name) for level in pinned[0].levels] if pinned else []
