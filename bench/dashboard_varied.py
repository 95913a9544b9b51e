"""The dashboard as HEE staff meet it: filters that vary, figures that change, fresh workers.

Used by bench/dashboard.py. Two figures, SAMPLES requests each:

- **varied and changing**: each request sets a region, type, status and level filter drawn at
  random (a fixed seed; any of them may be left at "all"), and before it a write moves the
  cohort's figures as a lead's save does (one organisation's stored summary changes level and
  section scores), so the charts' drawings cached for the old figures no longer serve;
- **a fresh worker's first request**: as above, each request served by a worker forked for it
  from a process that loaded and warmed the app as ``wsgi.py`` does (bench/fresh_worker.py), so
  every one is that worker's first.

Each request is followed by its floor: the dashboard's own GROUP BY (``queries.figures``) for
the same filters, run bare in the same process. The ratio of the page's p95 to the floor's is
what this machine's swings leave alone.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

SAMPLES = 100
SEED = 20261207


@dataclass
class Sampled:
    label: str
    real: list[float]
    floor: list[float]


def measure(app, client, cohort_id: int, fresh: bool, label: str) -> Sampled:  # type: ignore[no-untyped-def]
    """SAMPLES dashboard requests with varied filters and changing figures, each followed by
    its floor; with ``fresh`` each is a new worker's first request."""
    rng = random.Random(SEED + fresh)
    choices, change, floor = _setup(app, cohort_id)
    result = Sampled(label, [], [])
    get = _fresh_worker(app, client) if fresh else _warm_worker(client)
    for _ in range(SAMPLES):
        args = {kind: rng.choice(["", "", *values]) for kind, values in choices.items()}
        change(rng)
        url = f"/cohorts/{cohort_id}?" + "&".join(f"{k}={v}" for k, v in args.items() if v)
        status, took = get(url)
        started = time.perf_counter()
        floor(args)
        ended = time.perf_counter()
        assert status == 200, (url, status)
        result.real.append(took)
        result.floor.append((ended - started) * 1000)
    return result


def _warm_worker(client):  # type: ignore[no-untyped-def]
    """Requests to this process's app, which has served many before."""

    def get(url: str) -> tuple[int, float]:
        started = time.perf_counter()
        response = client.get(url)
        response.get_data()
        return response.status_code, (time.perf_counter() - started) * 1000

    return get


def _fresh_worker(app, client):  # type: ignore[no-untyped-def]
    from fresh_worker import FreshWorkers

    return FreshWorkers(app, client).get


def _setup(app, cohort_id: int):  # type: ignore[no-untyped-def]
    """The filter values to draw from, a write that changes the figures, and the floor."""
    from sqlalchemy import select, update

    from accredit.data.models import Assessment, Cohort, CohortMembership, ScoreSummary
    from accredit.data.queries.cohorts import dashboard as queries
    from accredit.data.queries.scope import Scope
    from accredit.data.transactions import unit_of_work
    from accredit.domain.accounts.organisations import Role
    from accredit.extensions import db
    from accredit.services.cohorts import dashboard as dashboards

    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        standard = dashboards.standard_of(cohort)
        assert standard is not None
        opts = dashboards.options(standard)
        section_ids = [s.id for s in standard.sections]
        levels = [lv.id for lv in standard.levels]
        summaries = list(
            db.session.scalars(
                select(ScoreSummary.assessment_id)
                .join(Assessment, Assessment.id == ScoreSummary.assessment_id)
                .join(
                    CohortMembership,
                    CohortMembership.organisation_id == Assessment.organisation_id,
                )
                .where(CohortMembership.cohort_id == cohort_id)
            )
        )
        db.remove()
    choices = {
        "region": [c.value for c in opts.regions],
        "type": [c.value for c in opts.types],
        "status": [c.value for c in opts.statuses],
        "level": [c.value for c in opts.levels],
    }
    scope = Scope(0, Role.HEE_ADMIN, None)

    def change(rng: random.Random) -> None:
        with app.app_context():
            with unit_of_work():
                db.session.execute(
                    update(ScoreSummary)
                    .where(ScoreSummary.assessment_id == rng.choice(summaries))
                    .values(
                        level_reached=rng.choice([None, *levels]),
                        section_percents={s: rng.randint(0, 100) for s in section_ids},
                    )
                )
            db.remove()

    def floor(args: dict[str, str]) -> None:
        with app.app_context():
            filters = dashboards.read_filters(args, opts)
            queries.figures(scope, cohort_id, filters, section_ids)
            db.remove()

    return choices, change, floor


def figures(app, client, cohort_id: int, targets: dict[str, tuple[float, float]]):  # type: ignore[no-untyped-def]
    """(label, shown, wanted, ratio ok) for each case: p50/p95, the floor and the ratio;
    ``targets`` gives each case's (p95 ms, ratio) targets."""
    rows = []
    for label, fresh in (
        ("dashboard, varied and changing", False),
        ("dashboard, fresh worker", True),
    ):
        sampled = measure(app, client, cohort_id, fresh, label)
        p50, p95 = _p(sampled.real, 50), _p(sampled.real, 95)
        floor95 = _p(sampled.floor, 95)
        ratio = p95 / floor95
        target_ms, target_ratio = targets[label]
        missed = "  MISSED" if p95 > target_ms else ""
        shown = (
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (<= {target_ms:.0f}){missed};"
            f" floor p95 {floor95:.0f} ms, {ratio:.2f}x"
        )
        rows.append(
            (
                label,
                shown,
                f"ratio <= {target_ratio:.1f}x, {SAMPLES} samples",
                ratio <= target_ratio,
            )
        )
    return rows


def _p(times: list[float], q: int) -> float:
    import statistics

    return statistics.median(times) if q == 50 else statistics.quantiles(times, n=100)[q - 1]
