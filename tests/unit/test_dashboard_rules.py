"""The dashboard's view rules: filters read from and written to URLs, and the summary tiles."""

from __future__ import annotations

from datetime import date

from accredit.domain.cohorts.dashboard import (
    NO_LEVEL,
    PAGE_SIZE,
    Filters,
    RowStatus,
    Sort,
    page_count,
    tiles,
)

KNOWN = {
    "regions": ["london", "north-west"],
    "org_types": ["acute_trust", "gp_practice"],
    "levels": ["bronze", "silver", "gold"],
}


def _parse(**args: str) -> Filters:
    return Filters.parse(args, **KNOWN)


def test_a_full_view_survives_a_round_trip_through_its_url():
    view = _parse(
        region="london",
        type="gp_practice",
        status="submitted",
        level="silver",
        q="  Leeds   Road ",
        sort="completion",
        order="desc",
        page="3",
    )
    assert view == Filters(
        region="london",
        org_type="gp_practice",
        status=RowStatus.SUBMITTED,
        level="silver",
        search="Leeds Road",
        sort=Sort.COMPLETION,
        descending=True,
        page=3,
    )
    assert _parse(**view.args(page=view.page)) == view


def test_values_a_url_cannot_mean_are_dropped_not_refused():
    view = _parse(region="atlantis", type="castle", status="lost", level="platinum", sort="x")
    assert view == Filters()
    for page in ("abc", "-2", "0", "", "99999999999"):
        assert _parse(page=page).page == 1
    assert _parse(q="x" * 500).search == "x" * 100
    assert _parse(level=NO_LEVEL).level == NO_LEVEL


def test_links_leave_out_defaults_and_go_back_to_the_first_page_on_change():
    view = _parse(region="london", page="4")
    assert Filters().args() == {}
    assert view.args(page=5) == {"region": "london", "page": "5"}
    assert view.args(level="gold") == {"region": "london", "level": "gold"}


def test_sorting_a_column_twice_reverses_it():
    view = Filters()
    assert view.sorted_by(Sort.COMPLETION) == {"sort": "completion"}
    by_completion = _parse(sort="completion")
    assert by_completion.sorted_by(Sort.COMPLETION) == {"sort": "completion", "order": "desc"}
    assert view.sorted_by(Sort.NAME) == {"order": "desc"}


def test_narrowed_ignores_sorting_and_paging():
    assert not _parse(sort="level", order="desc", page="2").narrowed
    assert _parse(q="RH8").narrowed and _parse(type="gp_practice").narrowed


def test_page_count():
    assert [page_count(n) for n in (0, 1, PAGE_SIZE, PAGE_SIZE + 1)] == [1, 1, 1, 2]


COUNTS = [
    (RowStatus.NOT_STARTED, None, 4),
    (RowStatus.DRAFT, None, 3),
    (RowStatus.DRAFT, "bronze", 2),
    (RowStatus.RETURNED, "bronze", 1),
    (RowStatus.SUBMITTED, "silver", 5),
    (RowStatus.ACCEPTED, "gold", 1),
]


def test_tiles_count_each_organisation_once():
    summary = tiles(COUNTS, ["bronze", "silver", "gold"], date(2027, 3, 31), date(2027, 1, 1))
    assert summary.organisations == 16
    assert (summary.not_started, summary.in_progress, summary.submitted) == (4, 6, 6)
    assert summary.ready == {"bronze": 3, "silver": 5, "gold": 1}
    assert summary.overdue == 0


def test_after_the_deadline_everyone_who_has_not_submitted_is_overdue():
    levels = ["bronze", "silver", "gold"]
    assert tiles(COUNTS, levels, date(2027, 3, 31), date(2027, 4, 1)).overdue == 10
    assert tiles(COUNTS, levels, date(2027, 3, 31), date(2027, 3, 31)).overdue == 0
    assert tiles(COUNTS, levels, None, date(2030, 1, 1)).overdue == 0


def test_row_status_labels():
    assert RowStatus.NOT_STARTED.label == "Not started"
    assert RowStatus.DRAFT.label == "In progress"
    assert RowStatus.ACCEPTED.handed_in and not RowStatus.RETURNED.handed_in
