"""Moderation figures on the cohort dashboard: reviewers' agreement with self-assessments."""

from __future__ import annotations

from accredit.domain.accounts.organisations import Role
from accredit.seed.demo_assessments import Stage, seed_stage
from tests.integration.review_helpers import (
    applicable,
    judge,
    judge_all,
    met_mandatory_bronze,
    start_review,
)
from tests.support.forms import submit
from tests.support.html import page


def test_dashboard_shows_how_often_reviewers_agreed(clients, people, enrol, make_org, make_user):
    reviewer, admin = clients[Role.HEE_REVIEWER], clients[Role.HEE_ADMIN]
    first_org, second_org = make_org("North Trust"), make_org("South Trust")
    first = seed_stage(enrol(first_org), make_user(Role.ORG_LEAD, first_org), Stage.SUBMITTED)
    second = seed_stage(enrol(second_org), make_user(Role.ORG_LEAD, second_org), Stage.SUBMITTED)
    cohort_id = first.cohort_id

    before = page(admin.get(f"/cohorts/{cohort_id}")).select_one("#moderation").find_next("p")
    assert "No reviews have been decided" in before.get_text()

    # One returned with a disagreement on a mandatory criterion; one accepted, all agreed.
    start_review(reviewer, first.id)
    target = met_mandatory_bronze(first.id)
    judge(reviewer, first.id, target, "disagree", "No current policy attached.")
    other = next(c.id for c in applicable(first.id) if c.id != target)
    judge(reviewer, first.id, other, "agree")
    assert (
        submit(reviewer, f"/assessments/{first.id}/review/return", {"note": ""}).status_code == 302
    )
    start_review(reviewer, second.id)
    judge_all(reviewer, second.id)
    # An undecided round counts for nothing yet.
    judged_second = len(applicable(second.id))

    soup = page(admin.get(f"/cohorts/{cohort_id}"))
    text = soup.select_one("#moderation").find_next("p").get_text(" ", strip=True)
    assert "2 judgements" in text and "50%" in text
    worst = soup.find("caption", string="Criteria most often misjudged").find_parent("table")
    first_row = [
        c.get_text(" ", strip=True) for c in worst.select("tbody tr")[0].find_all(["th", "td"])
    ]
    assert first_row[0].startswith(f"Criterion {target} ")
    assert first_row[1:] == [
        "Judgements 1",
        "Agreed 0%",
        "Disagreed 1",
        "Needed more evidence 0",
        "Overridden 0",
    ]

    assert (
        submit(reviewer, f"/assessments/{second.id}/review/accept", {"level": "bronze"}).status_code
        == 302
    )
    soup = page(admin.get(f"/cohorts/{cohort_id}"))
    text = soup.select_one("#moderation").find_next("p").get_text(" ", strip=True)
    total = 2 + judged_second
    assert f"{total:,} judgements" in text
    assert f"{round(100 * (total - 1) / total)}%" in text
    sections = soup.find("caption", string="Agreement by section").find_parent("table")
    judged = sum(
        int(row.find_all("td")[0].get_text(" ", strip=True).split()[-1].replace(",", ""))
        for row in sections.select("tbody tr")
    )
    assert judged == total


def test_the_moderation_export_has_a_row_per_criterion(clients, people, enrol, org):
    import csv
    import io

    reviewer = clients[Role.HEE_REVIEWER]
    submitted = seed_stage(enrol(org), people[Role.ORG_LEAD], Stage.SUBMITTED)
    start_review(reviewer, submitted.id)
    target = met_mandatory_bronze(submitted.id)
    judge(reviewer, submitted.id, target, "needs_evidence", "Attach the signed policy.")
    returned = submit(reviewer, f"/assessments/{submitted.id}/review/return", {"note": ""})
    assert returned.status_code == 302

    response = clients[Role.HEE_ADMIN].get(f"/cohorts/{submitted.cohort_id}/exports/moderation.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    from accredit.services.assessments.workspace import load

    standard = load(submitted).standard
    assert [r["Criterion"] for r in rows] == [c.id for c in standard.criteria]
    judged = {r["Criterion"]: r for r in rows if r["Judgements"] != "0"}
    assert list(judged) == [target]
    line = judged[target]
    assert (line["Agreed"], line["Disagreed"], line["Needed more evidence"]) == ("0", "0", "1")
    assert line["Agreed (%)"] == "0" and line["Mandatory"] == "Yes"
    assert rows[-1]["Agreed (%)"] == ""
