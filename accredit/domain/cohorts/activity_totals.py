"""The cohort dashboard's activity return totals, shaped from sums the database has already
added up (per financial year, region and organisation type). Pure Python.

Totals per year are the cohort's own (HEE staff may read each return anyway). The breakdowns
by region and by type compare groups of organisations, so they follow the disclosure rules:
a group of fewer than ``MIN_GROUP_SIZE`` organisations is withheld, and so is any group from
which a withheld one could be worked out, given the year's total shown beneath.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from accredit.domain.accounts.organisations import OrgType
from accredit.domain.assessments.activity_return import BY_NAME, return_on_investment, year_label
from accredit.domain.cohorts.disclosure import suppressed_cells, too_small

#: The figures the panel adds up, in the order the query sums them.
SUMMED = (
    "work_experience_placements",
    "work_related_learning_participants",
    "employability_participants",
    "placement_days",
    "employability_cost",
)
#: The columns of the panel's tables (the costs go into the return on investment instead).
SHOWN = SUMMED[:4]
#: The NHS's national figures for 2017 to 2018 (HEE): "over 20,000 work experience
#: opportunities, 45,000 work related learning opportunities and over 2,000 employability
#: programme places". None where no national figure was published.
NATIONAL_YEAR = 2017
NATIONAL = {
    "work_experience_placements": "over 20,000",
    "work_related_learning_participants": "45,000",
    "employability_participants": "over 2,000",
    "placement_days": None,
}


class SummedRow(Protocol):
    """One GROUP BY row: the returns of a year, region and type, and their summed figures."""

    @property
    def year(self) -> int: ...
    @property
    def region(self) -> str: ...
    @property
    def org_type(self) -> OrgType: ...
    @property
    def organisations(self) -> int: ...
    @property
    def sums(self) -> tuple[int | None, ...]: ...


@dataclass(frozen=True, slots=True)
class Line:
    """A row of a table: a label, how many organisations' returns, and the summed figures
    (``withheld`` rows show neither)."""

    label: str
    organisations: int | None
    figures: tuple[int, ...] | None
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class Roi:
    year: int
    cost: int
    ratio: float
    estimate: int

    @property
    def assumption(self) -> str:
        return (
            f"Each £1 spent on employability programmes is assumed to return £1 plus "
            f"£{self.ratio:,.2f}: a return on investment of {self.ratio:g}, from research for HEE."
        )


@dataclass(frozen=True, slots=True)
class Panel:
    years: tuple[Line, ...]
    chosen: int | None
    by_region: tuple[Line, ...]
    by_type: tuple[Line, ...]
    total: Line | None
    roi: Roi | None
    columns: tuple[str, ...] = tuple(BY_NAME[name].label for name in SHOWN)
    national: tuple[str | None, ...] = tuple(NATIONAL[name] for name in SHOWN)
    national_label: str = year_label(NATIONAL_YEAR)

    available: tuple[int, ...] = ()

    @property
    def chosen_label(self) -> str:
        return year_label(self.chosen) if self.chosen is not None else ""

    @property
    def year_choices(self) -> list[tuple[int, str]]:
        return [(year, year_label(year)) for year in self.available]


def _add(rows: Iterable[SummedRow]) -> tuple[int, tuple[int, ...]]:
    organisations = 0
    sums = [0] * len(SUMMED)
    for row in rows:
        organisations += row.organisations
        for i, value in enumerate(row.sums):
            sums[i] += value or 0
    return organisations, tuple(sums)


def _line(label: str, rows: Sequence[SummedRow]) -> Line:
    organisations, sums = _add(rows)
    if too_small(organisations):
        # A year's total over fewer than 5 organisations is theirs alone (and would give away
        # every group withheld beneath it), so it is withheld like a small group.
        return Line(label, None, None, withheld=True)
    return Line(label, organisations, sums[: len(SHOWN)])


def _breakdown(rows: Sequence[SummedRow], key: Callable[[SummedRow], str]) -> tuple[Line, ...]:
    groups: dict[str, list[SummedRow]] = {}
    for row in sorted(rows, key=key):
        groups.setdefault(key(row), []).append(row)
    lines = {label: _line(label, members) for label, members in groups.items()}
    counts = {label: _add(members)[0] for label, members in groups.items()}
    withheld = suppressed_cells(counts)
    return tuple(
        Line(label, None, None, withheld=True) if label in withheld else line
        for label, line in lines.items()
    )


def panel(rows: Sequence[SummedRow], wanted_year: int | None, roi_ratio: float) -> Panel:
    """The panel for the chosen year (the latest with returns when none, or one without)."""
    by_year: dict[int, list[SummedRow]] = {}
    for row in rows:
        by_year.setdefault(row.year, []).append(row)
    available = tuple(sorted(by_year, reverse=True))
    years = tuple(_line(year_label(y), by_year[y]) for y in available)
    if not by_year:
        return Panel(years, None, (), (), None, None)
    chosen = wanted_year if wanted_year in by_year else max(by_year)
    those = by_year[chosen]
    organisations, sums = _add(those)
    cost = sums[SUMMED.index("employability_cost")]
    roi = (
        None
        if too_small(organisations)
        else Roi(chosen, cost, roi_ratio, return_on_investment(cost, roi_ratio))
    )
    return Panel(
        years=years,
        chosen=chosen,
        by_region=_breakdown(those, lambda r: r.region),
        by_type=_breakdown(those, lambda r: r.org_type.label),
        total=_line("All organisations", those),
        roi=roi,
        available=available,
    )
