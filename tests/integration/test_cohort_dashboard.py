"""The cohort dashboard and its organisations table: figures from stored summaries, filters kept
in the URL, reviewers kept to their cohorts, and a fixed number of queries however many
organisations there are."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from accredit.data.models import Cohort, CohortMembership, CohortReviewer, Organisation
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from tests.support.html import page
from tests.support.statements import recorded

STAGES = {
    "Alder Hospital": ("london", OrgType.ACUTE_TRUST, Stage.BRONZE),
    "Birch Practice": ("north-west", OrgType.GP_PRACTICE, Stage.PART_DONE),
    "Cedar Dental": ("north-west", OrgType.DENTAL_PRACTICE, Stage.NOT_STARTED),
    "Damson Care": ("london", OrgType.SOCIAL_CARE, Stage.SUBMITTED),
    "Elm Community": ("midlands", OrgType.COMMUNITY_TRUST, Stage.STARTED),
}


@pytest.fixture
def cohort(make_org, make_user, enrol, people):
    """Five organisations at different stages in the test cohort (its reviewer is assigned)."""
    for number, (name, (region, org_type, stage)) in enumerate(STAGES.items(), start=1):
        ods = f"R{number}A" if org_type.is_trust else f"Y{number:05d}"
        organisation = enrol(make_org(name, org_type, region=region, ods_code=ods))
        seed_stage(organisation, make_user(Role.ORG_LEAD, organisation), stage)
    return db.session.query(Cohort).one()


def _rows(soup):
    """Each row's text, without the headings repeated for narrow screens."""
    rows = []
    for row in soup.select(".app-org-table tbody tr"):
        for heading in row.select(".nhsuk-table-responsive__heading"):
            heading.decompose()
        rows.append(" ".join(row.get_text(" ").split()))
    return rows


def _names(soup):
    return [
        str(row.select_one("td a").contents[0]).strip()
        for row in soup.select(".app-org-table tbody tr")
    ]


def _tiles(soup):
    return {
        tile.select_one(".nhsuk-card__heading").get_text(strip=True): int(
            tile.select_one(".app-tile__figure").get_text(strip=True)
        )
        for tile in soup.select(".app-tile")
    }


def test_tiles_charts_and_table_come_from_the_stored_summaries(clients, cohort, monkeypatch):
    import accredit.services.assessments.workspace as workspace

    def no_scoring(*args, **kwargs):
        raise AssertionError("the dashboard must not rescore")

    monkeypatch.setattr(workspace, "score", no_scoring)
    soup = page(clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}"))
    assert soup.h1.get_text() == "Test cohort"
    tiles = _tiles(soup)
    assert tiles["Organisations"] == 5
    assert (tiles["Not started"], tiles["In progress"], tiles["Submitted"]) == (1, 3, 1)
    assert tiles["Ready for Bronze"] == 1 and tiles["Ready for Silver"] == 1
    assert tiles["Ready for Gold"] == 0 and tiles["Overdue"] == 0

    charts = soup.select("svg.app-chart__svg")
    titles = [svg.title.get_text() for svg in charts]
    assert "Readiness level" in titles and "Progress through the assessment" in titles
    assert "Average section score by region" in titles
    for svg in charts:
        assert svg["role"] == "img" and svg.desc.get_text()
    funnel = soup.find("caption", string="Progress through the assessment: figures")
    cells = [" ".join(tr.get_text(" ").split()) for tr in funnel.find_parent("table").tbody("tr")]
    assert cells[:2] == ["In the cohort 5 (100%)", "Started an assessment 4 (80%)"]
    heat = soup.find("caption", string="Average section score by region: figures")
    regions = [tr.th.get_text(strip=True) for tr in heat.find_parent("table").tbody("tr")]
    assert regions == ["London", "Midlands", "North West"]

    assert _names(soup) == list(STAGES)
    damson = next(r for r in _rows(soup) if r.startswith("Damson"))
    assert "Submitted" in damson and "Ready for Silver" in damson and "100%" in damson
    cedar = next(r for r in _rows(soup) if r.startswith("Cedar"))
    assert "Not started" in cedar


