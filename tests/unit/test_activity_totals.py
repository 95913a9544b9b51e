"""The dashboard's activity panel shaped from summed rows: years, breakdowns with small groups
withheld, the chosen year and the return on investment."""

from __future__ import annotations

from typing import NamedTuple

from accredit.domain.accounts.organisations import OrgType
from accredit.domain.cohorts.activity_totals import SHOWN, SUMMED, panel


class Row(NamedTuple):
    year: int
    region: str
    org_type: OrgType
    organisations: int
    sums: tuple[int | None, ...]


def row(year, region, org_type, organisations, placements, cost=0):
    sums = [placements, 0, 0, None, cost]
    assert len(sums) == len(SUMMED)
    return Row(year, region, org_type, organisations, tuple(sums))


ROWS = [
    row(2025, "London", OrgType.ACUTE_TRUST, 3, 30, 100),
    row(2025, "London", OrgType.GP_PRACTICE, 3, 6, 50),
    row(2025, "North West", OrgType.GP_PRACTICE, 5, 10),
    row(2025, "Midlands", OrgType.GP_PRACTICE, 4, 8),
    row(2024, "London", OrgType.ACUTE_TRUST, 2, 20, 999),
]


def test_years_newest_first_with_their_totals():
    shown = panel(ROWS, None, 2.5)
    assert [(y.label, y.organisations, y.figures and y.figures[0]) for y in shown.years] == [
        ("2025 to 2026", 15, 54),
        ("2024 to 2025", None, None),  # 2 organisations: theirs alone, so withheld
    ]
    assert shown.years[1].withheld
    assert len(shown.years[0].figures) == len(SHOWN)
    assert shown.chosen == 2025 and shown.chosen_label == "2025 to 2026"
    assert shown.year_choices == [(2025, "2025 to 2026"), (2024, "2024 to 2025")]


def test_regions_and_types_withhold_small_groups_and_their_complements():
    shown = panel(ROWS, 2025, 2.5)
    regions = {line.label: line for line in shown.by_region}
    assert regions["London"].figures[0] == 36 and not regions["London"].withheld
    assert regions["Midlands"].withheld  # 4 organisations
    assert regions["North West"].withheld  # else Midlands = total - the others
    assert regions["North West"].figures is None and regions["North West"].organisations is None
    types = {line.label: line for line in shown.by_type}
    assert types["Acute trust"].withheld and types["GP practice"].withheld
    assert shown.total.organisations == 15 and shown.total.figures[0] == 54


def test_another_year_can_be_chosen_and_an_unknown_one_falls_back():
    assert panel(ROWS, 2025, 2.5).total.figures[0] == 54
    assert panel(ROWS, 2019, 2.5).chosen == 2025


def test_a_year_of_fewer_than_5_organisations_shows_no_figure_at_all():
    """Its total would be theirs alone, and would give away any group withheld beneath it."""
    small = panel(ROWS, 2024, 2.5)
    assert small.chosen == 2024
    assert small.total.withheld and small.total.figures is None
    assert all(line.withheld for line in small.by_region + small.by_type)
    assert small.roi is None
    assert panel([row(2026, "London", OrgType.GP_PRACTICE, 5, 9)], None, 2.5).roi is not None


def test_return_on_investment_for_the_chosen_year_states_its_assumption():
    roi = panel(ROWS, None, 2.5).roi
    assert (roi.cost, roi.estimate) == (150, 525)
    assert roi.assumption.startswith(
        "Each £1 spent on employability programmes is assumed to return £1 plus £2.50"
    )
    assert panel(ROWS, None, 3).roi.estimate == 600


def test_no_returns_no_panel_figures():
    empty = panel([], None, 2.5)
    assert empty.years == () and empty.chosen is None and empty.roi is None
