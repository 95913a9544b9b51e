"""The cohort dashboard's activity return panel: SQL totals of submitted returns by year, region
and type, small groups withheld, the national figures and the return on investment."""

from __future__ import annotations

import pytest

from accredit.data.models import ActivityReturn, Cohort
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.assessments.activity_return import NAMES
from accredit.extensions import db
from tests.support.html import page


def _return(organisation, year, status="submitted", **figures):
    values = {name: None for name in NAMES}
    values.update(figures)
    with unit_of_work():
        db.session.add(
            ActivityReturn(
                organisation_id=organisation.id, year=year, status=status, figures=values
            )
        )


def _rows(soup, caption_id):
    table = soup.find(id=caption_id).find_parent("table")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.select("tbody tr")
    ]


def test_the_panel_adds_up_submitted_returns_and_withholds_small_groups(clients, make_org, enrol):
    placed = {"london": 6, "south-west": 5, "north-west": 4}
    for region, count in placed.items():
        for i in range(count):
            org_type = OrgType.GP_PRACTICE if i % 2 else OrgType.ACUTE_TRUST
            organisation = enrol(make_org(f"{region} {i}", org_type=org_type, region=region))
            _return(
                organisation,
                2025,
                work_experience_placements=10,
                work_related_learning_participants=100,
                employability_participants=2,
                placement_days=50,
                employability_cost=1000,
            )
            if region == "london":
                _return(organisation, 2024, work_experience_placements=3)
    drafter = enrol(make_org("Drafting Trust", region="london"))
    _return(drafter, 2025, status="draft", work_experience_placements=1000)
    outsider = make_org("Not in the cohort", region="london")
    _return(outsider, 2025, work_experience_placements=5000)
    cohort = db.session.query(Cohort).one()

    soup = page(clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}"))
    years = _rows(soup, "activity-years")
    assert years[0] == ["2025 to 2026", "15", "150", "1,500", "30", "750"]
    assert years[1] == ["2024 to 2025", "6", "18", "0", "0", "0"]
    assert years[2][0] == "National, 2017 to 2018"
    assert years[2][2:5] == ["over 20,000", "45,000", "over 2,000"]
    caption = soup.find(id="activity-years").get_text()
    assert "national figures for 2017 to 2018" in caption

    regions = {row[0]: row[1:] for row in _rows(soup, "activity-regions")}
    assert regions["London"] == ["6", "60", "600", "12", "300"]
    assert regions["North West"][0].startswith("Withheld")  # 4 organisations
    assert regions["South West"][0].startswith("Withheld")  # else North West = total - others
    assert regions["All organisations"] == ["15", "150", "1,500", "30", "750"]

    types = {row[0]: row[1:] for row in _rows(soup, "activity-types")}
    assert types["Acute trust"][0] == "8" and types["GP practice"][0] == "7"

    roi = soup.find(id="activity").find_next("dl").get_text(" ", strip=True)
    assert "£15,000" in roi and "£52,500" in roi
    assert "Each £1 spent on employability programmes is assumed to return £1 plus £2.50" in roi

    earlier = page(clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}?activity_year=2024"))
    regions = {row[0]: row[1:] for row in _rows(earlier, "activity-regions")}
    assert regions["London"][:2] == ["6", "18"]
    assert earlier.select_one("#activity_year option[selected]")["value"] == "2024"


def test_the_ratio_is_a_setting(app, clients, make_org, enrol, settings):
    for n in range(5):  # a year of 5 organisations: figures shown
        _return(enrol(make_org(f"Trust {n}")), 2025, employability_cost=400)
    settings.roi_ratio = 3.0
    cohort = db.session.query(Cohort).one()
    text = page(clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}")).get_text(" ", strip=True)
    assert "£8,000" in text and "returns £1 plus £3.00" not in text
    assert "return £1 plus £3.00: a return on investment of 3" in text


def test_a_cohort_without_submitted_returns_says_so(clients, make_org, enrol):
    organisation = enrol(make_org("Trust"))
    _return(organisation, 2025, status="draft", work_experience_placements=4)
    cohort = db.session.query(Cohort).one()
    soup = page(clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}"))
    assert "has submitted an annual activity return yet" in soup.get_text()
    assert soup.find(id="activity-years") is None


@pytest.mark.parametrize("year", ["²⁰²⁵", "9" * 5000, "-1", "abc"])
def test_an_odd_year_in_the_address_is_not_an_error(clients, enrol, org, year):
    enrol(org)
    cohort = db.session.query(Cohort).one()
    response = clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}?activity_year={year}")
    assert response.status_code == 200
    lead = clients[Role.ORG_LEAD]
    started = lead.get(f"/organisations/{org.id}/activity-returns/start?year={year}")
    assert started.status_code == 302
    assert started.headers["Location"] == f"/organisations/{org.id}/activity-returns"


def test_a_single_organisations_figures_appear_nowhere_on_the_dashboard(clients, make_org, enrol):
    _return(
        enrol(make_org("Lone Trust")),
        2026,
        work_experience_placements=4321,
        placement_days=8765,
        employability_cost=5678,
    )
    cohort = db.session.query(Cohort).one()
    text = page(clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}")).get_text(" ", strip=True)
    assert "2026 to 2027" in text and "Withheld: fewer than 5 organisations" in text
    for figure in ("4,321", "8,765", "5,678", "4321"):
        assert figure not in text