def test_every_row_opens_the_organisations_report_read_only(clients, cohort):
    hee = clients[Role.HEE_ADMIN]
    soup = page(hee.get(f"/cohorts/{cohort.id}/organisations"))
    link = next(a for a in soup.select(".app-org-table a") if a.get_text().startswith("Alder"))
    report = page(hee.get(link["href"]))
    assert report.h1.get_text() == "Readiness report"
    assert "Ready for Bronze" in report.get_text()
    assert not report.find("button", string=lambda s: s and "Save" in s)
    not_started = soup.find("a", string="Cedar Dental")
    assert hee.get(not_started["href"]).status_code == 200  # its organisation page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=north-west", ["Birch Practice", "Cedar Dental"]),
        ("type=social_care", ["Damson Care"]),
        ("status=not_started", ["Cedar Dental"]),
        ("status=draft", ["Alder Hospital", "Birch Practice", "Elm Community"]),
        ("level=bronze", ["Alder Hospital"]),
        ("level=none", ["Birch Practice", "Cedar Dental", "Elm Community"]),
        ("q=ced", ["Cedar Dental"]),
        ("q=y00002", ["Birch Practice"]),
        ("q=100%25", []),  # a wildcard typed is searched for, not obeyed
        ("region=london&level=silver", ["Damson Care"]),
        ("sort=completion&order=desc", ["Damson Care", "Alder Hospital", "Birch Practice"]),
        ("sort=level&order=desc", ["Damson Care", "Alder Hospital"]),
        ("region=atlantis&page=abc&sort=nonsense", list(STAGES)),
    ],
)
def test_filters_search_and_sorting(clients, cohort, query, expected):
    for path in ("", "/organisations"):
        soup = page(clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}{path}?{query}"))
        assert _names(soup)[: len(expected)] == expected, (path, query)
        if not query.startswith("sort") and not query.startswith("region=atlantis"):
            assert len(_names(soup)) == len(expected)


def test_filters_narrow_the_tiles_too(clients, cohort):
    soup = page(clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort.id}?region=london"))
    tiles = _tiles(soup)
    assert tiles["Organisations"] == 2 and tiles["Submitted"] == 1
    assert "matching the filters" in soup.get_text()


def test_a_view_is_kept_in_every_link(clients, cohort, make_org, enrol):
    for n in range(50):  # 55 organisations: two pages
        enrol(make_org(f"Zz Extra {n:02d}", OrgType.GP_PRACTICE, ods_code=f"Z{n:05d}"))
    hee = clients[Role.HEE_ADMIN]
    soup = page(hee.get(f"/cohorts/{cohort.id}/organisations?type=gp_practice&sort=name"))
    assert "Showing 1 to 50 of 51 organisations matching the filters." in soup.get_text()
    nxt = next(a for a in soup.select(".nhsuk-pagination a") if a.get_text() == "Next page")
    assert parse_qs(urlsplit(nxt["href"]).query) == {"type": ["gp_practice"], "page": ["2"]}
    second = page(hee.get(nxt["href"]))
    assert _names(second) == ["Zz Extra 49"]
    assert second.select_one("[aria-current=page]").get_text(strip=True) == "2"
    header = second.find("th", attrs={"aria-sort": "ascending"})
    flip = parse_qs(urlsplit(header.a["href"]).query)
    assert flip == {"type": ["gp_practice"], "order": ["desc"]}  # sorting goes back to page 1
    form = second.find("form", class_="app-filters")
    assert form["method"] == "get"
    assert form.find("option", selected=True, value="gp_practice") is not None


def test_reviewers_see_only_their_cohorts_and_organisations_never(
    app, clients, people, cohort, make_org
):
    other = Cohort(name="Elsewhere", year=2026, standard_id="weqs", standard_version="2026.1")
    with unit_of_work():
        db.session.add(other)
        db.session.flush()
        db.session.add(
            CohortMembership(cohort_id=other.id, organisation_id=make_org("Far Trust").id)
        )
    reviewer = clients[Role.HEE_REVIEWER]
    for path in ("", "/organisations"):
        assert reviewer.get(f"/cohorts/{cohort.id}{path}").status_code == 200
        assert reviewer.get(f"/cohorts/{other.id}{path}").status_code == 404
        assert clients[Role.HEE_ADMIN].get(f"/cohorts/{other.id}{path}").status_code == 200
        assert clients[Role.HEE_ADMIN].get(f"/cohorts/99999{path}").status_code == 404
        for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
            assert clients[role].get(f"/cohorts/{cohort.id}{path}").status_code == 403
    with unit_of_work():
        db.session.query(CohortReviewer).delete()
    assert reviewer.get(f"/cohorts/{cohort.id}").status_code == 404


def _queries(app, client, url):
    with recorded() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements


#: The most queries a dashboard page may run, whatever the size of the cohort.
QUERY_BOUND = 15


def test_the_number_of_queries_does_not_grow_with_the_cohort(
    app, clients, cohort, make_org, make_user, enrol
):
    hee = clients[Role.HEE_ADMIN]
    url = f"/cohorts/{cohort.id}?region=london"
    hee.get(url)  # warm: standards parsed, charts drawn once
    small = _queries(app, hee, url)
    for n in range(12):
        organisation = enrol(make_org(f"More {n}", region="london", ods_code=f"RM{n:X}"))
        seed_stage(organisation, make_user(Role.ORG_LEAD, organisation), Stage.STARTED)
    large = _queries(app, hee, url)
    assert len(large) == len(small) <= QUERY_BOUND, large
    table = _queries(app, hee, f"/cohorts/{cohort.id}/organisations?sort=level")
    assert len(table) <= QUERY_BOUND - 3
    assert db.session.query(Organisation).count() >= 17
