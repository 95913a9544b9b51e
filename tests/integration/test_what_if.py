"""What if a cohort moved to a newer version: `accredit standards simulate` and the HEE admins'
page, on a small Employability 2026.1 cohort (2026.2 judges partly met Exemplary criteria
differently) and on seed-bench data. Neither changes anything in the database."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from accredit.data.base import Base
from accredit.data.models import (
    Assessment,
    Cohort,
    CohortReviewer,
    ScoreSummary,
)
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from tests.support.html import page as parse
from tests.support.statements import recorded, writes
from tests.support.what_if import employability_cohort

ROOT = Path(__file__).resolve().parents[2]
#: A changed copy of WEQS 2026.1 (a draft "2026.2": 6.9 added, 5.3 removed, 2.3 mandatory).
WEQS_CHANGED = ROOT / "tests/unit/fixtures/weqs-2026-changed.yaml"


def _snapshot() -> dict[str, list[str]]:
    """Every row of every table, as text (what "changes nothing" is checked against)."""
    db.session.rollback()
    return {
        table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        for table in Base.metadata.sorted_tables
    }


@contextlib.contextmanager
def no_writes() -> Iterator[list[str]]:
    """Fails the test if an INSERT, UPDATE or DELETE reaches the database meanwhile, and if
    any row differs afterwards."""
    before = _snapshot()
    with recorded() as statements:
        yield statements
    assert writes(statements) == []
    assert _snapshot() == before


@pytest.fixture
def cohort_id(app, standards_loaded, make_org, make_user) -> int:
    return employability_cohort(make_org, make_user)


def _simulate(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["standards", "simulate", *args])


def test_simulate_prints_the_level_changes_and_changes_nothing(app, cohort_id):
    with no_writes():
        result = _simulate(app, "2026.2", "--cohort", str(cohort_id))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        f"Employability 2026 (id {cohort_id}): 7 current assessments on employability 2026.1, "
        "rescored under employability 2026.2"
    )
    rows = [" ".join(line.split()) for line in lines[1:7]]
    assert rows == [
        "FROM TO ORGANISATIONS",
        "Exemplary -> Established 2 lower",
        "Established -> No level 1 lower",  # its evidence is no longer in its library
        "Exemplary -> Exemplary 1 no change",
        "Established -> Established 1 no change",
        "Foundation -> Foundation 1 no change",
    ]
    assert " ".join(lines[7].split()) == "No level -> No level 1 no change"
    assert "Lower: 3. Higher: 0. No change: 4." in result.output
    assert (
        "Exemplary -> Established (2):\n  Ashby Academy (W0001)\n  Carlow Careers (W0003)\n"
        in result.output
    )
    assert "Established -> No level (1):\n  Fenwick Works (W0006)\n" in result.output
    assert "Brook College" not in result.output  # unchanged organisations are counted only
    assert "Nothing was changed" in result.output


def test_simulate_takes_a_version_file_and_refuses_what_it_cannot_use(app, cohort_id):
    by_path = _simulate(
        app, str(ROOT / "standards/employability/2026.2.yaml"), "--cohort", str(cohort_id)
    )
    assert by_path.exit_code == 0, by_path.output
    assert "Exemplary -> Established (2):" in by_path.output
    refusals = {
        "2027.9": "is not loaded",
        "2026.1": "already on version 2026.1",
        str(WEQS_CHANGED): "is a version of weqs; the cohort is on employability",
        "missing/2026.2.yaml": "There is no file missing/2026.2.yaml",
    }
    for new, message in refusals.items():
        refused = _simulate(app, new, "--cohort", str(cohort_id))
        assert refused.exit_code != 0 and message in refused.output, (new, refused.output)
    unknown = _simulate(app, "2026.2", "--cohort", str(cohort_id + 100))
    assert unknown.exit_code != 0 and "There is no cohort" in unknown.output


def test_simulate_on_seed_bench_data_rescores_every_current_assessment(
    app, standards_loaded, clients
):
    seeded = app.test_cli_runner().invoke(args=["seed-bench", "40"])
    assert seeded.exit_code == 0, seeded.output
    cohort = db.session.scalars(select(Cohort).where(Cohort.name == "Benchmark cohort 40")).one()
    cohort_id = cohort.id
    stored = Counter(
        db.session.scalars(
            select(ScoreSummary.level_reached)
            .join(Assessment, Assessment.id == ScoreSummary.assessment_id)
            .where(Assessment.cohort_id == cohort_id)
        )
    )
    with no_writes():
        result = _simulate(app, str(WEQS_CHANGED), "--cohort", str(cohort_id), "--no-names")
    assert result.exit_code == 0, result.output
    assert f"{sum(stored.values())} current assessments on weqs 2026.1" in result.output
    assert "Lower:" in result.output and "Nothing was changed" in result.output

    from accredit.cli.what_if import OPERATOR
    from accredit.services.cohorts.what_if import simulate_cohort, standard_for

    cohort = db.session.get(Cohort, cohort_id)
    simulation = simulate_cohort(
        OPERATOR, cohort, standard_for(cohort, str(WEQS_CHANGED))
    ).simulation
    before: Counter[str | None] = Counter()
    for change in simulation.changes:
        before[change.before] += change.count
    # Every current assessment is in the table once, at the level the engine gives its answers
    # under the version it is pinned to.
    from accredit.services.assessments.workspace import load

    newest = {}
    for assessment in db.session.scalars(
        select(Assessment).where(Assessment.cohort_id == cohort_id).order_by(Assessment.id)
    ):
        newest[assessment.organisation_id] = assessment
    assert before == Counter(load(a).result.highest_level for a in newest.values())
    assert simulation.assessed == sum(stored.values()) == len(newest) > 30
    # 2.3 became mandatory for Bronze in the changed version: some organisations lose Bronze.
    assert simulation.count("down") > 0

    # WEQS 2026.2 asks profile questions 2026.1 did not: the page says how many have not
    # answered them, as criteria that depend on them are not met until they do.
    page = parse(clients[Role.HEE_ADMIN].get(f"/cohorts/{cohort_id}/what-if?version=2026.2"))
    text = page.get_text(" ", strip=True)
    assert f"{len(newest)} of these organisations have not answered every question" in text
    assert "Of these, profile not complete" in text


def test_an_hee_admin_sees_the_what_if_page_and_nothing_changes(app, cohort_id, clients):
    admin = clients[Role.HEE_ADMIN]
    dashboard = parse(admin.get(f"/cohorts/{cohort_id}"))
    link = dashboard.find("a", string="What if this cohort moved to version 2026.2")
    assert link is not None and link["href"] == f"/cohorts/{cohort_id}/what-if?version=2026.2"
    chooser = parse(admin.get(f"/cohorts/{cohort_id}/what-if"))
    assert [r["value"] for r in chooser.select("input[name=version]")] == ["2026.2"]
    assert chooser.find("table") is None
    with no_writes():
        response = admin.get(link["href"])
    assert response.status_code == 200
    page = parse(response)
    assert page.h1.get_text(strip=True) == "What if this cohort moved to version 2026.2"
    assert "Nothing changes until the next cycle." in page.get_text()
    summary = {
        row.select_one(".nhsuk-summary-list__key").get_text(strip=True): row.select_one(
            ".nhsuk-summary-list__value"
        ).get_text(strip=True)
        for row in page.select(".nhsuk-summary-list__row")
    }
    assert summary == {
        "Assessments worked out": "7",
        "Would reach a lower level": "3",
        "Would reach a higher level": "0",
        "Would stay at the same level": "4",
    }
    table = [
        [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in page.select("table tbody tr")
    ]
    assert table[:2] == [
        ["Exemplary", "Established", "Lower", "2"],
        ["Established", "No level", "Lower", "1"],
    ]
    assert sum(int(row[3]) for row in table) == 7
    first = page.find("h3", id="change-1")
    assert first.get_text(strip=True) == "Exemplary to Established: 2 organisations"
    links = first.find_next("ul").find_all("a")
    assert [a.get_text() for a in links] == ["Ashby Academy", "Carlow Careers"]
    assert all(a["href"].startswith("/organisations/") for a in links)
    assert admin.get(links[0]["href"]).status_code == 200


def test_only_newer_published_versions_can_be_tried_on_the_page(app, cohort_id, clients):
    admin = clients[Role.HEE_ADMIN]
    for version in ("2026.1", "2099.1", ""):
        response = admin.get(f"/cohorts/{cohort_id}/what-if?version={version}")
        assert response.status_code == 400, version
        page = parse(response)
        assert "Choose one of the newer published versions listed" in page.get_text()
        assert page.find("table") is None
    assert admin.get(f"/cohorts/{cohort_id + 100}/what-if").status_code == 404


def test_no_one_but_hee_admins_reaches_the_what_if_page(app, cohort_id, people, clients):
    with unit_of_work():
        db.session.add(CohortReviewer(cohort_id=cohort_id, user_id=people[Role.HEE_REVIEWER].id))
    url = f"/cohorts/{cohort_id}/what-if?version=2026.2"
    reviewer = clients[Role.HEE_REVIEWER]
    assert reviewer.get(f"/cohorts/{cohort_id}").status_code == 200  # they see the cohort
    assert "What if" not in reviewer.get(f"/cohorts/{cohort_id}").get_data(as_text=True)
    for role in (Role.HEE_REVIEWER, Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        assert clients[role].get(url).status_code == 403, role
    assert app.test_client().get(url).status_code == 302  # signed out: to sign in
