"""Progress over time: weekly points copied in bulk from the stored summaries (idempotent within
a week), the cohort's trajectory from one aggregated query, each organisation's own chart on its
page for its staff and HEE only, the command for cron, and the same job on RQ's cron scheduler
with a real Redis and worker."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from accredit.data.models import (
    Assessment,
    Cohort,
    CohortMembership,
    ProgressPoint,
    ScoreSummary,
)
from accredit.data.queries.cohorts.progress import cohort_trajectory, organisation_trajectory
from accredit.data.queries.scope import scope_for
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.services.cohorts import progress
from tests.support.html import page
from tests.support.rq import ROOT, accredit_command, burst, worker_env
from tests.support.statements import recorded

MONDAY = date(2026, 1, 5)
LEVELS = [("bronze", "Bronze"), ("silver", "Silver"), ("gold", "Gold")]
LEVEL_IDS = [level_id for level_id, _ in LEVELS]
HANDED_IN = {"submitted", "in_review", "accepted"}


@pytest.fixture
def seeded(make_org, make_user, enrol):
    """Four organisations in the test cohort at different stages; returns their assessments."""

    def seed(*stages: Stage) -> list[Assessment]:
        made = []
        for stage in stages:
            organisation = enrol(make_org())
            made.append(seed_stage(organisation, make_user(Role.ORG_LEAD, organisation), stage))
        return made

    return seed


def _points(week: date | None = None) -> list[ProgressPoint]:
    db.session.expire_all()
    query = select(ProgressPoint).order_by(ProgressPoint.assessment_id, ProgressPoint.week)
    if week is not None:
        query = query.where(ProgressPoint.week == week)
    return list(db.session.scalars(query))


def _summaries() -> dict[int, ScoreSummary]:
    db.session.expire_all()
    return {s.assessment_id: s for s in db.session.scalars(select(ScoreSummary))}


# --- Snapshots ---------------------------------------------------------------------------


def test_a_snapshot_copies_every_summary_and_status_into_this_weeks_point(seeded):
    assessments = seeded(Stage.STARTED, Stage.BRONZE, Stage.SUBMITTED)
    assert progress.snapshot_week(MONDAY + timedelta(days=3)) == 3
    summaries = _summaries()
    points = _points()
    assert [p.assessment_id for p in points] == [a.id for a in assessments]
    for point, assessment in zip(points, assessments, strict=True):
        summary = summaries[assessment.id]
        assert point.week == MONDAY  # the Monday of Thursday's week
        assert point.cohort_id == assessment.cohort_id
        assert point.organisation_id == assessment.organisation_id
        assert point.level_reached == summary.level_reached
        assert point.percent == summary.percent and point.completion == summary.completion
        assert point.level_percents == summary.level_percents
        assert point.section_percents == summary.section_percents
    assert [p.status for p in points] == ["draft", "draft", "submitted"]
    assert points[1].level_reached == "bronze" and points[0].level_reached is None


def test_a_second_run_in_the_same_week_updates_the_points_and_never_duplicates(seeded):
    first, _ = seeded(Stage.STARTED, Stage.BRONZE)
    assert progress.snapshot_week(MONDAY) == 2
    before = {p.assessment_id: (p.id, p.created_at) for p in _points()}
    updated_before = {p.assessment_id: p.updated_at for p in _points()}
    with unit_of_work():
        db.session.execute(
            update(ScoreSummary)
            .where(ScoreSummary.assessment_id == first.id)
            .values(percent=41.5, completion=60.0, level_reached="bronze")
        )
    assert progress.snapshot_week(MONDAY + timedelta(days=6)) == 2  # Sunday: the same week
    points = _points()
    assert len(points) == 2
    assert {p.assessment_id: (p.id, p.created_at) for p in points} == before
    changed = next(p for p in points if p.assessment_id == first.id)
    assert (changed.percent, changed.completion, changed.level_reached) == (41.5, 60.0, "bronze")
    assert changed.updated_at > updated_before[first.id]


def test_a_second_run_drops_this_weeks_point_of_an_organisation_that_left(seeded):
    """Counted once, never twice: a point that is no longer current leaves this week's totals
    (earlier weeks keep theirs)."""
    from accredit.data.models import CohortMembership, ProgressWeek

    leaving, staying = seeded(Stage.STARTED, Stage.BRONZE)
    progress.snapshot_week(MONDAY - timedelta(days=7))
    progress.snapshot_week(MONDAY)
    with unit_of_work():
        db.session.query(CohortMembership).filter_by(
            organisation_id=leaving.organisation_id
        ).delete()
    assert progress.snapshot_week(MONDAY) == 1
    assert [p.assessment_id for p in _points(MONDAY)] == [staying.id]
    assert len(_points(MONDAY - timedelta(days=7))) == 2
    totals = {w.week: w.assessments for w in db.session.scalars(select(ProgressWeek))}
    assert totals == {MONDAY - timedelta(days=7): 2, MONDAY: 1}


def test_a_new_week_adds_a_point_per_assessment(seeded):
    seeded(Stage.STARTED, Stage.PART_DONE)
    progress.snapshot_week(MONDAY)
    assert progress.snapshot_week(MONDAY + timedelta(days=7)) == 2
    assert len(_points()) == 4
    assert len(_points(MONDAY)) == 2 and len(_points(MONDAY + timedelta(days=7))) == 2


def test_only_each_members_newest_assessment_counts_and_a_missing_summary_is_zeros(
    seeded, make_user, make_org, enrol
):
    from accredit.services.assessments.assessments import start

    returned, kept, no_summary, left = seeded(
        Stage.STARTED, Stage.STARTED, Stage.STARTED, Stage.STARTED
    )
    with unit_of_work():
        db.session.get(Assessment, returned.id).status = AssessmentStatus.RETURNED
        db.session.execute(
            ScoreSummary.__table__.delete().where(ScoreSummary.assessment_id == no_summary.id)
        )
        db.session.query(CohortMembership).filter_by(organisation_id=left.organisation_id).delete()
    organisation = db.session.get(Assessment, returned.id).organisation
    again = start(make_user(Role.ORG_LEAD, organisation), organisation)
    assert progress.snapshot_week(MONDAY) == 3
    points = {p.assessment_id: p for p in _points()}
    assert set(points) == {again.id, kept.id, no_summary.id}
    zero = points[no_summary.id]
    assert (zero.percent, zero.completion, zero.level_reached) == (0.0, 0.0, None)
    assert zero.level_percents == {} and zero.section_percents == {} and zero.status == "draft"


def test_the_snapshot_is_one_statement_however_many_assessments(app, seeded):
    seeded(Stage.STARTED, Stage.STARTED, Stage.BRONZE)
    with recorded() as statements:
        progress.snapshot_week(MONDAY)
    writes = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO PROGRESS_")]
    # One statement for every point, then one for the cohorts' weekly totals.
    assert len(writes) == 2 and "progress_points" in writes[0] and "progress_weeks" in writes[1]


# --- Trajectories ------------------------------------------------------------------------


def test_the_cohort_trajectory_matches_the_points_week_by_week(seeded):
    started, *_ = seeded(Stage.STARTED, Stage.BRONZE, Stage.SILVER, Stage.SUBMITTED)
    progress.snapshot_week(MONDAY)
    with unit_of_work():  # the next week, the first one reaches Bronze too
        db.session.execute(
            update(ScoreSummary)
            .where(ScoreSummary.assessment_id == started.id)
            .values(level_reached="bronze", completion=70.0, percent=55.0)
        )
    progress.snapshot_week(MONDAY + timedelta(days=7))
    cohort_id = started.cohort_id

    with recorded() as statements:
        figures = cohort_trajectory(cohort_id, level_ids=LEVEL_IDS)
    # One read of the weekly totals: never a query per week or level, nor of every point.
    assert len(statements) == 1 and "progress_weeks" in statements[0]

    assert [f.week for f in figures] == [MONDAY, MONDAY + timedelta(days=7)]
    for figure in figures:
        points = _points(figure.week)
        levels: dict[str | None, int] = dict.fromkeys([None, *LEVEL_IDS], 0)
        for point in points:
            levels[point.level_reached] += 1
        assert figure.assessments == 4
        assert figure.at_level == levels
        assert figure.submitted == sum(p.status in HANDED_IN for p in points) == 1
        assert figure.mean_completion == pytest.approx(sum(p.completion for p in points) / 4)
        assert figure.mean_percent == pytest.approx(sum(p.percent for p in points) / 4)
    assert figures[0].at_level[None] == 1 and figures[1].at_level[None] == 0
    assert figures[1].at_level["bronze"] == figures[0].at_level["bronze"] + 1

    latest = cohort_trajectory(cohort_id, weeks=1, level_ids=LEVEL_IDS)
    assert [f.week for f in latest] == [figures[1].week]
    assert cohort_trajectory(cohort_id + 999, level_ids=LEVEL_IDS) == []
    # The window is of calendar weeks up to the latest: after a missed week, two weeks back
    # from the next snapshot reach only that one.
    progress.snapshot_week(MONDAY + timedelta(days=21))
    window = cohort_trajectory(cohort_id, weeks=2, level_ids=LEVEL_IDS)
    assert [f.week for f in window] == [MONDAY + timedelta(days=21)]


def test_the_cohort_chart_counts_organisations_at_each_level_and_submitted(seeded):
    started, *_ = seeded(Stage.STARTED, Stage.BRONZE, Stage.SUBMITTED)
    cohort = db.session.get(Cohort, started.cohort_id)
    assert progress.cohort_progress_chart(cohort, LEVELS) is None
    progress.snapshot_week(MONDAY)
    chart = progress.cohort_progress_chart(cohort, LEVELS)
    assert chart is not None and 'role="img"' in chart.svg
    assert chart.headers == ("Week", "Bronze", "Silver", "Gold", "Submitted", "Average completion")
    points = _points(MONDAY)
    level_of = {p.assessment_id: p.level_reached for p in points}
    expected = [sum(level == lid for level in level_of.values()) for lid, _ in LEVELS]
    mean = sum(p.completion for p in points) / 3
    assert chart.rows == (("5 Jan 2026", *(str(n) for n in expected), "1", f"{mean:.0f}%"),)


def test_an_organisations_trajectory_is_its_own_and_scoped(seeded, make_user, other_org):
    mine, _ = seeded(Stage.BRONZE, Stage.STARTED)
    progress.snapshot_week(MONDAY)
    progress.snapshot_week(MONDAY + timedelta(days=7))
    admin = make_user(Role.HEE_ADMIN)
    points = organisation_trajectory(scope_for(admin.id, admin.role, None), mine.organisation_id)
    assert [(p.week, p.level_reached) for p in points] == [
        (MONDAY, "bronze"),
        (MONDAY + timedelta(days=7), "bronze"),
    ]
    own = make_user(Role.ORG_CONTRIBUTOR, db.session.get(Assessment, mine.id).organisation)
    assert (
        len(
            organisation_trajectory(
                scope_for(own.id, own.role, own.organisation_id), mine.organisation_id
            )
        )
        == 2
    )
    stranger = make_user(Role.ORG_LEAD, other_org)
    stranger_scope = scope_for(stranger.id, stranger.role, other_org.id)
    assert organisation_trajectory(stranger_scope, mine.organisation_id) == []
    outsider = make_user(Role.HEE_REVIEWER)  # assigned to no cohort
    assert (
        organisation_trajectory(scope_for(outsider.id, outsider.role, None), mine.organisation_id)
        == []
    )
    assert (
        len(
            organisation_trajectory(
                scope_for(admin.id, admin.role, None), mine.organisation_id, weeks=1
            )
        )
        == 1
    )


# --- The organisation page ---------------------------------------------------------------


def test_the_organisation_page_shows_its_progress_to_its_staff_and_hee(
    clients, people, org, make_assessment
):
    make_assessment(org, lead=people[Role.ORG_LEAD])
    url = f"/organisations/{org.id}"
    before = page(clients[Role.ORG_LEAD].get(url))
    assert "No weekly figures yet: they are recorded every Monday." in before.get_text()
    assert before.find("svg", id="progress-organisation") is None

    progress.snapshot_week(MONDAY)
    with unit_of_work():
        db.session.execute(update(ScoreSummary).values(percent=30.0, completion=45.0))
    progress.snapshot_week(MONDAY + timedelta(days=7))
    for role in (Role.HEE_ADMIN, Role.HEE_REVIEWER, Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        response = clients[role].get(url)
        assert response.status_code == 200, role
        soup = page(response)
        heading = soup.find("h2", string="Progress over time")
        assert heading is not None, role
        svg = soup.find("svg", id="progress-organisation")
        assert svg["role"] == "img"
        assert svg.find("title").get_text() == "Overall score and completion, week by week"
        table = soup.find("caption", string=lambda s: s and "Overall score and completion" in s)
        table = table.find_parent("table")
        headers = [th.get_text(strip=True) for th in table.select("thead th")]
        assert headers == ["Week", "Overall score", "Completion", "Level reached"]
        rows = [
            [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
            for tr in table.select("tbody tr")
        ]
        assert rows[1] == ["12 Jan 2026", "30%", "45%", "None yet"], role
        assert rows[0][0] == "5 Jan 2026" and len(rows) == 2


def test_another_organisations_user_gets_404(
    clients, people, org, other_org, make_user, sign_in_as, make_assessment
):
    make_assessment(org, lead=people[Role.ORG_LEAD])
    progress.snapshot_week(MONDAY)
    stranger = sign_in_as(make_user(Role.ORG_LEAD, other_org))
    assert stranger.get(f"/organisations/{org.id}").status_code == 404
    unassigned = sign_in_as(make_user(Role.HEE_REVIEWER))
    assert unassigned.get(f"/organisations/{org.id}").status_code == 404


# --- The command and RQ's cron -----------------------------------------------------------


def test_the_command_prints_how_many_points_it_wrote(app, seeded):
    seeded(Stage.STARTED, Stage.BRONZE)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["snapshot-progress"])
    assert result.exit_code == 0, result.output
    monday = progress.monday_of(date.today())
    assert result.output.strip() == (
        f"Recorded 2 progress points for the week of {progress.week_label(monday)}."
    )
    again = runner.invoke(args=["snapshot-progress"])
    assert "Recorded 2 progress points" in again.output
    assert len(_points(monday)) == 2


def test_the_cron_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["cron"])
    assert result.exit_code != 0
    assert "ACCREDIT_REDIS_URL" in result.output and "snapshot-progress" in result.output


def test_rqs_cron_has_the_weekly_snapshot_on_the_job_queue(app, rq_settings):
    [job] = progress.cron_scheduler(rq_settings).get_jobs()
    assert job.func is progress.scheduled_snapshot
    assert job.queue_name == rq_settings.job_queue
    assert job.cron == progress.SNAPSHOT_CRON == "0 2 * * 1"
    due = job.next_enqueue_time
    assert due.weekday() == 0 and (due.hour, due.minute) == (2, 0)
    assert datetime.now(due.tzinfo) < due <= datetime.now(due.tzinfo) + timedelta(days=7)


def test_the_job_rqs_cron_queues_runs_on_a_worker_and_writes_points(app, rq_settings, seeded):
    from redis import Redis
    from rq import cron_job_registry

    assessments = seeded(Stage.STARTED, Stage.BRONZE)
    [job] = progress.cron_scheduler(rq_settings).get_jobs()
    connection = Redis.from_url(rq_settings.redis_url)
    try:
        job.enqueue(connection)  # what the scheduler does on Monday
        burst(rq_settings)
    finally:
        connection.zrem(cron_job_registry.get_registry_key(), job.name)
    points = _points(progress.monday_of(date.today()))
    assert sorted(p.assessment_id for p in points) == sorted(a.id for a in assessments)


def test_accredit_cron_runs_rqs_scheduler_until_stopped(app, rq_settings):
    from redis import Redis
    from rq import cron_job_registry, cron_scheduler_registry
    from rq.cron import CronScheduler

    connection = Redis.from_url(rq_settings.redis_url)
    process = subprocess.Popen(
        [accredit_command(), "cron"],
        cwd=ROOT,
        env=worker_env(rq_settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ours: list[CronScheduler] = []
    try:
        deadline = time.monotonic() + 60
        while not ours and time.monotonic() < deadline and process.poll() is None:
            ours = [
                s
                for s in CronScheduler.all(connection)
                if s.name.startswith(f"{rq_settings.job_queue}:")
            ]
            time.sleep(0.2)
        assert ours, process.stdout.read() if process.poll() is not None else "not registered"
        [job] = ours[0].get_jobs()
        assert job.func_name == "accredit.services.cohorts.progress.scheduled_snapshot"
        assert (job.cron, job.queue_name) == ("0 2 * * 1", rq_settings.job_queue)
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(30)
        connection.zrem(
            cron_job_registry.get_registry_key(), f"progress-snapshot:{rq_settings.job_queue}"
        )
        for scheduler in ours:
            connection.zrem(cron_scheduler_registry.get_registry_key(), scheduler.name)
    assert process.returncode == 0
    assert not [
        s for s in CronScheduler.all(connection) if s.name.startswith(f"{rq_settings.job_queue}:")
    ]
