"""Driving the reviewer's pages from integration tests."""

from __future__ import annotations

from accredit.data.models import Assessment
from accredit.domain.scoring.results import Status
from accredit.extensions import db
from accredit.services.assessments.workspace import load
from tests.support.forms import submit
from tests.support.html import error_summary, page


def fresh(assessment_id: int) -> Assessment:
    db.session.expire_all()
    return db.session.get(Assessment, assessment_id)


def applicable(assessment_id: int) -> list:
    return [c for c in load(fresh(assessment_id)).result.criteria if c.applicable]


def start_review(client, assessment_id: int):
    url = f"/assessments/{assessment_id}/review"
    return submit(client, f"{url}/start", {}, page=url)


def judge(
    client,
    assessment_id: int,
    criterion_id: str,
    agreement: str,
    comment: str = "",
    override_reason: str = "",
):
    url = f"/assessments/{assessment_id}/review/criteria/{criterion_id}"
    form = page(client.get(url))
    version = form.find("input", {"name": "version"})["value"]
    fields = {"agreement": agreement, "comment": comment, "version": version}
    if override_reason:
        fields["override_reason"] = override_reason
    return submit(client, url, fields)


def judge_all(client, assessment_id: int, agreement: str = "agree") -> None:
    for c in applicable(assessment_id):
        response = judge(client, assessment_id, c.id, agreement)
        assert response.status_code == 302, (c.id, error_summary(page(response)))


def met_mandatory_bronze(assessment_id: int) -> str:
    return next(
        c.id
        for c in applicable(assessment_id)
        if c.mandatory and c.level == "bronze" and c.status is Status.MET
    )


def draw_for_audit(award, note: str | None = None) -> int:
    """A one-award audit draw holding ``award`` (call inside a transaction); the draw's id."""
    from accredit.data.models import AuditDraw, AwardAudit

    draw = AuditDraw(
        cohort_id=award.cohort_id,
        seed="12345",
        share_percent=10.0,
        stratify_by="",
        population=[[award.id, ""]],
        selected=[award.id],
    )
    db.session.add(draw)
    db.session.flush()
    db.session.add(
        AwardAudit(
            draw_id=draw.id, award_id=award.id, organisation_id=award.organisation_id, note=note
        )
    )
    return draw.id
