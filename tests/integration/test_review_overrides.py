"""A returned assessment reviewed under the engine's rule, through the pages: disagreeing
cannot mark met a criterion the standard's rules do not find met; an override can, only with
a reason, and it shows as an override (with the reason and who made it) on the review pages,
in the readiness report, in the evidence pack and in the cohort's moderation figures.
SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import subprocess

import pytest
from sqlalchemy import delete, select

from accredit.data.models import Answer, Assessment, AuditEvent, CriterionReview
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.scoring.evidence import is_evidence_key
from accredit.domain.scoring.results import Status
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.services.assessments import assessments
from accredit.services.assessments.workspace import load
from accredit.services.reports import packs
from accredit.services.reports.packs import PackScope
from accredit.services.storage.stores import pack_storage_for, storage_for
from tests.integration.review_helpers import (
    applicable,
    fresh,
    judge,
    met_mandatory_bronze,
    start_review,
)
from tests.support.forms import submit
from tests.support.html import error_summary, page

WHY = "Policy seen signed at the visit"


@pytest.fixture
def evidence_gone(enrol, org, people) -> tuple[Assessment, str]:
    """A submitted assessment whose one mandatory Bronze criterion has lost its required
    evidence since (the item was taken out of the library): met but for the evidence, so the
    engine does not find it met and no level is reached."""
    assessment = seed_stage(enrol(org), people[Role.ORG_LEAD], Stage.SUBMITTED)
    assert assessment is not None and assessment.status is AssessmentStatus.SUBMITTED
    ws = load(assessment)
    criterion = next(
        c
        for c in ws.standard.criteria
        if c.level == "bronze"
        and c.mandatory
        and c.evidence.required
        and ws.result.criterion(c.id).status is Status.MET
    )
    keys = [k for k in ws.answers if k.split("/")[0] == criterion.id]
    with unit_of_work():
        db.session.execute(
            delete(Answer).where(
                Answer.assessment_id == assessment.id,
                Answer.key.in_([k for k in keys if is_evidence_key(ws.standard, k)]),
            )
        )
        assessments.refresh_summary(load(assessment))
    ws = load(fresh(assessment.id))
    assert ws.result.criterion(criterion.id).status is not Status.MET
    assert ws.result.highest_level is None
    return assessment, criterion.id


def _text(soup) -> str:
    return " ".join(soup.get_text(" ", strip=True).split())


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return " ".join(done.stdout.decode().split())


def test_a_returned_assessment_reviewed_under_the_engines_rule(
    app, clients, people, evidence_gone, settings, printing
):
    reviewer, lead, admin = (
        clients[Role.HEE_REVIEWER],
        clients[Role.ORG_LEAD],
        clients[Role.HEE_ADMIN],
    )
    assessment, cid = evidence_gone
    aid = assessment.id
    assert start_review(reviewer, aid).status_code == 302
    url = f"/assessments/{aid}/review/criteria/{cid}"

    # Disagreeing cannot mark met a criterion the standard's rules find not met.
    not_met = next(c.id for c in applicable(aid) if c.status is Status.NOT_MET)
    refused = judge(reviewer, aid, not_met, "disagree", "Seen at the visit.")
    assert refused.status_code == 400
    assert error_summary(page(refused)) == [
        f"{not_met} is not met under the standard's rules, so disagreeing cannot mark it met. "
        "To count it as met, choose “Count as met (override)” and give your reason"
    ]
    # Nor can an override without its reason mark met the criterion short of its evidence.
    refused = judge(reviewer, aid, cid, "override")
    assert refused.status_code == 400
    soup = page(refused)
    message = f"Give your reason for counting {cid} as met when the standard's rules do not"
    assert error_summary(soup) == [message]
    assert message in soup.select_one("#override_reason").find_parent("div").get_text()
    assert db.session.scalars(select(CriterionReview)).all() == []

    # With the reason it counts as met, flagged as an override on the review page.
    assert judge(reviewer, aid, cid, "override", override_reason=WHY).status_code == 302
    [stored] = db.session.scalars(select(CriterionReview)).all()
    assert (stored.agreement.value, stored.override_reason, stored.self_status) == (
        "override",
        WHY,
        load(fresh(aid)).result.criterion(cid).status.value,
    )
    assert stored.reviewer_id == people[Role.HEE_REVIEWER].id
    judged = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "review-judged")
    ).one()
    assert judged.after["override_reason"] == WHY
    overview = page(reviewer.get(f"/assessments/{aid}/review"))
    row = overview.find("a", href=url).find_parent("tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[1:] == ["Count as met (override)", "Met by override"]
    assert "1 counted as met by override" in _text(overview)
    # Reopened, the page keeps the reason under the override choice.
    again = page(reviewer.get(url))
    assert again.select_one("#override_reason").get_text() == WHY

    # A criterion met under the rules can still be marked down, with a comment.
    down = met_mandatory_bronze(aid)
    assert down != cid
    assert judge(reviewer, aid, down, "disagree", "The plan is a template.").status_code == 302
    returned = submit(reviewer, f"/assessments/{aid}/review/return", {"note": ""})
    assert returned.status_code == 302
    assert fresh(aid).status is AssessmentStatus.RETURNED

    # The organisation is asked to look again only at the criterion marked down.
    task_list = _text(page(lead.get(f"/assessments/{aid}")))
    assert "look again at 1 criterion" in task_list and "The plan is a template." in task_list

    # The readiness report shows the override, with the reason and who made it.
    reviewer_name = people[Role.HEE_REVIEWER].name
    report = page(lead.get(f"/assessments/{aid}/report"))
    table = report.select_one("#overrides").find_next("table")
    [line] = [
        [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
        for tr in table.select("tbody tr")
    ]
    title = load(fresh(aid)).standard.criterion(cid).title
    assert line[0] == f"{cid} {title}"
    assert line[1].endswith("counted as met by override")
    assert line[2] == WHY
    assert line[3].startswith(f"{reviewer_name}, ")
    assert "In review round 1, the reviewer counted 1 criterion as met" in _text(report)

    # So does the evidence pack.
    with app.app_context():
        made = packs.make(
            fresh(aid), PackScope.ALL, storage_for(settings), pack_storage_for(settings), printing
        )
        text = _pdf_text(pack_storage_for(settings).read(made.file_sha256))
    assert "Reviewer overrides" in text
    assert WHY in text and reviewer_name in text
    assert "counted as met by override" in text

    # And the cohort's moderation figures count it apart from agreements and disagreements.
    dashboard = page(admin.get(f"/cohorts/{assessment.cohort_id}"))
    summary = _text(dashboard.select_one("#moderation").find_next("p"))
    assert "2 judgements" in summary and "1 judgement was an override" in summary
    worst = dashboard.find("caption", string="Criteria most often misjudged").find_parent("table")
    rows = {
        tr.find("th").get_text(" ", strip=True): [
            td.get_text(" ", strip=True) for td in tr.find_all("td")
        ]
        for tr in worst.select("tbody tr")
    }
    [overridden] = [v for k, v in rows.items() if k.startswith(f"Criterion {cid} ")]
    assert overridden == [
        "Judgements 1",
        "Agreed 0%",
        "Disagreed 0",
        "Needed more evidence 0",
        "Overridden 1",
    ]
    export = admin.get(f"/cohorts/{assessment.cohort_id}/exports/moderation.csv")
    lines = {
        r["Criterion"]: r
        for r in csv.DictReader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")))
    }
    assert (lines[cid]["Overridden"], lines[cid]["Disagreed"]) == ("1", "0")
    assert (lines[down]["Overridden"], lines[down]["Disagreed"]) == ("0", "1")


def test_an_override_is_not_offered_where_the_rules_already_find_the_criterion_met(
    clients, enrol, org, people
):
    reviewer = clients[Role.HEE_REVIEWER]
    assessment = seed_stage(enrol(org), people[Role.ORG_LEAD], Stage.SUBMITTED)
    aid = assessment.id
    start_review(reviewer, aid)
    met = met_mandatory_bronze(aid)
    soup = page(reviewer.get(f"/assessments/{aid}/review/criteria/{met}"))
    assert [i["value"] for i in soup.select("input[name=agreement]")] == [
        "agree",
        "disagree",
        "needs_evidence",
    ]
    refused = judge(reviewer, aid, met, "override", override_reason=WHY)
    assert refused.status_code == 400
    assert db.session.scalars(select(CriterionReview)).all() == []
    # A criterion the rules do not find met offers it.
    other = next(c.id for c in applicable(aid) if c.status is not Status.MET)
    soup = page(reviewer.get(f"/assessments/{aid}/review/criteria/{other}"))
    assert "override" in [i["value"] for i in soup.select("input[name=agreement]")]
