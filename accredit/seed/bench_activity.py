"""Annual activity returns for `accredit seed-bench`: last financial year's return submitted
for most organisations (and a draft for some), bulk inserted with the rest of each batch, so
the dashboard benchmark measures the activity totals over a full cohort."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from accredit.data.models import ActivityReturn
from accredit.data.queries.seed import insert_rows
from accredit.domain.assessments.activity_return import DRAFT, SUBMITTED, Figures, financial_year
from accredit.domain.cohorts.activity_totals import SUMMED
from accredit.seed.demo_activity import sample_figures

COLUMNS = (
    "organisation_id",
    "year",
    "status",
    "figures",
    *SUMMED,
    "submitted_at",
    "submitted_by_id",
    "updated_by_id",
    "version",
    "created_at",
    "updated_at",
)
#: Share of organisations with last year's return submitted, and with a draft instead.
SUBMITTED_SHARE = 0.85
DRAFT_SHARE = 0.05
#: Distinct sets of figures to draw from: checking each one is the slow part.
SAMPLES = 64
_samples: list[Figures] = []


def figure_sets() -> list[Figures]:
    if not _samples:
        rng = random.Random(2017)
        _samples.extend(sample_figures(rng) for _ in range(SAMPLES))
    return _samples


def write_returns(
    org_ids: Sequence[int], lead_ids: Sequence[int], today: date, counts: Counter[str]
) -> None:
    """A return for most of these organisations (its own random stream, so adding returns
    leaves every other seeded figure as it was)."""
    if not org_ids:
        return
    rng = random.Random(org_ids[0])
    year = financial_year(today) - 1
    sets = figure_sets()
    rows = []
    for org_id, lead_id in zip(org_ids, lead_ids, strict=True):
        roll = rng.random()
        if roll >= SUBMITTED_SHARE + DRAFT_SHARE:
            continue
        when = datetime.combine(today, datetime.min.time(), UTC) - timedelta(
            days=rng.randint(20, 200)
        )
        submitted = roll < SUBMITTED_SHARE
        rows.append(
            (
                org_id,
                year,
                SUBMITTED if submitted else DRAFT,
                (figures := rng.choice(sets)),  # shared objects: converted to JSON once each
                *(figures.get(name) for name in SUMMED),
                when if submitted else None,
                lead_id if submitted else None,
                lead_id,
                1,
                when,
                when,
            )
        )
    insert_rows(ActivityReturn, COLUMNS, rows)
    counts["activity returns"] += len(rows)
