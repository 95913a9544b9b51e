"""`accredit seed-bench N`: a cohort of N organisations with realistic assessments, fast enough
for 10,000 of them (about a million answers) on SQLite and PostgreSQL.

Every organisation gets a type, region, profile and ODS code that passes the checks for its
type, a lead, and a stage: not started, started, part done, ready for Bronze, Silver or Gold,
or submitted (and then perhaps in review, accepted or returned). Answers come from a few dozen
templates (`bench_templates`) scored once by the real engine, so each stored summary is what
scoring these answers gives. Weekly progress points retrace the way each organisation came, and each
cohort's weekly totals are added up from them as the weekly snapshot would.
A second, small cohort whose deadline has passed holds organisations that are overdue.

Everything is written in one transaction, in batches of organisations, through the bulk
inserts of `data.queries.bench_seed`.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import TypeVar

from accredit.data.models import Cohort, Region
from accredit.data.queries.accounts.organisations import regions as all_regions
from accredit.data.queries.cohorts.cohorts import cohort_named
from accredit.data.queries.cohorts.progress import total_weeks
from accredit.data.queries.seed import refresh_statistics
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from accredit.seed import bench_organisations, bench_rows
from accredit.seed.bench_organisations import OrgPlan
from accredit.seed.bench_templates import (
    VARIANTS,
    BenchStage,
    Templates,
    submitted_statuses,
)
from accredit.services.operations.standards import latest_published

STANDARD = ("weqs", "2026.1")
YEAR = 2026
T = TypeVar("T")
BATCH = 500  # organisations per round of inserts: bounded memory, few statements

#: Share of organisations at each stage (most have answered a lot: the export is the big one).
STAGE_WEIGHTS = {
    BenchStage.NOT_STARTED: 4,
    BenchStage.STARTED: 4,
    BenchStage.PART_DONE: 12,
    BenchStage.BRONZE: 18,
    BenchStage.SILVER: 22,
    BenchStage.GOLD: 12,
    BenchStage.SUBMITTED: 28,
}
#: Overdue organisations are mostly still drafting.
OVERDUE_WEIGHTS = {
    BenchStage.NOT_STARTED: 2,
    BenchStage.STARTED: 2,
    BenchStage.PART_DONE: 3,
    BenchStage.BRONZE: 2,
    BenchStage.SILVER: 1,
    BenchStage.SUBMITTED: 1,
}
#: Roughly England's mix: a few hundred trusts, thousands of practices and care providers.
TYPE_WEIGHTS = {
    OrgType.ACUTE_TRUST: 4,
    OrgType.MENTAL_HEALTH_TRUST: 2,
    OrgType.COMMUNITY_TRUST: 2,
    OrgType.AMBULANCE_TRUST: 1,
    OrgType.GP_PRACTICE: 40,
    OrgType.DENTAL_PRACTICE: 25,
    OrgType.SOCIAL_CARE: 18,
    OrgType.OTHER: 8,
}


COUNTED = (
    "organisations",
    "leads",
    "assessments",
    "summaries",
    "answers",
    "evidence items",
    "evidence links",
    "comments",
    "progress points",
    "cohort weeks",
    "status changes",
    "activity returns",
    "reviews",
    "judgements",
    "awards",
)


class BenchSeedError(Exception):
    """The database is not ready for seeding (run `accredit init` first)."""


@dataclass
class BenchSeed:
    """What was made, for the command to print."""

    cohort_id: int
    cohort_name: str
    overdue_cohort_id: int
    overdue_cohort_name: str
    size: int
    overdue_size: int
    counts: Counter[str] = field(default_factory=Counter)
    stages: Counter[BenchStage] = field(default_factory=Counter)
    levels: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def seed_bench(organisations: int, seed: int = 2026) -> BenchSeed:
    """Create the benchmark cohort of `organisations` and its small overdue companion."""
    began = time.perf_counter()
    if organisations < 1:
        raise BenchSeedError("Give a number of organisations of 1 or more")
    pinned = latest_published(*STANDARD)
    if pinned is None:
        raise BenchSeedError("The WEQS 2026.1 standard is not loaded: run `accredit init` first")
    standard, content_hash = pinned
    regions = list(all_regions())
    if not regions:
        raise BenchSeedError("There are no regions: run `accredit init` first")
    rng = random.Random(seed)
    templates = Templates(standard, seed)
    today = datetime.now(UTC).date()
    name = _free_name(f"Benchmark cohort {organisations}")
    overdue_size = max(3, organisations // 100)
    with unit_of_work():
        cohort = _cohort(name, today + timedelta(days=120))
        overdue = _cohort(f"{name} (deadline passed)", today - timedelta(days=30))
        report = BenchSeed(
            cohort.id, cohort.name, overdue.id, overdue.name, organisations, overdue_size
        )
        report.counts.update(dict.fromkeys(COUNTED, 0))  # printed in this order
        report.stages.update(dict.fromkeys(STAGE_WEIGHTS, 0))
        codes = bench_organisations.OdsCodes(rng)
        plans = _plans(cohort.id, organisations, STAGE_WEIGHTS, regions, codes, rng, today)
        plans += _plans(overdue.id, overdue_size, OVERDUE_WEIGHTS, regions, codes, rng, today)
        writer = bench_rows.Writer(templates, (*STANDARD, content_hash), today, rng, report.counts)
        for batch in _batches(plans, BATCH):
            writer.write(batch)
        # The dashboard's trajectory reads each cohort's weekly totals, not every point.
        report.counts["cohort weeks"] = total_weeks(writer.weeks)
        for plan in plans:
            report.stages[plan.stage] += 1
            if plan.stage is not BenchStage.NOT_STARTED:
                profile = templates.profile(plan.org_type.value, plan.flags)
                level = templates.get(plan.stage, plan.variant, profile).level
                report.levels[level or "none"] += 1
    with unit_of_work():
        refresh_statistics()
    report.seconds = time.perf_counter() - began
    return report


def _free_name(base: str) -> str:
    """The cohort name, numbered when an earlier run took it."""
    name, n = base, 1
    while cohort_named(name, YEAR) is not None:
        n += 1
        name = f"{base} ({n})"
    return name


def _cohort(name: str, deadline: date) -> Cohort:
    cohort = Cohort(
        name=name,
        year=YEAR,
        region=None,
        standard_id=STANDARD[0],
        standard_version=STANDARD[1],
        deadline=deadline,
    )
    db.session.add(cohort)
    db.session.flush()
    return cohort


def _spread(rng: random.Random, weights: dict[T, int], n: int) -> list[T]:
    """n picks by weight, with every choice present at least once when n allows, shuffled."""
    keys = list(weights)
    picks = keys[:n] + rng.choices(
        keys, weights=[weights[k] for k in keys], k=max(0, n - len(keys))
    )
    rng.shuffle(picks)
    return picks


def _plans(
    cohort_id: int,
    n: int,
    stage_weights: dict[BenchStage, int],
    regions: Sequence[Region],
    codes: bench_organisations.OdsCodes,
    rng: random.Random,
    today: date,
) -> list[OrgPlan]:
    stages = _spread(rng, stage_weights, n)
    types = _spread(rng, TYPE_WEIGHTS, n)
    places = _spread(rng, {region.id: 1 for region in regions}, n)
    now = datetime.combine(today, clock(17, 0), UTC)
    plans = []
    for stage, wanted_type, region_id in zip(stages, types, places, strict=True):
        org_type, ods_code = codes.next(wanted_type)
        weeks = rng.randint(8, 12)
        started = now - timedelta(weeks=weeks - 1, days=rng.randint(0, 4), hours=rng.randint(0, 8))
        plans.append(
            OrgPlan(
                cohort_id=cohort_id,
                org_type=org_type,
                ods_code=ods_code,
                name=bench_organisations.organisation_name(org_type, rng),
                lead_name=bench_organisations.person_name(rng),
                region_id=region_id,
                flags=bench_organisations.profile_flags(org_type, rng),
                stage=stage,
                variant=rng.randrange(VARIANTS.get(stage, 1)),
                status=(
                    submitted_statuses(rng)
                    if stage is BenchStage.SUBMITTED
                    else AssessmentStatus.DRAFT
                ),
                joined_at=started - timedelta(days=rng.randint(3, 20)),
                started_at=started,
                last_activity_at=_last_activity(stage, started, now, rng),
            )
        )
    return plans


def _last_activity(
    stage: BenchStage, started: datetime, now: datetime, rng: random.Random
) -> datetime:
    """Mostly the last fortnight; some a month or two back; some untouched since they began."""
    if stage is BenchStage.STARTED:
        return started
    roll = rng.random()
    days = rng.uniform(0, 14) if roll < 0.6 else rng.uniform(14, 45) if roll < 0.9 else 90
    return max(started + timedelta(hours=1), now - timedelta(days=days))


def _batches(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
